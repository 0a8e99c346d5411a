"""The overview's figures by township and cause, for the households of the user's area only."""

import io

import pytest
from django.core.management import call_command

from conftest import make_household
from tuopin.accounts.models import Role
from tuopin.accounts.tests.factories import UserFactory
from tuopin.registry import codes
from tuopin.registry.models import CodeList, PovertyStatus
from tuopin.reports.selectors import STATUS_COLUMNS, overview

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(tree):
    """A county and a 甲镇 user over the shared test tree (the reports fixtures' ``users`` live elsewhere)."""
    return {
        "county": UserFactory.create(role=Role.COUNTY, region=tree["county"]),
        "town_a": UserFactory.create(role=Role.TOWNSHIP, region=tree["town_a"]),
    }


def test_status_columns_are_the_registered_statuses_with_their_labels():
    assert (
        (PovertyStatus.EXITED.value, "已脱贫"),
        (PovertyStatus.POOR.value, "未脱贫"),
        (PovertyStatus.RELAPSED.value, "返贫"),
    ) == STATUS_COLUMNS


def test_the_county_sees_every_township_by_status_in_households_and_people(readers, households, tree):
    make_household(
        tree["village_b1"], no="B1-0002", status=PovertyStatus.RELAPSED, members=(("head", "male", 50),)
    )
    make_household(tree["village_b1"], no="B1-K001", status=PovertyStatus.UNREGISTERED)  # not counted
    result = overview(user=readers["county"])
    rows = {row["name"]: row for row in result["townships"]}
    assert rows["甲镇"]["households"] == [1, 2, 0]
    assert rows["甲镇"]["people"] == [2, 4, 0]
    assert rows["乙镇"]["households"] == [0, 1, 1]
    assert rows["乙镇"]["people"] == [0, 2, 1]
    assert (rows["乙镇"]["households_total"], rows["乙镇"]["people_total"]) == (2, 3)
    ((cause, total, not_exited),) = result["causes"]
    assert cause == codes.label(CodeList.CAUSE, "illness")
    assert (total, not_exited) == (5, 4)
    assert result["figures"]["registered_households"] == 5


def test_a_township_user_sees_only_their_township(readers, households):
    result = overview(user=readers["town_a"])
    assert [row["name"] for row in result["townships"]] == ["甲镇"]
    assert result["figures"]["registered_households"] == 3
    assert sum(n for _cause, n, _open in result["causes"]) == 3


def test_the_stats_command_prints_households_and_people_by_status(households):
    out = io.StringIO()
    call_command("stats", "--plan-year", "2018", stdout=out)
    lines = out.getvalue().splitlines()
    assert "建档立卡：4 户 8 人" in lines
    assert "已脱贫：1 户 2 人" in lines
    assert "未脱贫：3 户 6 人" in lines
    assert "其中返贫：0 户 0 人" in lines
    assert "卡外农户：0 户 0 人" in lines
