"""A large year is evaluated in parts, each on a database connection of its own (``monitoring.evaluation``):
the hits stored are the very ones a single statement gives, and a re-run writes only what changed."""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.engine.rules import Outcome
from tuopin.monitoring import evaluation
from tuopin.monitoring.models import DepartmentReport, TriggerHit
from tuopin.monitoring.runs import batch_outcomes, hit_outcomes, monitoring_run
from tuopin.monitoring.tests import factories as f
from tuopin.registry.models import HouseholdYear

YEAR = 2022


def _county() -> list[int]:
    """Fourteen households in two villages: quiet ones and ones firing one or several triggers."""
    villages = [f.village(), f.village()]
    cases: list[tuple[dict, dict | None, dict | list | None]] = [
        ({}, None, None),
        ({"wage_income": Decimal("100")}, None, None),
        ({"house_grade": "D", "had_disaster": True}, None, None),
        ({"medical_self_paid": Decimal("9000")}, {}, None),
        ({"wage_income": Decimal("9000")}, {"wage_income": Decimal("30000")}, None),
        ({}, {}, [{"is_dibao": False}, {}]),
        ({}, None, {"unemployed_months": 12}),
        ({}, {}, None),
    ]
    made = []
    for index in range(14):
        now, prev, members = cases[index % len(cases)]
        h = f.household(
            villages[index % 2], members=[{}, f.child_born(date(2012, 3, 1))] if index == 9 else 2
        )
        if prev is not None:
            f.year(h, YEAR - 1, members=[{"is_dibao": True}, {}] if index % 8 == 5 else None, **prev)
        f.year(h, YEAR, members=members, **now)
        made.append(h.pk)
    DepartmentReport.objects.create(
        household_id=made[7],
        year=YEAR,
        department="civil_affairs",
        reason="低保退出",
        reported_on=date(2022, 5, 1),
    )
    return made


def _stored() -> dict[int, dict[str, Outcome]]:
    return {hit.household_id: hit_outcomes(hit) for hit in TriggerHit.objects.filter(year=YEAR)}


@pytest.mark.django_db(transaction=True)
def test_parts_store_what_one_statement_gives_and_a_rerun_writes_only_changes(settings):
    households = _county()
    expected = {pk: o for pk, o in batch_outcomes(year=YEAR).items() if Outcome.FAIL in o.values()}
    assert 4 <= len(expected) < len(households)  # some fire, some stay quiet
    settings.MONITOR_PARALLEL_FROM, settings.MONITOR_WORKERS = 1, 2

    run = monitoring_run(year=YEAR, by=console_actor(), raise_clues=False)
    assert 1 < run.summary["parts"] <= 2 * evaluation.PARTS_PER_WORKER[evaluation.dialect()]
    assert (run.households, run.fired, run.summary["written"]) == (14, len(expected), len(expected))
    assert _stored() == expected

    again = monitoring_run(year=YEAR, by=console_actor(), raise_clues=False)
    assert (again.summary["written"], again.summary["removed"], again.fired) == (0, 0, len(expected))

    quiet_now = next(iter(expected))  # a firing household's figures become good; a quiet one's fall
    HouseholdYear.objects.filter(household_id=quiet_now, year=YEAR).update(
        wage_income=Decimal("20000"), house_grade="B", had_disaster=False, medical_self_paid=0
    )
    DepartmentReport.objects.filter(household_id=quiet_now).delete()
    fires_now = households[0]
    HouseholdYear.objects.filter(household_id=fires_now, year=YEAR).update(house_grade="C")
    third = monitoring_run(year=YEAR, by=console_actor(), raise_clues=False)
    stored = _stored()
    if quiet_now not in stored:  # unless another trigger of it still fires
        assert third.summary["removed"] >= 1
    assert stored[fires_now]["house_unsafe"] == Outcome.FAIL
    assert TriggerHit.objects.get(year=YEAR, household_id=fires_now).run_id == third.pk

    settings.MONITOR_WORKERS = 1  # the same year in one statement stores the same hits and writes nothing
    single = monitoring_run(year=YEAR, by=console_actor(), raise_clues=False)
    assert single.summary["parts"] == 1
    assert (single.summary["written"], single.summary["removed"]) == (0, 0)
    assert (
        _stored()
        == stored
        == {pk: o for pk, o in batch_outcomes(year=YEAR).items() if Outcome.FAIL in o.values()}
    )

    HouseholdYear.objects.filter(household_id=fires_now, year=YEAR).delete()  # no figures: its hit goes
    settings.MONITOR_WORKERS = 2
    last = monitoring_run(year=YEAR, by=console_actor(), raise_clues=False)
    assert last.summary["removed"] == 1
    assert fires_now not in _stored()


@pytest.mark.django_db
def test_a_run_inside_a_callers_transaction_is_evaluated_on_its_connection(settings):
    """Other connections cannot see the caller's uncommitted rows, so such a run is one part."""
    settings.MONITOR_PARALLEL_FROM, settings.MONITOR_WORKERS = 1, 2
    h = f.household(members=2)
    f.year(h, YEAR, house_grade="D")
    run = monitoring_run(year=YEAR, by=console_actor(), raise_clues=False)
    assert run.summary["parts"] == 1
    assert run.fired == 1
    assert _stored()[h.pk]["house_unsafe"] == Outcome.FAIL


def test_parts_cover_every_household_id_once():
    assert evaluation.spans(1, 10, 4) == [(1, 3), (4, 6), (7, 9), (10, 10)]
    assert evaluation.spans(5, 5, 4) == [(5, 5)]
    spans = evaluation.spans(17, 1_000_003, 8)
    assert (spans[0][0], spans[-1][1], len(spans)) == (17, 1_000_003, 8)
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(spans))
