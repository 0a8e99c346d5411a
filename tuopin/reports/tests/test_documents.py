"""Printed documents: each rendered, turned into an image (not blank) and its text extracted."""

from datetime import date

import pytest

from tuopin.assessment.models import ExitStatus
from tuopin.assessment.services import assessment_run, exit_case_advance, exit_case_propose
from tuopin.assessment.tests import factories
from tuopin.registry.privacy import mask_id_number
from tuopin.reports.tests.conftest import (
    ID_NUMBER,
    assert_not_blank,
    first_page_image,
    pdf_fonts,
    pdf_text,
)

pytestmark = pytest.mark.django_db
MASKED = "5301**********0019"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (ID_NUMBER, MASKED),
        ("", ""),
        (None, ""),
        ("12345678", "********"),
        ("53012719800315001X", "5301**********001X"),
    ],
)
def test_documents_use_the_one_id_mask(value, masked):
    assert mask_id_number(value) == masked


def test_household_file_for_village_staff_prints_full_id_and_every_section(
    as_user, users, li_household, tmp_path
):
    assessment_run(year=2018, by=users["county"])
    response = as_user(users["village"]).get(f"/reports/households/{li_household.pk}/file.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    pdf = response.content
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "建档立卡贫困户扶贫手册",
        "李秀英",
        "王小明",
        "匡郎村委会",
        "小街镇",
        "家庭成员（2 人）",
        "家庭收入",
        "生产生活条件",
        "退出评估",
        "2018年评估",
        "不住C、D级危房",
        "第 1 页",
    ):
        assert expected in text, expected
    assert ID_NUMBER in text
    assert_not_blank(first_page_image(pdf, tmp_path))
    # the bundled font only: nothing taken from the machine's fonts
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts
    assert all("Tuopin" in name for name in fonts), fonts


@pytest.mark.parametrize("role", ["cadre", "inspector"])
def test_household_file_masks_id_numbers_for_readers(as_user, users, li_household, tmp_path, role):
    response = as_user(users[role]).get(f"/reports/households/{li_household.pk}/file.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "李秀英" in text
    assert ID_NUMBER not in text
    assert MASKED in text
    assert "尚无该户的正式评估结果" in text  # no run yet: said, not invented


def test_household_file_outside_jurisdiction_is_404(as_user, users, li_household):
    assert (
        as_user(users["other_village"]).get(f"/reports/households/{li_household.pk}/file.pdf").status_code
        == 404
    )


def test_household_file_link_on_household_page(as_user, users, li_household):
    page = as_user(users["village"]).get(f"/households/{li_household.pk}/")
    assert f"/reports/households/{li_household.pk}/file.pdf" in page.content.decode()


def _to_notice(household, users):
    v = users["village"]
    case = exit_case_propose(household=household, year=2018, by=v, on_date=date(2018, 9, 1))
    case = exit_case_advance(case=case, to_status=ExitStatus.REVIEWED, by=v, on_date=date(2018, 9, 5))
    return exit_case_advance(case=case, to_status=ExitStatus.NOTICE, by=v, on_date=date(2018, 9, 6))


def test_exit_notice_lists_reviewed_households_without_personal_data(
    as_user, users, village, li_household, tmp_path
):
    _to_notice(li_household, users)
    proposed_only = factories.household(village, members=[{"name": "赵建国"}], planned_exit_year=2018)
    exit_case_propose(household=proposed_only, year=2018, by=users["village"], on_date=date(2018, 9, 1))
    response = as_user(users["township"]).get(f"/reports/villages/{village.pk}/exit-notice.pdf?year=2018")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "匡郎村委会2018年贫困户退出公示",
        "李秀英",
        "村内公示",
        "2018年9月6日",
        "不少于7天",
        "1 户 2 人",
    ):
        assert expected in text, expected
    assert "赵建国" not in text  # only proposed, not yet reviewed by the villagers
    assert ID_NUMBER not in text
    assert "王小明" not in text  # heads of household only
    assert_not_blank(first_page_image(pdf, tmp_path))


def test_exit_notice_refusals(as_user, users, village, li_household):
    url = f"/reports/villages/{village.pk}/exit-notice.pdf"
    assert as_user(users["other_village"]).get(url).status_code == 404
    assert as_user(users["cadre"]).get(url).status_code == 403  # a cadre sees paired households only
    assert as_user(users["village"]).get(url + "?year=abc").status_code == 200  # bad year: the default


def test_exit_notice_link_on_village_page(as_user, users, village, li_household):
    page = as_user(users["village"]).get(f"/assessment/villages/{village.pk}/")
    assert f"/reports/villages/{village.pk}/exit-notice.pdf" in page.content.decode()


def test_mpi_in_navigation_only_for_roles_that_may_see_it(as_user, users, li_household):
    assert "/reports/mpi/" in as_user(users["township"]).get("/").content.decode()
    assert (
        "/reports/mpi/" not in as_user(users["cadre"]).get(f"/households/{li_household.pk}/").content.decode()
    )
