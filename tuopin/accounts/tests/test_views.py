import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from conftest import PASSWORD
from tuopin.accounts.models import Role, User
from tuopin.accounts.tests.factories import admin

NEW = "Jia-zhen-2018x"


@pytest.fixture
def boss(tree):
    return admin(tree["county"])


def _login(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_admin_creates_a_user_on_the_page(client, boss, tree):
    client.force_login(boss)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "jiazhen",
            "full_name": "甲镇用户",
            "role": Role.TOWNSHIP,
            "region": tree["town_a"].pk,
            "work_unit": "甲镇人民政府",
            "phone": "0871-1234567",
            "password": NEW,
            "password_again": NEW,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="jiazhen")
    assert (user.role, user.region, user.must_change_password) == (Role.TOWNSHIP, tree["town_a"], True)


def test_create_page_names_the_field_on_a_bad_region(client, boss, tree):
    client.force_login(boss)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "cun",
            "role": Role.VILLAGE,
            "region": tree["town_a"].pk,
            "password": NEW,
            "password_again": NEW,
        },
    )
    assert response.status_code == 200
    assert "“村级用户”的辖区应为行政村（社区）" in response.content.decode()
    assert not User.objects.filter(username="cun").exists()


def test_user_list_filters_by_role_region_and_active(client, boss, users, tree):
    users["village_b1"].is_active = False
    users["village_b1"].save()
    client.force_login(boss)
    page = client.get(reverse("accounts:user_list"), {"role": Role.VILLAGE}).content.decode()
    assert "village_a1_user" in page
    assert "village_b1_user" in page
    assert "town_a_user" not in page
    page = client.get(reverse("accounts:user_list"), {"region": tree["town_b"].pk}).content.decode()
    assert "village_b1_user" in page
    assert "village_a1_user" not in page
    page = client.get(reverse("accounts:user_list"), {"active": "0"}).content.decode()
    assert "village_b1_user" in page
    assert "village_a1_user" not in page
    assert "console" not in page


@pytest.mark.parametrize("who", ["county", "town_a", "village_a1", "inspector", "cadre"])
def test_account_pages_are_for_administrators_only(client, users, who):
    client.force_login(users[who])
    for name in (
        "accounts:user_list",
        "accounts:user_create",
        "accounts:login_failures",
        "accounts:access_log",
    ):
        assert client.get(reverse(name)).status_code == 403
    response = client.post(reverse("accounts:user_active", args=[users["village_b1"].pk]), {"active": "0"})
    assert response.status_code == 403
    users["village_b1"].refresh_from_db()
    assert users["village_b1"].is_active


def test_admin_resets_a_password_and_the_user_must_change_it(client, boss, users):
    client.force_login(boss)
    target = users["village_a1"]
    url = reverse("accounts:user_password", args=[target.pk])
    assert client.post(url, {"password": NEW, "password_again": NEW}).status_code == 302
    client.logout()
    assert _login(client, target.username, NEW).status_code == 302
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": NEW, "new_password1": "My-own-secret-77", "new_password2": "My-own-secret-77"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.must_change_password
    assert client.get(reverse("registry:list")).status_code == 200


def test_five_failures_lock_only_that_username_and_address(client, users):
    county = users["county"]
    for _ in range(5):
        _login(client, county.username, "wrong-password", address="10.0.0.9")
    assert _login(client, county.username, address="10.0.0.9").status_code == 429  # locked here
    client.logout()
    # the same account from another address, and another account from the same address, still log in
    assert _login(client, county.username, address="10.0.0.2").status_code == 302
    client.logout()
    assert _login(client, users["town_a"].username, address="10.0.0.9").status_code == 302
    assert AccessFailureLog.objects.filter(username=county.username).count() >= 5


def test_a_success_resets_only_its_own_combination(client, users):
    county, town = users["county"], users["town_a"]
    for _ in range(3):
        _login(client, county.username, "wrong-password", address="10.0.0.9")
    assert _login(client, town.username, address="10.0.0.9").status_code == 302  # someone else, same address
    client.logout()
    attempt = AccessAttempt.objects.get(username=county.username, ip_address="10.0.0.9")
    assert attempt.failures_since_start == 3
    for _ in range(2):
        _login(client, county.username, "wrong-password", address="10.0.0.9")
    assert _login(client, county.username, address="10.0.0.9").status_code == 429


def test_login_failures_page_shows_kept_failures(client, boss, users):
    _login(client, users["county"].username, "wrong-password", address="10.0.0.7")
    client.force_login(boss)
    page = client.get(reverse("accounts:login_failures")).content.decode()
    assert "10.0.0.7" in page
    assert users["county"].username in page


def test_account_pages_are_not_cached(client, boss):
    client.force_login(boss)
    assert "no-store" in client.get(reverse("accounts:user_list"))["Cache-Control"]


def test_admin_unlocks_one_username_and_address(client, boss, users):
    county = users["county"]
    for _ in range(5):
        _login(client, county.username, "wrong-password", address="10.0.0.9")
    client.force_login(boss)
    response = client.post(
        reverse("accounts:login_unlock"), {"username": county.username, "ip_address": "10.0.0.9"}
    )
    assert response.status_code == 302
    client.logout()
    assert _login(client, county.username, address="10.0.0.9").status_code == 302
    assert AccessFailureLog.objects.filter(username=county.username).count() >= 5  # kept for review
    assert county.changes.get().kind == "unlock"


def test_unlock_is_for_administrators_only(client, users):
    _login(client, users["county"].username, "wrong-password", address="10.0.0.9")
    client.force_login(users["county"])
    response = client.post(
        reverse("accounts:login_unlock"), {"username": users["county"].username, "ip_address": "10.0.0.9"}
    )
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username=users["county"].username).exists()
