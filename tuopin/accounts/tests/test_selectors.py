"""Account reads: the user list and its filters, the jurisdiction of each role, the access log by day."""

import datetime

import pytest
from django.utils import timezone

from tuopin.accounts.jurisdiction import regions_visible, scope_for
from tuopin.accounts.models import AccessKind, AccessRecord, Role
from tuopin.accounts.permissions import console_actor
from tuopin.accounts.selectors import (
    AccessFilters,
    UserFilters,
    access_records,
    user_changes,
    user_get,
    user_list,
)
from tuopin.accounts.services import access_record, user_update
from tuopin.accounts.tests.factories import admin
from tuopin.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def _names(qs) -> set[str]:
    return {user.username for user in qs}


def test_the_user_list_filters_by_role_area_state_and_text_and_hides_the_console(users, tree):
    console = console_actor()
    everyone = _names(user_list())
    assert console.username not in everyone
    assert everyone == {user.username for user in users.values()}
    assert _names(user_list(filters=UserFilters(role=Role.VILLAGE))) == {"village_a1_user", "village_b1_user"}
    assert _names(user_list(filters=UserFilters(region=tree["town_a"]))) == {"town_a_user", "village_a1_user"}
    users["cadre"].is_active = False
    users["cadre"].save()
    assert _names(user_list(filters=UserFilters(active="0"))) == {"cadre_user"}
    assert "cadre_user" not in _names(user_list(filters=UserFilters(active="1")))
    assert _names(user_list(filters=UserFilters(query="B1"))) == {"village_b1_user"}
    assert user_get(pk=console.pk) is None
    assert user_get(pk=users["county"].pk) == users["county"]


def test_user_changes_list_who_changed_what_newest_first(users, tree):
    boss = admin(tree["county"])
    user_update(user=users["village_a1"], by=boss, data={"full_name": "甲一村文书"})
    user_update(user=users["village_a1"], by=boss, data={"phone": "13800000000"})
    changes = list(user_changes(user=users["village_a1"]))
    assert [change.by for change in changes] == [boss, boss]
    assert "phone" in str(changes[0].changes)
    assert "full_name" in str(changes[1].changes)


@pytest.mark.parametrize(
    ("role", "scope_key", "visible"),
    [
        (
            "county",
            "county",
            {"county", "town_a", "town_b", "village_a1", "village_a2", "village_b1", "group_a1"},
        ),
        ("town_a", "town_a", {"town_a", "village_a1", "village_a2", "group_a1"}),
        ("village_b1", "village_b1", {"village_b1"}),
    ],
)
def test_each_area_role_sees_its_region_and_everything_below(users, tree, role, scope_key, visible):
    scope = scope_for(users[role])
    assert scope.region_path == tree[scope_key].path
    assert scope.cadre_id is None
    assert set(regions_visible(users[role])) == {tree[key] for key in visible}


def test_a_cadre_is_limited_to_paired_households_and_an_inactive_user_to_nothing(users):
    cadre = users["cadre"]
    assert scope_for(cadre).cadre_id == cadre.pk
    cadre.is_active = False
    assert scope_for(cadre).region_path is None
    assert not regions_visible(cadre).exists()


def test_the_access_log_filters_by_user_kind_and_local_day(users):
    viewer, exporter = users["county"], users["town_a"]
    first = access_record(user=viewer, kind=AccessKind.VIEW, what="户档案")
    second = access_record(user=exporter, kind=AccessKind.EXPORT, what="导出", rows=12)
    # 00:30 Beijing time on 2 May is still 1 May in UTC: the filter uses the local day
    local = timezone.get_current_timezone()
    AccessRecord.objects.filter(pk=first.pk).update(at=datetime.datetime(2018, 5, 2, 0, 30, tzinfo=local))
    AccessRecord.objects.filter(pk=second.pk).update(at=datetime.datetime(2018, 5, 3, 9, 0, tzinfo=local))
    assert list(access_records()) == [second, first]
    assert list(access_records(filters=AccessFilters(username="COUNTY_USER"))) == [first]
    assert list(access_records(filters=AccessFilters(kind=AccessKind.EXPORT))) == [second]
    may_2 = datetime.date(2018, 5, 2)
    assert list(access_records(filters=AccessFilters(date_from=may_2, date_to=may_2))) == [first]
    assert list(access_records(filters=AccessFilters(date_from=datetime.date(2018, 5, 3)))) == [second]


def test_an_unknown_access_kind_is_refused(users):
    with pytest.raises(ApplicationError):
        access_record(user=users["county"], kind="peek", what="户档案")
    assert not AccessRecord.objects.exists()
