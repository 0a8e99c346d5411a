"""A person's path through the registry in a real browser (Debian's chromium driven by Playwright)."""

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_household
from tuopin.registry.models import PovertyStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_db"),
]


def test_login_overview_filter_open_household_edit_member_and_see_history(
    live_server, page, users, households
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "county_user")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")

    expect(page.locator("h1")).to_contain_text("建档立卡概况")
    expect(page.locator('[data-key="registered"]')).to_have_text("4 户")
    expect(page.locator("svg.bars").first).to_be_visible()

    page.click("nav >> text=农户登记")
    expect(page.locator("#result-count")).to_have_text("共 4 户、8 人")
    page.select_option("#filter-status", PovertyStatus.EXITED)  # HTMX swaps the results in place
    expect(page.locator("#result-count")).to_have_text("共 1 户、2 人")
    # the export link came with the swap: it downloads exactly the filtered household
    with page.expect_download() as download:
        page.click("#export-filtered")
    # the download has no .xlsx suffix, which openpyxl needs for a path: read it as a stream
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).worksheets[0]
    cells = {v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)}
    assert "A1-0002" in cells
    assert not {"A1-0001", "A2-0001", "B1-0001"} & cells
    expect(page.locator("#household-table")).to_contain_text("A1-0002")
    assert "status=exited" in page.url

    page.select_option("#filter-status", "all")
    page.select_option("#filter-region", str(households["a1"].village_id))
    expect(page.locator("#result-count")).to_have_text("共 2 户、4 人")
    page.click("text=A1-0001")
    expect(page.locator("h1")).to_contain_text("农户 A1-0001")

    spouse = households["a1"].members.get(relation="spouse")
    page.click(f"#member-{spouse.pk} >> text=修改")
    page.select_option("#id_labor_skill", "skilled")
    page.click("#save-person")

    expect(page.locator(".messages")).to_contain_text("的信息已保存")
    expect(page.locator("#history")).to_contain_text("劳动技能：普通劳动力 → 技能劳动力")
    expect(page.locator("#history")).to_contain_text("county_user")


def test_bad_member_input_shows_the_field_message_in_the_browser(live_server, page, users, households):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "village_a1_user")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.goto(f"{live_server.url}/households/{households['a1'].pk}/members/new/")
    page.fill("#id_name", "新成员")
    page.fill("#id_id_number", "530127201001010010")
    page.select_option("#id_relation", "son")
    page.select_option("#id_schooling", "primary")
    page.check("input[name=health][value=is_healthy]")
    page.select_option("#id_change-reason", "birth")
    page.fill("#id_change-on_date", "2018-09-01")
    page.click("#save-person")
    expect(page.locator(".error")).to_contain_text("证件号码：身份证号码校验位错误")
    page.goto(f"{live_server.url}/households/{households['b1'].pk}/")
    expect(page.locator("h1")).to_have_text("未找到")


def test_a_village_user_starts_identification_and_records_the_review_in_the_browser(
    live_server, page, users, tree
):

    applicant = make_household(tree["village_a1"], no="K-0009", status=PovertyStatus.UNREGISTERED)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "village_a1_user")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.goto(f"{live_server.url}/households/{applicant.pk}/")
    start = page.locator("form.procedure-start")
    start.locator("input[name=on_date]").fill("2018-09-01")
    start.locator("select[name=main_cause]").select_option("illness")
    start.locator("input[name=reason]").fill("户主患病")
    start.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已记录：申请")
    step = page.locator("form.procedure-step")
    step.locator("select[name=to_status]").select_option("reviewed")
    step.locator("input[name=on_date]").fill("2018-09-02")
    step.locator("button[type=submit]").click()
    expect(page.locator("#procedures")).to_contain_text("民主评议 · 经办人 village_a1_user")
    # the household is not registered until the county's decision
    expect(page.locator("h1")).to_contain_text("卡外农户")
