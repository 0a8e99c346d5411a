"""The project library in a real browser (Debian's chromium driven by Playwright): filter, open a project,
record funds (an overspend is refused on the page), read the budget table and the plan audit."""

import re

import pytest
from playwright.sync_api import expect

from tuopin.accounts.permissions import console_actor
from tuopin.accounts.tests.factories import PASSWORD
from tuopin.projects.services import projects_load_seed_plan

from .conftest import region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_db"),
]


def login(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_township_user_filters_opens_a_project_and_records_funds(live_server, page, county, niulanjiang_user):
    projects_load_seed_plan(by=console_actor())
    login(page, live_server, niulanjiang_user)
    page.click("nav >> text=项目库")
    expect(page.locator("#result-count")).to_contain_text("共 14 个项目")
    page.select_option("#filter-region", str(region("荒田村委会").pk))  # HTMX swaps the results in place
    expect(page.locator("#result-count")).to_have_text("共 9 个项目，总投资 659.00 万元")
    expect(page).to_have_url(re.compile(rf"region={region('荒田村委会').pk}"))  # pushed after the swap
    # the export link was swapped in with the results: it exports what the filter shows
    expect(page.locator("#export-filtered")).to_have_attribute(
        "href", re.compile(rf"projects\.xlsx\?.*region={region('荒田村委会').pk}")
    )
    page.click("text=荒田大麦地进村道路硬化")
    expect(page.locator("#investment")).to_have_text("240.00万元")

    page.select_option("#id_kind", "allocation")
    page.select_option("#id_channel", "special")
    page.fill("#id_amount", "1000000")
    page.click("#entry-form button")
    expect(page.locator(".messages")).to_contain_text("资金分录已登记")
    page.select_option("#id_kind", "disbursement")
    page.select_option("#id_channel", "special")
    page.fill("#id_amount", "1200000")
    page.click("#entry-form button")
    expect(page.locator("#entry-form")).to_contain_text("超过该项目专项扶贫资金可用余额1,000,000.00元")
    expect(page.locator("#balances")).to_contain_text("1,000,000.00")

    page.click("text=投资汇总")
    expect(page.locator("#investment-scale")).to_contain_text("贫困村脱贫振兴工程")
    expect(page.locator("#by-township")).to_contain_text("牛栏江镇")
    expect(page.locator("#by-township")).not_to_contain_text("小街镇")

    # the plan audit is a county page: not linked for a township user
    expect(page.locator(".subnav >> text=规划核对")).to_have_count(0)
