"""The monitoring notice and the reverse notification as PDFs: rendered, turned into an image (not blank),
their text extracted and checked for the content and for the absence of personal data."""

from datetime import date

import pytest

from tuopin.assistance.tests.factories import UnitFactory
from tuopin.monitoring.models import MonitoringCase
from tuopin.reports.tests.conftest import ID_NUMBER, assert_not_blank, first_page_image, pdf_text
from tuopin.supervision.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db
PHONE = "13812341234"


@pytest.fixture
def noticed(li_household, village):
    li_household.phone = PHONE
    li_household.save()
    head = li_household.members.get(relation="head")
    head.has_serious_disease = True
    head.is_disabled = True
    head.save()
    return MonitoringCase.objects.create(
        household=li_household,
        village=village,
        year=2018,
        stage="noticed",
        is_open=True,
        risk_level="high",
        risk_types=["illness"],
        category="edge",
        opened_on=date(2018, 3, 1),
        due_on=date(2018, 3, 16),
        notice_started_on=date(2018, 3, 20),
        notice_ended_on=date(2018, 3, 26),
    )


def assert_no_personal_data(text: str) -> None:
    for secret in (ID_NUMBER, ID_NUMBER[:6], PHONE, PHONE[-4:], "残疾", "大病", "慢性病", "银行"):
        assert secret not in text, secret


def test_monitoring_notice_pdf(as_user, users, village, noticed, tmp_path):
    response = as_user(users["village"]).get(f"/reports/villages/{village.pk}/monitoring-notice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_not_blank(first_page_image(response.content, tmp_path))
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "防止返贫监测对象公示",
        "匡郎村委会",
        "李秀英",
        "纳入监测",
        "2018年3月20日至2018年3月26日",
    ):
        assert expected in text, expected
    assert "不含身份证号码" in text  # the notice says what it leaves out …
    assert_no_personal_data(
        text.replace("本公示不含身份证号码、联系电话、银行账号和健康信息", "")
    )  # … and does


def test_monitoring_notice_refused_outside_the_village(as_user, users, village, noticed):
    assert (
        as_user(users["other_village"])
        .get(f"/reports/villages/{village.pk}/monitoring-notice.pdf")
        .status_code
        == 404
    )
    assert (
        as_user(users["inspector"]).get(f"/reports/villages/{village.pk}/monitoring-notice.pdf").status_code
        == 403
    )


def test_reverse_notification_pdf(as_user, users, village, li_household, tmp_path):
    li_household.phone = PHONE
    li_household.save()
    unit = UnitFactory(name="县交通局")
    ProblemFactory(title="通组道路未硬化", region=village, household=li_household, responsible_unit=unit)
    ProblemFactory(title="档案资料不全", region=village, responsible_unit=unit, deadline=date(2099, 1, 1))
    response = as_user(users["inspector"]).get("/reports/reverse-notification.pdf", {"month": "2018-07-01"})
    assert response.status_code == 200
    assert_not_blank(first_page_image(response.content, tmp_path))
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "逆向通报",
        "逾期未整改问题（1 个）",
        "通组道路未硬化",
        "档案资料不全",
        "县交通局",
        "2018年7月",
    ):
        assert expected in text, expected
    assert "李秀英" not in text
    assert_no_personal_data(text)
    assert as_user(users["village"]).get("/reports/reverse-notification.pdf").status_code == 403
