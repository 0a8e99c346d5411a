import pytest

from tuopin.accounts import services
from tuopin.accounts.models import ChangeKind, Role, User, UserChange
from tuopin.accounts.permissions import console_actor
from tuopin.accounts.tests.factories import admin
from tuopin.core.errors import ApplicationError, PermissionDeniedError

GOOD = "Kuang-lang-2018"


@pytest.fixture
def boss(tree):
    return admin(tree["county"])


def test_admin_creates_a_township_user_who_must_change_the_password(boss, tree):
    user = services.user_create(
        by=boss,
        username="jiazhen",
        role=Role.TOWNSHIP,
        region=tree["town_a"],
        password=GOOD,
        full_name="甲镇",
    )
    assert user.check_password(GOOD)
    assert user.must_change_password is True
    change = UserChange.objects.get(user=user)
    assert change.kind == ChangeKind.CREATE
    assert change.by == boss
    assert "password" not in change.changes
    assert GOOD not in str(change.changes)


@pytest.mark.parametrize(
    ("role", "region_key", "field"),
    [
        (Role.TOWNSHIP, "village_a1", "region"),
        (Role.VILLAGE, "town_a", "region"),
        (Role.VILLAGE, None, "region"),
        (Role.INSPECTOR, "village_a1", "region"),
        (Role.CADRE, "group_a1", "region"),
        (Role.CONSOLE, None, "role"),
        ("mayor", None, "role"),
    ],
)
def test_role_must_fit_the_region(boss, tree, role, region_key, field):
    region = tree[region_key] if region_key else None
    with pytest.raises(ApplicationError) as caught:
        services.user_create(by=boss, username="x1", role=role, region=region, password=GOOD)
    assert caught.value.field == field
    assert not User.objects.filter(username="x1").exists()


def test_cadre_may_be_bound_to_a_village_or_township(boss, tree):
    for name, key in (("c1", "village_a1"), ("c2", "town_a"), ("c3", "county")):
        assert services.user_create(by=boss, username=name, role=Role.CADRE, region=tree[key], password=GOOD)


@pytest.mark.parametrize(
    ("password", "hint"),
    [("short1", "太短"), ("48213975061", "只包含数字"), ("password123", "常见"), ("jiazhen2018", "相似")],
)
def test_django_password_validators_apply(boss, tree, password, hint):
    with pytest.raises(ApplicationError) as caught:
        services.user_create(
            by=boss, username="jiazhen2018", role=Role.TOWNSHIP, region=tree["town_a"], password=password
        )
    assert caught.value.field == "password"
    assert hint in caught.value.message
    assert not User.objects.filter(username="jiazhen2018").exists()


def test_duplicate_username_is_refused(boss, tree, users):
    with pytest.raises(ApplicationError, match="已被使用"):
        services.user_create(by=boss, username="COUNTY_USER", role=Role.COUNTY, region=None, password=GOOD)


@pytest.mark.parametrize("who", ["county", "town_a", "village_a1", "inspector", "cadre"])
def test_only_administrators_manage_users(users, tree, who):
    target = users["village_b1"]
    with pytest.raises(PermissionDeniedError, match="县级管理员"):
        services.user_create(by=users[who], username="y", role=Role.COUNTY, region=None, password=GOOD)
    with pytest.raises(PermissionDeniedError):
        services.user_update(user=target, by=users[who], data={"phone": "13800000000"})
    with pytest.raises(PermissionDeniedError):
        services.user_deactivate(user=target, by=users[who])
    with pytest.raises(PermissionDeniedError):
        services.user_set_password(user=target, by=users[who], password=GOOD)
    target.refresh_from_db()
    assert target.is_active
    assert target.phone == ""
    assert not target.must_change_password
    assert not User.objects.filter(username="y").exists()


def test_update_writes_only_changed_fields_and_audits_old_and_new(boss, users, tree):
    target = users["village_b1"]
    services.user_update(
        user=target,
        by=boss,
        data={"region": tree["village_a1"], "phone": "13800001111", "full_name": "乙一村"},
    )
    target.refresh_from_db()
    assert target.region == tree["village_a1"]
    assert target.phone == "13800001111"
    change = UserChange.objects.get(user=target, kind=ChangeKind.UPDATE)
    assert set(change.changes) == {"region", "phone", "full_name"}
    assert change.changes["phone"] == ["", "13800001111"]


def test_update_refuses_a_region_that_does_not_fit_and_changes_nothing(boss, users, tree):
    target = users["village_b1"]
    with pytest.raises(ApplicationError, match="行政村"):
        services.user_update(user=target, by=boss, data={"region": tree["town_a"], "phone": "13800001111"})
    target.refresh_from_db()
    assert target.region == tree["village_b1"]
    assert target.phone == ""
    assert not UserChange.objects.filter(user=target).exists()


def _logs_in(client, user) -> bool:
    from conftest import PASSWORD

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return response.status_code == 302


def test_deactivated_user_cannot_log_in_and_can_be_reactivated(boss, users, client):
    target = users["village_b1"]
    services.user_deactivate(user=target, by=boss)
    assert not _logs_in(client, target)
    services.user_deactivate(user=target, by=boss, active=True)
    assert _logs_in(client, target)
    kinds = list(UserChange.objects.filter(user=target).values_list("kind", flat=True))
    assert sorted(kinds) == [ChangeKind.DEACTIVATE, ChangeKind.REACTIVATE]


def test_admin_cannot_deactivate_or_demote_themselves(boss):
    with pytest.raises(ApplicationError, match="自己"):
        services.user_deactivate(user=boss, by=boss)
    with pytest.raises(ApplicationError, match="自己"):
        services.user_update(user=boss, by=boss, data={"role": Role.COUNTY})
    boss.refresh_from_db()
    assert boss.is_active
    assert boss.role == Role.ADMIN


def test_password_reset_sets_the_must_change_flag(boss, users):
    target = users["village_b1"]
    services.user_set_password(user=target, by=boss, password=GOOD)
    target.refresh_from_db()
    assert target.check_password(GOOD)
    assert target.must_change_password


def test_console_actor_manages_users(tree):
    user = services.user_create(
        by=console_actor(), username="first_admin", role=Role.ADMIN, region=None, password=GOOD
    )
    assert user.role == Role.ADMIN


def test_generated_passwords_pass_the_validators(boss, tree):
    for n in range(5):
        services.user_create(
            by=boss,
            username=f"gen{n}",
            role=Role.VILLAGE,
            region=tree["village_a1"],
            password=services.generate_password(),
        )
    assert User.objects.filter(username__startswith="gen").count() == 5


def test_nobody_edits_the_console_actor(boss):
    console = console_actor()
    with pytest.raises(PermissionDeniedError, match="控制台"):
        services.user_update(user=console, by=boss, data={"phone": "13800000000"})
    with pytest.raises(PermissionDeniedError, match="控制台"):
        services.user_set_password(user=console, by=boss, password=GOOD)
    with pytest.raises(PermissionDeniedError, match="控制台"):
        services.user_deactivate(user=console, by=boss)
    console.refresh_from_db()
    assert console.is_active
    assert not console.has_usable_password()
