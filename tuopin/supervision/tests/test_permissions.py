"""Supervision seen from the assistance side: the responsible area rectifies; a cadre's page counts the
open problems found on their households."""

import datetime

import pytest

from tuopin.accounts.permissions import may
from tuopin.assistance import selectors, services
from tuopin.assistance.tests.factories import PairingFactory
from tuopin.supervision.tests.factories import ProblemFactory

JULY = datetime.date(2018, 7, 1)


@pytest.mark.parametrize(("who", "allowed"), [("village_a1", True), ("town_a", True), ("village_b1", False)])
def test_rectifying_a_problem_is_for_the_responsible_area(users, tree, who, allowed):
    problem = ProblemFactory.create(region=tree["village_a1"])
    assert may(users[who], "supervision.rectify_problem", problem) is allowed


@pytest.mark.parametrize("status", ["open", "cleared"])
def test_my_households_counts_open_measures_clues_and_problems(users, households, status):
    pairing = PairingFactory.create(household=households["a1"], cadre=users["cadre"])
    services.visit_record(
        household=households["a1"],
        by=pairing.cadre,
        visited_on=JULY,
        met="户主",
        findings="因病支出大",
        raises_clue=True,
        clue_reason="大病",
    )
    services.measure_create(
        household=households["a1"],
        by=pairing.cadre,
        description="申请临时救助",
        responsible="村委会",
        due_on=JULY,
    )
    ProblemFactory.create(household=households["a1"], status=status, cleared_at="2018-07-01T00:00+08:00")
    (row,) = selectors.my_households(cadre=users["cadre"])
    assert (row.last_visit, row.open_measures, row.open_clues) == (JULY, 1, 1)
    assert row.open_problems == (1 if status == "open" else 0)
