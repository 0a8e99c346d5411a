"""Each trigger exactly at its threshold and one unit beyond (batch SQL and Python explanation agree)."""

from datetime import date
from decimal import Decimal

import pytest

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.engine.rules import Outcome
from tuopin.monitoring.runs import batch_outcomes, household_outcomes, household_triggers
from tuopin.monitoring.tests import factories as f
from tuopin.policy.services import standard_set
from tuopin.registry.models import PovertyStatus

YEAR = 2022
FIRED, QUIET = Outcome.FAIL, Outcome.PASS


def _income(net: str) -> dict:
    return {
        "wage_income": Decimal(net),
        "business_income": 0,
        "property_income": 0,
        "transfer_income": 0,
        "business_expense": 0,
    }


def _build(case: str, beyond: bool):
    """One household set up for ``case``, exactly on the threshold (``beyond`` False) or one unit past it."""
    h = f.household(members=2)
    prev: dict = {}
    now: dict = {}
    prev_members: list[dict[str, object]] | None = None
    now_members: list[dict[str, object]] | None = None
    if case == "income_below_line":  # 2 members × 6000 (2021 line, inherited)
        now = _income("11999.99" if beyond else "12000.00")
    elif case == "income_drop":  # 30 % of 20000 → 14000 is exactly a 30 % fall
        prev, now = _income("20000"), _income("13999.99" if beyond else "14000")
    elif case == "medical_self_paid_high":
        now = {"medical_self_paid": Decimal("5000.01" if beyond else "5000")}
    elif case == "disaster":
        now = {"had_disaster": beyond}
    elif (
        case == "labourer_lost"
    ):  # a labourer last year: falls seriously ill this year (already ill: no event)
        prev_members = [{"has_serious_disease": not beyond}, {}]
        now_members = [{"has_serious_disease": True}, {}]
    elif case == "school_dropout":  # age on 2022-08-31: born 2006-09-01 is 15, 2006-08-31 is 16
        h = f.household(members=[{}, f.child_born(date(2006, 9, 1) if beyond else date(2006, 8, 31))])
    elif case == "house_unsafe":
        now = {"house_grade": "C" if beyond else "B"}
    elif case == "assistance_lost":
        prev_members = [{"is_dibao": True}, {}]
        now_members = [{"is_dibao": not beyond}, {}]
    elif case == "all_unemployed":  # 6 months (default): 5 months is under the threshold
        now_members = [{"unemployed_months": 6}, {"unemployed_months": 6 if beyond else 5}]
    elif case == "department_report" and beyond:
        from tuopin.monitoring.models import DepartmentReport

        DepartmentReport.objects.create(
            household=h,
            year=YEAR,
            department="emergency",
            reason="洪涝受灾",
            reported_on=date(2022, 7, 1),
        )
    f.year(h, YEAR - 1, members=prev_members, **prev)
    f.year(h, YEAR, members=now_members, **now)
    return h


CASES = [
    "income_below_line",
    "income_drop",
    "medical_self_paid_high",
    "disaster",
    "labourer_lost",
    "school_dropout",
    "house_unsafe",
    "assistance_lost",
    "all_unemployed",
    "department_report",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("beyond", [False, True])
def test_trigger_on_threshold_and_one_unit_beyond(case, beyond):
    h = _build(case, beyond)
    batch = batch_outcomes(year=YEAR)[h.pk]
    single = household_outcomes(household_id=h.pk, year=YEAR)
    assert batch == single
    assert batch[case] == (FIRED if beyond else QUIET)


@pytest.mark.django_db
def test_missing_figures_are_missing_never_a_clue():
    h = f.household(members=2)
    f.year(h, YEAR, wage_income=None)
    outcome = batch_outcomes(year=YEAR)[h.pk]
    assert outcome["income_below_line"] == Outcome.MISSING
    assert outcome["income_drop"] == Outcome.PASS  # no previous year: not applicable


@pytest.mark.django_db
def test_unregistered_households_are_monitored_too():
    h = f.household(members=2, status=PovertyStatus.UNREGISTERED, main_cause="")
    f.year(h, YEAR, **_income("100"))
    assert batch_outcomes(year=YEAR)[h.pk]["income_below_line"] == FIRED


@pytest.mark.django_db
def test_the_line_of_each_year_is_a_standard():
    standard_set(
        key="monitoring_line",
        year=2025,
        region=None,
        value="8700",
        source_document="云农办通〔2025〕1号",
        by=console_actor(),
    )
    h = f.household(members=1)
    f.year(h, 2024, **_income("8000"))
    f.year(h, 2025, **_income("8000"))
    assert batch_outcomes(year=2024)[h.pk]["income_below_line"] == QUIET
    assert batch_outcomes(year=2025)[h.pk]["income_below_line"] == FIRED
    explained = household_triggers(household_id=h.pk, year=2025)
    assert explained is not None
    assert [r.rule.code for r in explained.fired] == ["income_below_line"]
    assert "8,700.00" in explained.fired[0].sentence


@pytest.mark.django_db
def test_a_household_firing_several_triggers_has_one_clue_with_every_reason():
    from tuopin.accounts.permissions import console_actor
    from tuopin.monitoring.models import Clue, TriggerHit
    from tuopin.monitoring.runs import monitoring_run

    h = f.household(members=2)
    f.year(h, YEAR, house_grade="D", had_disaster=True, **_income("1000"))
    quiet = f.household(members=2)
    f.year(quiet, YEAR)
    run = monitoring_run(year=YEAR, by=console_actor())
    assert run.households == 2
    assert run.fired == 1
    assert run.summary["by_trigger"]["house_unsafe"] == 1
    assert TriggerHit.objects.get(run=run).household_id == h.pk
    clue = Clue.objects.get(household=h)
    assert {r["code"] for r in clue.reasons} == {"income_below_line", "house_unsafe", "disaster"}
    assert clue.risk_level == "high"
    again = monitoring_run(year=YEAR, by=console_actor())  # re-running the year adds no clue
    assert again.fired == 1
    assert Clue.objects.filter(household=h).count() == 1
    assert not Clue.objects.filter(household=quiet).exists()
