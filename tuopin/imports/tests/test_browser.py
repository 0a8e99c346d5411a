"""The upload page in a real browser: upload, the page validates and shows the report without a reload,
then the user commits the valid households."""

import pytest

from tuopin.imports.tests.conftest import household_rows, to_xlsx
from tuopin.registry.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


@pytest.mark.django_db(transaction=True)
def test_upload_report_and_commit_in_the_browser(live_server, county_user, page, tmp_path):
    rows = household_rows("5301210010010001", 3) + household_rows("5301210010010002", 2)
    rows[4]["证件号码"] = "53012119800503001X"
    path = tmp_path / "东村登记.xlsx"
    path.write_bytes(to_xlsx(rows))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "county")
    page.fill("input[name=password]", "pw-123456")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/data/")
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-button")
    page.wait_for_selector("#error-table", timeout=20000)
    assert "证件号码" in page.inner_text("#error-table")
    assert page.inner_text("#error-count") == "1"
    page.click("#commit-valid")
    page.wait_for_selector("#committed")
    assert "新增 1 户" in page.inner_text("#committed")
    assert list(Household.objects.values_list("household_no", flat=True)) == ["5301210010010001"]
