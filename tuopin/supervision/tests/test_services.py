"""The ledger moves by allowed transitions only; every move is in the history; refusals change nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuopin.assistance.tests.factories import UnitFactory
from tuopin.core.errors import ApplicationError, PermissionDeniedError, StaleEditError
from tuopin.supervision import services
from tuopin.supervision.models import MoveKind, Problem, ProblemStatus
from tuopin.supervision.tests.factories import InspectionFactory, ProblemFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def problem(users, tree):
    inspection = InspectionFactory.create(created_by=users["inspector"])
    return services.problem_record(
        inspection=inspection,
        by=users["inspector"],
        title="帮扶干部未制定帮扶计划",
        responsible_unit=UnitFactory.create(),
        responsible_person="李四",
        deadline=datetime.date(2018, 7, 31),
        required_rectification="逐户制定帮扶措施",
        region=tree["village_a1"],
    )


def test_an_inspector_records_a_problem_and_the_record_is_the_first_move(problem, users):
    assert problem.status == ProblemStatus.OPEN
    assert list(problem.moves.values_list("kind", "to_status", "by")) == [
        (MoveKind.RECORD, ProblemStatus.OPEN, users["inspector"].pk)
    ]


def test_a_village_user_cannot_record_problems(users):
    inspection = InspectionFactory.create(created_by=users["inspector"])
    with pytest.raises(PermissionDeniedError, match="只有督查人员和县级用户可以登记问题"):
        services.problem_record(
            inspection=inspection,
            by=users["village_a1"],
            title="x",
            responsible_unit=UnitFactory.create(),
            responsible_person="x",
            deadline=datetime.date(2018, 7, 31),
            required_rectification="x",
        )
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    ("to", "message"),
    [
        (ProblemStatus.CLEARED, "不允许从“挂账”直接改为“已销号”"),
        (ProblemStatus.CLEARANCE_REQUESTED, "不允许从“挂账”直接改为“申请销号”"),
    ],
)
def test_a_move_not_allowed_is_refused_in_chinese_and_nothing_changes(problem, users, to, message):
    with pytest.raises(ApplicationError, match=message):
        services.problem_move(problem=problem, to=to, by=users["county"])
    problem.refresh_from_db()
    assert (problem.status, problem.version, problem.moves.count()) == (ProblemStatus.OPEN, 1, 1)


def test_clearance_cannot_be_requested_without_rectification_and_evidence(problem, users, media):
    services.problem_move(problem=problem, to=ProblemStatus.RECTIFYING, by=users["village_a1"])
    with pytest.raises(ApplicationError, match="申请销号前请填写整改情况"):
        services.problem_move(problem=problem, to=ProblemStatus.CLEARANCE_REQUESTED, by=users["village_a1"])
    with pytest.raises(ApplicationError, match="申请销号前请上传整改佐证材料"):
        services.problem_move(
            problem=problem,
            to=ProblemStatus.CLEARANCE_REQUESTED,
            by=users["village_a1"],
            rectification="已制定",
        )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RECTIFYING
    assert problem.rectification == ""


def test_the_whole_path_with_a_return_is_in_the_history(problem, users, media):
    village = users["village_a1"]
    services.problem_move(problem=problem, to=ProblemStatus.RECTIFYING, by=village)
    services.evidence_add(problem=problem, upload=SimpleUploadedFile("计划.pdf", b"%PDF-1.4 x"), by=village)
    services.problem_move(
        problem=problem, to=ProblemStatus.CLEARANCE_REQUESTED, by=village, rectification="已逐户制定"
    )
    with pytest.raises(ApplicationError, match="退回时请写明退回原因"):
        services.problem_move(problem=problem, to=ProblemStatus.RECTIFYING, by=users["inspector"])
    with pytest.raises(PermissionDeniedError):
        services.problem_move(problem=problem, to=ProblemStatus.CLEARED, by=village)
    services.problem_move(
        problem=problem, to=ProblemStatus.RECTIFYING, by=users["inspector"], note="措施不具体"
    )
    services.problem_move(problem=problem, to=ProblemStatus.CLEARANCE_REQUESTED, by=village)
    cleared = services.problem_move(problem=problem, to=ProblemStatus.CLEARED, by=users["inspector"])
    assert cleared.status == ProblemStatus.CLEARED
    assert cleared.cleared_at is not None
    moves = list(problem.moves.values_list("kind", "from_status", "to_status", "by"))
    assert moves == [
        (MoveKind.RECORD, "", "open", users["inspector"].pk),
        (MoveKind.START, "open", "rectifying", village.pk),
        (MoveKind.REQUEST, "rectifying", "clearance_requested", village.pk),
        (MoveKind.RETURN, "clearance_requested", "rectifying", users["inspector"].pk),
        (MoveKind.REQUEST, "rectifying", "clearance_requested", village.pk),
        (MoveKind.CLEAR, "clearance_requested", "cleared", users["inspector"].pk),
    ]
    with pytest.raises(ApplicationError, match="不允许从“已销号”"):
        services.problem_move(problem=problem, to=ProblemStatus.RECTIFYING, by=users["county"])


def test_only_an_overdue_problem_can_be_escalated_to_a_named_body(users):
    due = ProblemFactory.create(deadline=timezone.localdate() + datetime.timedelta(days=3))
    late = ProblemFactory.create(deadline=datetime.date(2018, 7, 31))
    with pytest.raises(ApplicationError, match="只有超过整改期限的问题才能移交"):
        services.problem_escalate(problem=due, body="县纪委监委", by=users["inspector"])
    escalated = services.problem_escalate(problem=late, body="县纪委监委", by=users["inspector"])
    assert escalated.escalated_to == "县纪委监委"
    assert late.moves.get().kind == MoveKind.ESCALATE


def test_evidence_over_the_size_limit_is_refused(problem, users, media, settings):
    settings.SUPERVISION_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ApplicationError, match="文件不能超过"):
        services.evidence_add(
            problem=problem, upload=SimpleUploadedFile("a.pdf", b"x" * 11), by=users["village_a1"]
        )
    assert not problem.evidence.exists()


def test_editing_a_problem_from_a_stale_form_is_refused(problem, users):
    services.problem_update(
        problem=problem, version=1, changes={"responsible_person": "王五"}, by=users["inspector"]
    )
    with pytest.raises(StaleEditError):
        services.problem_update(problem=problem, version=1, changes={"title": "旧标题"}, by=users["county"])
    problem.refresh_from_db()
    assert (problem.responsible_person, problem.title, problem.version) == (
        "王五",
        "帮扶干部未制定帮扶计划",
        2,
    )
