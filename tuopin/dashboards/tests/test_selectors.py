"""The dashboard's figures are the user's own: a village user's equal their village alone."""

import pytest
from django.http import Http404

from tuopin.dashboards.selectors import dashboard, dashboard_region, landing_region
from tuopin.registry.models import PovertyStatus
from tuopin.registry.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_village_user_figures_equal_the_village_alone_even_when_asking_for_the_county(
    tree, users, households
):
    HouseholdFactory.create(village=tree["village_b1"], household_no="B1-0002", status=PovertyStatus.EXITED)
    user = users["village_a1"]
    own = dashboard(user=user, region=tree["village_a1"])
    assert (own.households, own.people) == (2, 4)
    assert {row["key"]: row["households"] for row in own.by_status} == {
        PovertyStatus.POOR.value: 1,
        PovertyStatus.EXITED.value: 1,
    }
    # the county region itself is refused, and even a county region object gives only the village's figures
    with pytest.raises(Http404):
        dashboard_region(user=user, pk=tree["county"].pk)
    widened = dashboard(user=user, region=tree["county"])
    assert (widened.households, widened.people) == (2, 4)
    assert [row["name"] for row in widened.children] == ["甲镇"]


def test_county_figures_break_down_by_township_and_land_on_the_county(tree, users, households):
    board = dashboard(user=users["county"], region=tree["county"])
    assert (board.households, board.people) == (4, 8)
    assert [(row["name"], row["households"], row["exited_households"]) for row in board.children] == [
        ("甲镇", 3, 1),
        ("乙镇", 1, 0),
    ]
    assert board.by_cause[0]["households"] == 4
    assert landing_region(user=users["county"]) == tree["county"]
    assert landing_region(user=users["village_a1"]) == tree["village_a1"]


def test_cadre_lands_on_the_village_of_their_paired_households(tree, users, households):
    households["a2"].responsible_cadre = users["cadre"]
    households["a2"].save()
    assert landing_region(user=users["cadre"]) == tree["village_a2"]
    board = dashboard(user=users["cadre"], region=tree["county"])
    assert board.households == 1
