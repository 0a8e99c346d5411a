"""Writes of the problem ledger. ``problem_move`` is the one door for status changes: it checks
``PROBLEM_TRANSITIONS`` and writes the move row in the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.assistance.models import SubCommand, Unit
from tuopin.core.concurrency import bump, lock_current
from tuopin.core.errors import ApplicationError
from tuopin.projects.models import Project
from tuopin.regions.models import Region
from tuopin.registry.models import Household
from tuopin.supervision.models import (
    PROBLEM_TRANSITIONS,
    Evidence,
    Inspection,
    MoveKind,
    Problem,
    ProblemMove,
    ProblemStatus,
    WorkingGroup,
)

#: what each allowed move is called in the history
MOVE_KIND = {
    (ProblemStatus.OPEN, ProblemStatus.RECTIFYING): MoveKind.START,
    (ProblemStatus.RECTIFYING, ProblemStatus.CLEARANCE_REQUESTED): MoveKind.REQUEST,
    (ProblemStatus.CLEARANCE_REQUESTED, ProblemStatus.CLEARED): MoveKind.CLEAR,
    (ProblemStatus.CLEARANCE_REQUESTED, ProblemStatus.RECTIFYING): MoveKind.RETURN,
}
#: moves made by the reviewing side (inspectors); the others by the responsible area
REVIEW_MOVES = {MoveKind.CLEAR, MoveKind.RETURN}

EDITABLE_FIELDS = ("title", "description", "responsible_person", "deadline", "required_rectification")


@transaction.atomic
def inspection_create(
    *, kind: str, title: str, held_on: datetime.date, by: User, working_group: WorkingGroup | None = None
) -> Inspection:
    require(by, "supervision.record_problem")
    if not title.strip():
        raise ApplicationError(_("请填写督查检查的名称"), field="title")
    inspection = Inspection(
        kind=kind, title=title.strip(), held_on=held_on, working_group=working_group, created_by=by
    )
    inspection.full_clean(exclude=["created_by", "working_group"])
    inspection.save()
    return inspection


def _area_of(region: Region | None, household: Household | None, project: Project | None) -> Region | None:
    if household is not None:
        return household.village
    if project is not None and project.region_id is not None:
        return project.region
    return region


@transaction.atomic
def problem_record(
    *,
    inspection: Inspection,
    by: User,
    title: str,
    responsible_unit: Unit,
    responsible_person: str,
    deadline: datetime.date,
    required_rectification: str,
    description: str = "",
    region: Region | None = None,
    household: Household | None = None,
    project: Project | None = None,
    unit: Unit | None = None,
    sub_command: SubCommand | None = None,
) -> Problem:
    """Record (挂账) a problem an inspection found, on the object it was found on."""
    require(by, "supervision.record_problem")
    if deadline < inspection.held_on:
        raise ApplicationError(_("整改期限不能早于督查日期"), field="deadline")
    problem = Problem(
        inspection=inspection,
        title=title.strip(),
        description=description.strip(),
        region=_area_of(region, household, project),
        household=household,
        project=project,
        unit=unit,
        sub_command=sub_command,
        responsible_unit=responsible_unit,
        responsible_person=responsible_person.strip(),
        deadline=deadline,
        required_rectification=required_rectification.strip(),
        created_by=by,
    )
    problem.full_clean(
        exclude=[
            "inspection",
            "region",
            "household",
            "project",
            "unit",
            "sub_command",
            "responsible_unit",
            "created_by",
        ]
    )
    problem.save()
    ProblemMove.objects.create(problem=problem, kind=MoveKind.RECORD, to_status=problem.status, by=by)
    return problem


@transaction.atomic
def problem_move(
    *, problem: Problem, to: ProblemStatus | str, by: User, note: str = "", rectification: str | None = None
) -> Problem:
    """Move a problem along the allowed transitions only, writing the move with who and when.

    申请销号 needs the rectification written and at least one evidence file; 退回 needs a reason."""
    current = Problem.objects.select_for_update().get(pk=problem.pk)
    target = ProblemStatus(to)
    source = ProblemStatus(current.status)
    if target not in PROBLEM_TRANSITIONS[source]:
        raise ApplicationError(
            _("不允许从“%(from)s”直接改为“%(to)s”") % {"from": source.label, "to": target.label},
            field="status",
        )
    kind = MOVE_KIND[(source, target)]
    require(
        by, "supervision.review_problem" if kind in REVIEW_MOVES else "supervision.rectify_problem", current
    )
    if rectification is not None:
        current.rectification = rectification.strip()
    if kind == MoveKind.REQUEST:
        if not current.rectification:
            raise ApplicationError(_("申请销号前请填写整改情况"), field="rectification")
        if not current.evidence.exists():
            raise ApplicationError(_("申请销号前请上传整改佐证材料"), field="evidence")
    if kind == MoveKind.RETURN and not note.strip():
        raise ApplicationError(_("退回时请写明退回原因"), field="note")
    current.status = target
    current.cleared_at = timezone.now() if target == ProblemStatus.CLEARED else None
    bump(current)
    current.save(update_fields=["status", "cleared_at", "rectification", "version"])
    ProblemMove.objects.create(
        problem=current, kind=kind, from_status=source, to_status=target, note=note.strip(), by=by
    )
    return current


@transaction.atomic
def problem_escalate(*, problem: Problem, body: str, by: User, note: str = "") -> Problem:
    """Hand an overdue problem over (移交) to a named body for reminder, supervision and handling."""
    current = Problem.objects.select_for_update().get(pk=problem.pk)
    require(by, "supervision.review_problem", current)
    if current.status == ProblemStatus.CLEARED:
        raise ApplicationError(_("已销号的问题不能移交"), field="status")
    if not current.is_overdue(timezone.localdate()):
        raise ApplicationError(_("只有超过整改期限的问题才能移交"), field="deadline")
    if not body.strip():
        raise ApplicationError(_("请填写移交的部门"), field="body")
    current.escalated_to, current.escalated_at = body.strip(), timezone.now()
    bump(current)
    current.save(update_fields=["escalated_to", "escalated_at", "version"])
    ProblemMove.objects.create(
        problem=current,
        kind=MoveKind.ESCALATE,
        from_status=current.status,
        to_status=current.status,
        note=f"{current.escalated_to} {note}".strip(),
        by=by,
    )
    return current


@transaction.atomic
def problem_update(*, problem: Problem, version: int | None, changes: dict[str, Any], by: User) -> Problem:
    """Edit a problem's description fields (not its status) from a form opened at ``version``."""
    require(by, "supervision.review_problem", problem)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    current = lock_current(problem, version, seen={name: getattr(problem, name) for name in changes})
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    current.full_clean(
        exclude=[
            "inspection",
            "region",
            "household",
            "project",
            "unit",
            "sub_command",
            "responsible_unit",
            "created_by",
        ]
    )
    if not changes:
        return current
    bump(current)
    current.save(update_fields=[*changes, "version"])
    labels = "、".join(str(getattr(Problem._meta.get_field(name), "verbose_name", name)) for name in changes)
    ProblemMove.objects.create(
        problem=current,
        kind=MoveKind.EDIT,
        from_status=current.status,
        to_status=current.status,
        note=labels,
        by=by,
    )
    return current


@transaction.atomic
def evidence_add(*, problem: Problem, upload: UploadedFile, by: User, note: str = "") -> Evidence:
    """Attach a rectification evidence file (size-bounded) to an open problem."""
    require(by, "supervision.rectify_problem", problem)
    if problem.status == ProblemStatus.CLEARED:
        raise ApplicationError(_("已销号的问题不能再上传材料"), field="file")
    limit = settings.SUPERVISION_EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ApplicationError(_("文件为空"), field="file")
    if upload.size > limit:
        raise ApplicationError(_("文件不能超过 %(mb)d MB") % {"mb": limit // (1024 * 1024)}, field="file")
    name = (upload.name or "file")[-200:]
    evidence = Evidence(problem=problem, name=name, size=upload.size, note=note.strip()[:200], uploaded_by=by)
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence
