"""The assessment in a real browser: run it, read a household's criteria, start its exit procedure."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from tuopin.assessment.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_db"),
]


def test_run_read_criteria_and_propose_exit(live_server, browser, tree, users):
    from tuopin.policy.models import Standard
    from tuopin.policy.seed import PROVINCE_DEFAULTS, rows

    for row in rows(PROVINCE_DEFAULTS):  # the transactional test flushed the migration's rows
        Standard.objects.update_or_create(key=row["key"], year=row["year"], region=None, defaults=row)
    ready = factories.household(tree["village_a1"], planned_exit_year=2018)
    failing = factories.household(tree["village_a1"], planned_exit_year=2018, house_grade="D")
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "county_user")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")

    page.click("nav >> text=退出评估")
    page.goto(f"{live_server.url}/assessment/?year=2018")
    page.click("#run-now")
    expect(page.locator("h1")).to_contain_text("2018年评估")
    expect(page.locator("#colour-counts")).to_contain_text("红卡")

    page.goto(f"{live_server.url}/assessment/?year=2018")
    expect(page.locator("#exit-plan")).to_contain_text("不住C、D级危房（未达标）")
    page.select_option("#id_outcome", "fail")  # the HTMX filter swaps the table
    expect(page.locator("#result-count")).to_have_text("共 1 户")
    expect(page.locator("#export-results")).to_have_attribute(
        "href", re.compile(r"plan\.xlsx\?.*outcome=fail")
    )
    expect(page.locator("#exit-plan")).not_to_contain_text(ready.household_no)

    page.click(f"text={failing.household_no}")
    expect(page.locator("#rule-house_grade")).to_contain_text("住房鉴定为 D 级危房")
    expect(page.locator("#exit-verdict")).to_contain_text("未达标")

    page.goto(f"{live_server.url}/assessment/households/{ready.pk}/?year=2018")
    expect(page.locator("#exit-verdict")).to_have_text("达到退出标准")
    expect(page.locator("#rule-income_per_capita")).to_contain_text("不低于 2018 年脱贫标准 3,200.00 元")
    page.fill("#id_on_date", "2018-09-01")
    page.fill("#id_document", "农户申请书")
    page.click("#exit-form button")
    expect(page.locator("#exit-procedure")).to_contain_text("拟退出")
    expect(page.locator("#exit-procedure")).to_contain_text("农户申请书")
