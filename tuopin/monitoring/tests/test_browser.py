"""A county user drills from the county's monitoring figures to a township and a village, filters and sorts
the work list in place (HTMX), and the village page fits a phone screen."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from tuopin.monitoring.models import MonitoringCase, Stage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_db"),
]


def _case(household, *, level: str, due_days: int, stage=Stage.CLUE, **fields) -> MonitoringCase:
    today = timezone.localdate()
    return MonitoringCase.objects.create(
        household=household,
        village=household.village,
        year=today.year,
        risk_level=level,
        stage=stage,
        opened_on=today - datetime.timedelta(days=20),
        due_on=today + datetime.timedelta(days=due_days),
        **fields,
    )


def test_county_user_drills_down_and_filters_the_work_list(live_server, browser, users, households, tree):
    _case(households["a1"], level="low", due_days=-5)
    _case(households["a2"], level="high", due_days=3, stage=Stage.OBJECT, category="marginal")
    _case(households["b1"], level="medium", due_days=-1)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", users["county"].username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/monitoring/")

    expect(page.locator("#objects")).to_have_text("1 户、2 人")
    rows = page.locator("#worklist tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("A2-0001")  # most severe first
    expect(rows.nth(1)).to_contain_text("B1-0001")

    page.click("#area-table >> text=甲镇")
    expect(page.locator("h1")).to_have_text("甲镇防止返贫动态监测")
    expect(page.locator("#area-table")).to_contain_text("甲一村委会")
    expect(rows).to_have_count(2)

    page.select_option("select[name=stage]", "clue")
    page.click("form.filters button")
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("A1-0001")
    assert "stage=clue" in page.url
    assert f"region={tree['town_a'].pk}" in page.url

    page.goto(f"{live_server.url}/monitoring/?region={tree['town_a'].pk}")
    page.click("#worklist >> text=认定时限")  # sort by the time limit, in place
    expect(rows.nth(0)).to_contain_text("A1-0001")
    page.click("#area-table >> text=甲二村委会")
    expect(page.locator("h1")).to_have_text("甲二村委会防止返贫动态监测")
    expect(page.locator("#by-category")).to_contain_text("边缘易致贫户")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the village page is {width} pixels wide at 390"
    context.close()
