"""For a village user, every figure on the overview, assessment index, run, what-if and village pages
(department pages: ``imports/tests/test_scoped_counts.py``) equals the same figure computed from that village's households alone (straight from the ORM), and
differs from the county's."""

from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from tuopin.accounts.models import Role
from tuopin.accounts.permissions import console_actor
from tuopin.accounts.tests.factories import UserFactory
from tuopin.assessment.engine.rules import EXIT_RULESET, Outcome
from tuopin.assessment.models import HouseholdResult
from tuopin.assessment.selectors import criterion_outcomes
from tuopin.assessment.services import assessment_run, what_if
from tuopin.regions.tests.factories import county_tree
from tuopin.registry.models import NOT_EXITED_STATUSES, Household, Person, PovertyStatus
from tuopin.registry.tests.factories import HouseholdFactory

NOT_EXITED = NOT_EXITED_STATUSES
SHOWN = (PovertyStatus.EXITED, PovertyStatus.POOR, PovertyStatus.RELAPSED)  # the overview columns
MEETS_ALL = {
    "has_food_security": True,
    "has_clothing_security": True,
    "has_safe_drinking_water": True,
    "house_grade": "B",
    "schooling_expense": Decimal(0),
    "medical_self_paid": Decimal(0),
}


@pytest.fixture
def county(db):
    tree = county_tree()
    v11, v12, v21, _ = tree["villages"]
    # village 11: 3 eligible, 1 poor with missing data, 1 exited, 1 relapsed failing on income
    for _ in range(3):
        HouseholdFactory(village=v11, **MEETS_ALL)
    HouseholdFactory(village=v11)
    HouseholdFactory(village=v11, status=PovertyStatus.EXITED, exit_year=2016, **MEETS_ALL)
    HouseholdFactory(village=v11, status=PovertyStatus.RELAPSED, wage_income=Decimal(500), **MEETS_ALL)
    # elsewhere: different figures, so a leak would show
    for _ in range(4):
        HouseholdFactory(village=v12, **MEETS_ALL)
    HouseholdFactory(village=v12, main_cause="disability")
    HouseholdFactory(village=v21, status=PovertyStatus.EXITED, exit_year=2017, **MEETS_ALL)
    HouseholdFactory(village=v21, wage_income=Decimal(3000), **MEETS_ALL)
    run = assessment_run(year=2018, by=console_actor())
    user = UserFactory.create(username="v11_user", role=Role.VILLAGE, region=v11)
    return {"tree": tree, "village": v11, "run": run, "user": user}


@pytest.fixture
def client_v11(client, county):
    client.force_login(county["user"], backend="django.contrib.auth.backends.ModelBackend")
    return client


def _village_results(county):
    return HouseholdResult.objects.filter(run=county["run"], village=county["village"])


def _expected_summary(county) -> dict:
    """The run's figures from the village's stored results, decoded in Python (not the summary SQL)."""
    results = list(_village_results(county))
    open_ = [r for r in results if r.status in NOT_EXITED]
    criteria = {}
    for criterion in EXIT_RULESET.criteria:
        fail = missing = 0
        for r in open_:
            outcome = criterion_outcomes(r.outcomes)[criterion.code]
            if outcome == Outcome.FAIL:
                fail += 1
            elif outcome == Outcome.MISSING:
                missing += 1
        criteria[criterion.code] = {"fail": fail, "missing": missing, "pass": len(open_) - fail - missing}
    return {
        "households": len(results),
        "not_exited": len(open_),
        "eligible_to_exit": sum(1 for r in open_ if r.outcomes == 0),
        "colours": dict(Counter(r.colour for r in results)),
        "criteria": criteria,
    }


def _assert_summary(summary: dict, expected: dict) -> None:
    assert summary["households"] == expected["households"]
    assert summary["not_exited"] == expected["not_exited"]
    assert summary["eligible_to_exit"] == expected["eligible_to_exit"]
    assert summary["colours"] == expected["colours"]
    assert summary["criteria"] == expected["criteria"]


def test_overview_counts_only_the_village(client_v11, county):
    context = client_v11.get(reverse("reports:overview")).context
    village = Household.objects.filter(village=county["village"])
    registered = village.exclude(status=PovertyStatus.UNREGISTERED)
    (township,) = context["townships"]
    assert township["households"] == [registered.filter(status=s).count() for s in SHOWN]
    people = Person.objects.filter(household__in=registered)
    assert township["people"] == [people.filter(household__status=s).count() for s in SHOWN]
    assert sum(n for _, n, _ in context["causes"]) == registered.count()
    assert sum(poor for _, _, poor in context["causes"]) == registered.filter(status__in=NOT_EXITED).count()
    assert context["area_name"] == county["village"].name


