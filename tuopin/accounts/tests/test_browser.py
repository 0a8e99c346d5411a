"""A county administrator creates a township user in the browser; that user must change the password at the
first login and then sees only their township."""

import pytest
from playwright.sync_api import expect

from tuopin.accounts.models import User
from tuopin.accounts.tests.factories import PASSWORD, admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_db"),
]

FIRST = "Chu-shi-mima-2018"
OWN = "Wo-de-mima-2018x"


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")


def test_admin_creates_a_township_user_who_changes_the_password_and_sees_only_the_township(
    live_server, page, tree, households
):
    admin(tree["county"], username="boss")
    _login(page, live_server, "boss", PASSWORD)
    page.click("#nav-users")
    page.click("#new-user")
    page.fill("#id_username", "jiazhen")
    page.fill("#id_full_name", "甲镇扶贫办")
    page.select_option("#id_role", "township")
    page.select_option("#id_region", str(tree["town_a"].pk))
    page.fill("#id_work_unit", "甲镇人民政府")
    page.fill("#id_password", FIRST)
    page.fill("#id_password_again", FIRST)
    page.click("#save-user")
    expect(page.locator(".messages")).to_contain_text("已新建用户 jiazhen")
    expect(page.locator("#user-table")).to_contain_text("待改密码")
    page.click("text=退出")

    _login(page, live_server, "jiazhen", FIRST)
    expect(page.locator("h1")).to_have_text("修改密码")
    page.goto(f"{live_server.url}/households/")  # every page leads back until the password is changed
    expect(page.locator("h1")).to_have_text("修改密码")
    page.fill("#id_old_password", FIRST)
    page.fill("#id_new_password1", OWN)
    page.fill("#id_new_password2", OWN)
    page.click("#change-password")
    expect(page.locator(".messages")).to_contain_text("密码已修改")
    assert not User.objects.get(username="jiazhen").must_change_password

    page.click("nav >> text=农户登记")
    expect(page.locator("#result-count")).to_contain_text("共 3 户")  # 甲镇: A1-0001, A1-0002, A2-0001
    table = page.locator("#household-table")
    for number in ("A1-0001", "A1-0002", "A2-0001"):
        expect(table).to_contain_text(number)
    expect(table).not_to_contain_text("B1-0001")
    expect(page.locator("#nav-users")).to_have_count(0)
