"""Ledger pages: happy path, refusal in Chinese, jurisdiction, and the printable reverse notification."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuopin.assistance.tests.factories import SubCommandFactory, UnitFactory
from tuopin.supervision import services
from tuopin.supervision.models import Problem, ProblemStatus
from tuopin.supervision.tests.factories import InspectionFactory, ProblemFactory


@pytest.fixture
def inspector(client, users):
    client.force_login(users["inspector"])
    return client


def test_an_inspector_records_a_problem_through_the_form(inspector, users, tree):
    inspection = InspectionFactory.create(created_by=users["inspector"])
    unit = UnitFactory.create()
    response = inspector.post(
        reverse("supervision:create"),
        {
            "inspection": inspection.pk,
            "title": "档案资料缺失",
            "region": tree["village_a1"].pk,
            "responsible_unit": unit.pk,
            "responsible_person": "赵六",
            "deadline": "2018-08-31",
            "required_rectification": "补齐资料",
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert (problem.title, problem.status, problem.region) == ("档案资料缺失", "open", tree["village_a1"])


def test_a_problem_found_on_a_household_lies_in_its_village(inspector, users, households):
    inspection = InspectionFactory.create(created_by=users["inspector"])
    response = inspector.post(
        reverse("supervision:create"),
        {
            "inspection": inspection.pk,
            "title": "帮扶措施未落实",
            "household_no": households["b1"].household_no,
            "responsible_unit": UnitFactory.create().pk,
            "responsible_person": "赵六",
            "deadline": "2018-08-31",
            "required_rectification": "落实措施",
        },
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert (problem.household, problem.region) == (households["b1"], households["b1"].village)


def test_an_unknown_household_number_is_a_field_error(inspector, users):
    inspection = InspectionFactory.create(created_by=users["inspector"])
    response = inspector.post(
        reverse("supervision:create"),
        {"inspection": inspection.pk, "title": "x", "household_no": "NOPE", "responsible_person": "x"},
    )
    assert "没有找到该户编号的农户" in response.content.decode()
    assert not Problem.objects.exists()


def test_a_move_not_allowed_shows_the_chinese_refusal(inspector):
    problem = ProblemFactory.create()
    response = inspector.post(reverse("supervision:move", args=[problem.pk]), {"to": "cleared"}, follow=True)
    assert "不允许从“挂账”直接改为“已销号”" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_a_village_user_sees_only_problems_in_their_area_and_cannot_record(client, users, tree):
    own = ProblemFactory.create(region=tree["village_a1"], title="本村问题")
    ProblemFactory.create(region=tree["village_b1"], title="他村问题")
    client.force_login(users["village_a1"])
    body = client.get(reverse("supervision:list")).content.decode()
    assert "本村问题" in body
    assert "他村问题" not in body
    assert client.get(reverse("supervision:detail", args=[own.pk + 1])).status_code == 404
    assert client.get(reverse("supervision:create")).status_code == 403


def test_the_reverse_notification_lists_open_and_overdue_problems_by_unit_and_sub_command(inspector):
    unit = UnitFactory.create(name="县直单位甲")
    sub = SubCommandFactory.create(name="产业发展分指挥部")
    ProblemFactory.create(
        responsible_unit=unit, sub_command=sub, title="逾期问题", deadline=datetime.date(2018, 7, 1)
    )
    cleared = ProblemFactory.create(responsible_unit=unit, title="已销号问题")
    Problem.objects.filter(pk=cleared.pk).update(
        status=ProblemStatus.CLEARED, cleared_at="2018-07-01T00:00+08:00"
    )
    response = inspector.get(reverse("supervision:report"), {"month": "2018-07-01"})
    body = response.content.decode()
    assert "逾期问题" in body
    assert "已销号问题" not in body
    assert "产业发展分指挥部" in body
    assert "@media print" not in body  # print rules live in the stylesheet
    stats = {r["responsible_unit__name"]: r for r in response.context["unit_stats"]}
    assert (stats["县直单位甲"]["found"], stats["县直单位甲"]["cleared"], stats["县直单位甲"]["overdue"]) == (
        2,
        1,
        1,
    )


def test_the_reverse_notification_is_refused_to_village_users(client, users):
    client.force_login(users["village_a1"])
    assert client.get(reverse("supervision:report")).status_code == 403


def test_the_problem_page_shows_the_history_and_serves_evidence_to_its_area_only(
    client, users, tree, settings, tmp_path
):

    settings.MEDIA_ROOT = tmp_path
    problem = ProblemFactory.create(region=tree["village_a1"])
    evidence = services.evidence_add(
        problem=problem, upload=SimpleUploadedFile("整改.pdf", b"%PDF-1.4"), by=users["village_a1"]
    )
    client.force_login(users["village_a1"])
    page = client.get(reverse("supervision:detail", args=[problem.pk])).content.decode()
    assert "整改.pdf" in page
    assert (
        b"".join(client.get(reverse("supervision:evidence_download", args=[evidence.pk])).streaming_content)
        == b"%PDF-1.4"
    )
    client.force_login(users["village_b1"])
    assert client.get(reverse("supervision:evidence_download", args=[evidence.pk])).status_code == 404
