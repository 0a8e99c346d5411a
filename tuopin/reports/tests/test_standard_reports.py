"""The seven standard reports: each produced through its download with factories, cells and totals read
back with openpyxl; a village user's report holds only the village; personal data masked by role; every
download recorded in the access log."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tuopin.accounts.models import AccessKind, AccessRecord
from tuopin.assessment.models import ExitCase, ExitStatus
from tuopin.assessment.tests import factories
from tuopin.assistance.tests.factories import PairingFactory, UnitFactory, VisitFactory
from tuopin.monitoring.models import MonitoringCase
from tuopin.projects.models import Channel, Plan, Programme, Project, ProjectFunding
from tuopin.registry.models import PovertyStatus
from tuopin.reports.standard.workbook import HEADER_ROW
from tuopin.reports.tests.conftest import ID_NUMBER
from tuopin.supervision.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def download(client, slug, **query):
    response = client.get(f"/reports/standard/{slug}.xlsx", {"year": 2018, **query})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def body(sheet) -> list[tuple]:
    """The data rows (between the header and the totals row)."""
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    return rows[:-1]


def totals(sheet) -> tuple:
    return next(sheet.iter_rows(min_row=sheet.max_row, values_only=True))


def assert_frame(sheet, title_part: str) -> None:
    assert title_part in sheet["A1"].value
    assert "制表日期" in sheet["A1"].value
    assert "A1" in {str(r).split(":")[0] for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value.startswith("单位：")
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.column_dimensions["A"].width > 5
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}"


@pytest.fixture
def two_villages(village, other_village, li_household):
    li_household.wage_income = Decimal("12000.50")
    li_household.phone = "13812341234"
    li_household.save()
    other = factories.household(other_village, members=[{"name": "=HYPERLINK(1)"}, {"name": "赵二"}, {}])
    other.wage_income = Decimal("8000.25")
    other.save()
    return li_household, other


def test_household_list_cells_and_totals_add_up(as_user, users, two_villages):
    sheet = download(as_user(users["county"]), "households")
    assert_frame(sheet, "全县2018年度农户花名册")
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header[:4] == ["户编号", "乡镇（街道）", "行政村", "户主姓名"]
    rows = body(sheet)
    assert len(rows) == 2
    people, income = header.index("家庭人口（人）"), header.index("家庭纯收入（元）")
    assert sorted(r[people] for r in rows) == [2, 3]
    assert totals(sheet)[0] == "合计（2户）"
    assert totals(sheet)[people] == 5
    assert Decimal(str(totals(sheet)[income])) == Decimal(
        "24000.75"
    )  # net income: wage + 2,000 (the factory's other figures)
    assert "13812341234" in [r[header.index("联系电话")] for r in rows]  # county office: in full


def test_village_user_report_holds_only_the_village(as_user, users, two_villages):
    sheet = download(as_user(users["village"]), "households")
    rows = body(sheet)
    assert [r[2] for r in rows] == ["匡郎村委会"]
    assert totals(sheet)[0] == "合计（1户）"
    assert sheet["A1"].value.startswith("匡郎村委会2018年度")
    persons = download(as_user(users["village"]), "persons")
    assert {r[1] for r in body(persons)} == {"匡郎村委会"}
    # an area outside the jurisdiction is refused, not silently widened
    response = as_user(users["village"]).get(
        "/reports/standard/households.xlsx", {"year": 2018, "area": two_villages[1].village_id}
    )
    assert response.status_code == 404


def test_person_list_masks_id_numbers_for_the_inspector_and_records_the_export(as_user, users, two_villages):
    sheet = download(as_user(users["inspector"]), "persons")
    header = [c.value for c in sheet[HEADER_ROW]]
    ids = [r[header.index("证件号码")] for r in body(sheet)]
    assert ID_NUMBER not in ids
    assert "5301**********0019" in ids
    assert totals(sheet)[0] == "合计（5人）"
    assert totals(sheet)[-1] == 5
    names = [r[2] for r in body(sheet)]
    formula_cell = next(c for c in sheet["C"] if c.value == "=HYPERLINK(1)")
    assert "=HYPERLINK(1)" in names
    assert formula_cell.data_type == "s"
    record = AccessRecord.objects.get(user=users["inspector"], kind=AccessKind.EXPORT)
    assert record.rows == 5
    assert record.is_masked
    assert "贫困人口花名册" in record.what
    full = download(as_user(users["county"]), "persons")
    assert ID_NUMBER in [r[5] for r in body(full)]
    assert not AccessRecord.objects.get(user=users["county"]).is_masked


def test_exit_results_by_village(as_user, users, two_villages):
    li, other = two_villages
    ExitCase.objects.create(household=li, year=2018, status=ExitStatus.EXITED)
    ExitCase.objects.create(household=other, year=2018, status=ExitStatus.NOTICE)
    sheet = download(as_user(users["county"]), "exit-results")
    assert_frame(sheet, "贫困户退出结果统计表")
    rows = {r[1]: r for r in body(sheet)}
    assert rows["匡郎村委会"][2:] == (1, 1, 0, 2)
    assert rows["荒田村委会"][2:] == (1, 0, 1, 3)
    assert totals(sheet) == ("合计（2个村）", None, 2, 1, 1, 5)


def test_monitoring_objects(as_user, users, two_villages, village):
    li, _other = two_villages
    MonitoringCase.objects.create(
        household=li,
        village=village,
        year=2018,
        stage="object",
        is_open=True,
        risk_level="high",
        risk_types=[],
        category="edge",
        opened_on=date(2018, 3, 1),
        due_on=date(2018, 3, 16),
        identified_on=date(2018, 3, 10),
    )
    sheet = download(as_user(users["county"]), "monitoring-objects")
    assert_frame(sheet, "防返贫监测对象名册")
    rows = body(sheet)
    assert len(rows) == 1
    assert rows[0][2] == "李秀英"
    assert rows[0][7] == "2018-03-10"
    assert totals(sheet)[:4] == ("合计（1户）", None, None, 2)
    assert body(download(as_user(users["other_village"]), "monitoring-objects")) == []


def test_investment_summary_by_programme_and_source(as_user, users, village, other_village):
    plan = Plan.objects.create(version="t1", title="测试规划", year_from=2016, year_to=2020)
    roads = Programme.objects.create(plan=plan, code="road", name="道路工程", order=1)
    water = Programme.objects.create(plan=plan, code="water", name="饮水工程", order=2)
    a = Project.objects.create(
        programme=roads,
        name="通村路",
        region=village,
        year_from=2018,
        year_to=2018,
        investment=Decimal("100000"),
    )
    b = Project.objects.create(
        programme=water,
        name="水池",
        region=other_village,
        year_from=2017,
        year_to=2019,
        investment=Decimal("50000"),
    )
    Project.objects.create(
        programme=water, name="往年", region=village, year_from=2016, year_to=2016, investment=Decimal("999")
    )
    ProjectFunding.objects.create(project=a, channel=Channel.SPECIAL, amount=Decimal("60000"))
    ProjectFunding.objects.create(project=a, channel=Channel.SOCIAL, amount=Decimal("10000"))
    ProjectFunding.objects.create(project=b, channel=Channel.SECTOR, amount=Decimal("50000"))
    sheet = download(as_user(users["county"]), "investment")
    assert_frame(sheet, "扶贫项目投资汇总表")
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header[3] == "专项扶贫资金（元）"
    assert header[-1] == "资金缺口（元）"
    rows = body(sheet)
    assert [r[0] for r in rows] == ["道路工程", "饮水工程"]
    assert [float(v) for v in rows[0][1:]] == [1, 100000, 60000, 0, 10000, 0, 30000]
    assert [float(v) for v in totals(sheet)[1:]] == [2, 150000, 60000, 50000, 10000, 0, 30000]
    village_sheet = download(as_user(users["village"]), "investment")
    assert [r[0] for r in body(village_sheet)] == ["道路工程"]


def test_pairing_and_visit_statistics(as_user, users, two_villages):
    li, other = two_villages
    li.status = other.status = PovertyStatus.POOR
    li.save()
    other.save()
    pairing = PairingFactory(household=li, cadre=users["cadre"])
    VisitFactory(household=li, cadre=pairing.cadre, visited_on=date(2018, 5, 1))
    VisitFactory(household=li, cadre=pairing.cadre, visited_on=date(2018, 9, 1))
    VisitFactory(household=li, cadre=pairing.cadre, visited_on=date(2017, 9, 1))
    sheet = download(as_user(users["county"]), "pairing-visits")
    assert_frame(sheet, "结对帮扶与走访统计表")
    rows = {r[1]: r for r in body(sheet)}
    assert rows["匡郎村委会"][2:] == (1, 1, 0, 1, 2)
    assert rows["荒田村委会"][2:] == (1, 0, 1, 0, 0)
    assert totals(sheet)[2:] == (2, 1, 1, 1, 2)


def test_problem_ledger(as_user, users, village, other_village):
    unit = UnitFactory(name="县交通局")
    ProblemFactory(title="道路未硬化", region=village, responsible_unit=unit)
    ProblemFactory(title="台账不全", region=other_village, responsible_unit=unit)
    sheet = download(as_user(users["inspector"]), "problems")
    assert_frame(sheet, "督查问题整改台账")
    assert sorted(r[2] for r in body(sheet)) == ["台账不全", "道路未硬化"]
    assert totals(sheet)[0] == "合计（2件）"
    assert [r[2] for r in body(download(as_user(users["village"]), "problems"))] == ["道路未硬化"]


def test_reports_page_lists_the_seven_and_refuses_the_cadre(as_user, users, village, li_household):
    page = as_user(users["township"]).get("/reports/standard/", {"year": 2018, "area": village.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("下载 .xlsx") == 7
    assert f"area={village.pk}" in html
    assert "标准报表" in html
    assert f"/reports/villages/{village.pk}/monitoring-notice.pdf" in html
    assert (
        "/reports/reverse-notification.pdf" not in html
    )  # the township may not see the reverse notification
    assert as_user(users["cadre"]).get("/reports/standard/").status_code == 403
    assert as_user(users["cadre"]).get("/reports/standard/households.xlsx?year=2018").status_code == 403
