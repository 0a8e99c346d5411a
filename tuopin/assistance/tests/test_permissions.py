"""Role × action × own / other: a cadre sees and records visits only for paired households; an inspector
records problems but cannot change the registry."""

import pytest

from tuopin.accounts.permissions import may
from tuopin.assistance.tests.factories import PairingFactory


@pytest.fixture
def paired(users, households):
    PairingFactory.create(household=households["a1"], cadre=users["cadre"])
    households["a1"].refresh_from_db()
    return households


CASES = [
    # (user, action, household key or None, allowed)
    ("cadre", "assistance.record_visit", "a1", True),
    ("cadre", "assistance.record_visit", "a2", False),
    ("cadre", "assistance.view_visits", "a1", True),
    ("cadre", "assistance.view_visits", "b1", False),
    ("cadre", "assistance.manage_measures", "a1", True),
    ("cadre", "assistance.manage_measures", "a2", False),
    ("cadre", "assistance.manage_pairings", "a1", False),
    ("cadre", "assistance.view_own_households", None, True),
    ("village_a1", "assistance.record_visit", "a1", False),
    ("village_a1", "assistance.view_visits", "a1", True),
    ("village_a1", "assistance.view_visits", "b1", False),
    ("village_a1", "assistance.manage_pairings", "a1", True),
    ("village_a1", "assistance.manage_pairings", "b1", False),
    ("county", "assistance.manage_pairings", "b1", True),
    ("county", "assistance.record_visit", "a1", False),
    ("inspector", "assistance.view_visits", "b1", True),
    ("inspector", "assistance.manage_measures", "a1", False),
    ("inspector", "registry.edit_household", "a1", False),
    ("inspector", "registry.create_household", "a1", False),
    ("inspector", "supervision.record_problem", None, True),
    ("inspector", "supervision.review_problem", None, True),
    ("inspector", "supervision.view_report", None, True),
    ("village_a1", "supervision.record_problem", None, False),
    ("village_a1", "supervision.view_report", None, False),
    ("cadre", "supervision.record_problem", None, False),
    ("cadre", "supervision.view_problems", None, False),
    ("county", "supervision.record_problem", None, True),
]


@pytest.mark.parametrize(("who", "name", "target", "allowed"), CASES)
def test_permission_table(users, paired, who, name, target, allowed):
    assert may(users[who], name, paired[target] if target else None) is allowed
