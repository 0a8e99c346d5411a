"""A cadre records a visit on a phone-sized screen and sees it on the household page."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tuopin.assistance.tests.factories import PairingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_db"),
]


def test_a_cadre_records_a_visit_at_390_pixels_and_sees_it_on_the_household_page(
    live_server, browser, users, households, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    household = households["a1"]
    PairingFactory.create(household=household, cadre=users["cadre"])
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", users["cadre"].username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")

    page.click("#nav-mine")
    expect(page.locator("#my-households")).to_contain_text(household.household_no)
    page.click("#my-households >> text=登记走访")
    expect(page.locator("h1")).to_have_text("登记走访")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#id_visited_on", "2018-07-20")
    page.fill("#id_met", "户主及配偶")
    page.fill("#id_findings", "两人在本地务工，收入稳定")
    page.fill("#id_measures_agreed", "推荐参加技能培训")
    page.click("#save-visit")

    expect(page).to_have_url(f"{live_server.url}/households/{household.pk}/")
    expect(page.locator("#visits")).to_contain_text("两人在本地务工，收入稳定")
    expect(page.locator("#visits")).to_contain_text("2018-07-20")
    context.close()