def test_assessment_index_and_run_page_show_the_village_summary(client_v11, county):
    expected = _expected_summary(county)
    assert county["run"].summary["households"] > expected["households"]  # the stored summary is county-wide
    index = client_v11.get(reverse("assessment:index"), {"year": 2018}).context
    _assert_summary(index["summary"], expected)
    assert [r.figures["households"] for r in index["runs"]] == [expected["households"]]
    run_page = client_v11.get(reverse("assessment:run", args=[county["run"].pk])).context
    _assert_summary(run_page["summary"], expected)
    (township,) = run_page["townships"]  # only the village's own township, with the village's figures
    assert township.region.pk == county["village"].parent_id
    assert township.households == expected["households"]
    body = client_v11.get(reverse("assessment:run", args=[county["run"].pk])).content.decode()
    assert f"{county['run'].summary['households']} 户" not in body


def test_what_if_covers_only_the_village(client_v11, county):
    response = client_v11.post(reverse("assessment:what_if") + "?year=2018", {"income_line": "6000"})
    result = response.context["result"]
    alone = what_if(
        year=2018,
        overrides={"income_line": Decimal(6000)},
        base_run=county["run"],
        by=console_actor(),
        region=county["village"],
    )
    village_ids = set(Household.objects.filter(village=county["village"]).values_list("pk", flat=True))
    assert {c.household_id for c in result.changes} <= village_ids
    assert result.changed_total == alone.changed_total
    assert result.eligible_after == alone.eligible_after
    assert result.eligible_before == _expected_summary(county)["eligible_to_exit"]
    everywhere = what_if(
        year=2018, overrides={"income_line": Decimal(6000)}, base_run=county["run"], by=console_actor()
    )
    assert everywhere.changed_total > result.changed_total


def test_village_page_colours_and_households(client_v11, county):
    context = client_v11.get(
        reverse("assessment:village", args=[county["village"].pk]), {"year": 2018}
    ).context
    expected = _expected_summary(county)
    assert context["colours"] == expected["colours"]
    open_ = _village_results(county).filter(status__in=NOT_EXITED)
    assert context["table"].count == open_.count()
    incidence = next(i for i in context["status"].indicators if i.code == "incidence")
    remaining = sum(r.member_count for r in open_ if r.outcomes != 0)
    people = sum(r.member_count for r in _village_results(county))
    assert incidence.value == f"{(Decimal(remaining) * 100 / Decimal(people)).quantize(Decimal('0.01'))}%"


def test_cadre_sees_the_colour_cards_of_paired_households_only(client, county):
    cadre = UserFactory.create(username="cadre_v11", role=Role.CADRE, region=county["village"])
    paired = list(Household.objects.filter(village=county["village"]).order_by("pk")[:2])
    Household.objects.filter(pk__in=[h.pk for h in paired]).update(responsible_cadre=cadre)
    client.force_login(cadre, backend="django.contrib.auth.backends.ModelBackend")
    context = client.get(reverse("assessment:village", args=[county["village"].pk]), {"year": 2018}).context
    mine = _village_results(county).filter(household__in=paired)
    assert context["colours"] == dict(Counter(mine.values_list("colour", flat=True)))
    assert sum(context["colours"].values()) == 2
    index = client.get(reverse("assessment:index"), {"year": 2018}).context
    assert index["summary"]["households"] == 2


def test_cadre_sees_projects_of_paired_villages_only(county):
    from tuopin.projects.models import Programme, Project
    from tuopin.projects.selectors import projects_for
    from tuopin.projects.services import projects_load_seed_plan

    projects_load_seed_plan(by=console_actor())
    programme = Programme.objects.first()
    assert programme is not None
    v11, v12 = county["tree"]["villages"][:2]
    here = Project.objects.create(
        programme=programme,
        name="本村项目",
        region=v11,
        year_from=2018,
        year_to=2020,
        investment=Decimal(100),
    )
    Project.objects.create(
        programme=programme,
        name="邻村项目",
        region=v12,
        year_from=2018,
        year_to=2020,
        investment=Decimal(100),
    )
    cadre = UserFactory.create(username="cadre_p", role=Role.CADRE, region=v11)
    assert list(projects_for(cadre)) == []  # nothing paired: no projects
    Household.objects.filter(pk=Household.objects.filter(village=v11).first().pk).update(
        responsible_cadre=cadre
    )
    assert list(projects_for(cadre)) == [here]


def test_county_user_sees_the_stored_county_summary(county):
    from tuopin.assessment.selectors import run_summary_for

    county_user = UserFactory.create(username="c_user", role=Role.COUNTY, region=county["tree"]["county"])
    assert run_summary_for(run=county["run"], user=county_user) is county["run"].summary
    second = county_tree("邻县")  # with two counties a county user no longer sees every household
    HouseholdFactory(village=second["villages"][0])
    summary = run_summary_for(run=county["run"], user=county_user)
    assert summary is not county["run"].summary
    assert summary["households"] == county["run"].summary["households"]


def test_county_pages_are_linked_and_open_only_for_county_readers(client, county):
    inspector = UserFactory.create(username="insp", role=Role.INSPECTOR, region=county["tree"]["county"])
    link = f'href="{reverse("assessment:county")}"'
    for user, allowed in ((county["user"], False), (inspector, True)):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        assert (link in client.get(reverse("reports:overview")).content.decode()) is allowed
        status = client.get(reverse("assessment:county"), {"year": 2018}).status_code
        assert status == (200 if allowed else 404)
