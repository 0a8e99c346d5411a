"""The procedures that own a household's status (脱贫状态) and member list.

* 纳入 (identification of a 卡外 household): 申请 → 民主评议 → 公示 (at least ``PROCEDURE_NOTICE_DAYS``) →
  乡镇审核 → 县审定公告; approval makes the household 未脱贫 with its identification year.
* 返贫 (relapse of an exited household): 申请 (with the reason) → 民主评议 → 公示 → 乡镇审核 → 县审定公告;
  approval makes the household 返贫.
* 退出 lives in the assessment app (``exit_case_propose`` / ``exit_case_advance``) and ends here too, in
  ``household_status_record``.
* Member changes: ``member_add`` / ``member_remove`` with a reason code and date (``MemberChange``).

Each procedure's allowed moves are one ``dict[ProcedureStatus, set[ProcedureStatus]]``; ``procedure_advance``
is the one service that checks it, records the step (who, when, document) and, on approval, writes the status
and its history row. A case can be withdrawn (with a reason) until the county decides.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.errors import ApplicationError
from tuopin.core.history import with_actor
from tuopin.registry.models import (
    Household,
    MemberChange,
    MemberChangeKind,
    MemberChangeReason,
    Person,
    PovertyStatus,
    ProcedureCase,
    ProcedureKind,
    ProcedureStatus,
    ProcedureStep,
)
from tuopin.registry.models_procedures import MEMBER_REASONS
from tuopin.registry.validation import person_errors

S = ProcedureStatus

IDENTIFICATION_TRANSITIONS: dict[ProcedureStatus, set[ProcedureStatus]] = {
    S.APPLIED: {S.REVIEWED, S.WITHDRAWN},
    S.REVIEWED: {S.NOTICE, S.WITHDRAWN},
    S.NOTICE: {S.TOWNSHIP_CHECKED, S.WITHDRAWN},
    S.TOWNSHIP_CHECKED: {S.COUNTY_APPROVED, S.WITHDRAWN},
    S.COUNTY_APPROVED: set(),
    S.WITHDRAWN: set(),
}
RELAPSE_TRANSITIONS: dict[ProcedureStatus, set[ProcedureStatus]] = {
    S.APPLIED: {S.REVIEWED, S.WITHDRAWN},
    S.REVIEWED: {S.NOTICE, S.WITHDRAWN},
    S.NOTICE: {S.TOWNSHIP_CHECKED, S.WITHDRAWN},
    S.TOWNSHIP_CHECKED: {S.COUNTY_APPROVED, S.WITHDRAWN},
    S.COUNTY_APPROVED: set(),
    S.WITHDRAWN: set(),
}
TRANSITIONS = {
    ProcedureKind.IDENTIFICATION: IDENTIFICATION_TRANSITIONS,
    ProcedureKind.RELAPSE: RELAPSE_TRANSITIONS,
}

#: the permission each step needs (village proposes, reviews and posts the notice; township checks; county decides)
STEP_ACTIONS: dict[ProcedureStatus, str] = {
    S.APPLIED: "registry.procedure_propose",
    S.REVIEWED: "registry.procedure_propose",
    S.NOTICE: "registry.procedure_propose",
    S.WITHDRAWN: "registry.procedure_propose",
    S.TOWNSHIP_CHECKED: "registry.procedure_township_check",
    S.COUNTY_APPROVED: "registry.procedure_county_approve",
}
#: the household status each procedure starts from and the one its approval sets
START_STATUS = {
    ProcedureKind.IDENTIFICATION: {PovertyStatus.UNREGISTERED},
    ProcedureKind.RELAPSE: {PovertyStatus.EXITED},
}
RESULT_STATUS = {
    ProcedureKind.IDENTIFICATION: PovertyStatus.POOR,
    ProcedureKind.RELAPSE: PovertyStatus.RELAPSED,
}
#: fields only procedures write; the household edit form does not offer them and ``household_update`` refuses them
PROCEDURE_FIELDS = frozenset({"status", "status_by_procedure", "identification_year", "exit_year"})


def notice_days() -> int:
    return int(getattr(settings, "PROCEDURE_NOTICE_DAYS", 5))


def household_status_record(
    *, household: Household, status: str, by: User, reason: str, fields: dict[str, Any] | None = None
) -> Household:
    """Set the status (and the procedure-owned ``fields``) as a procedure decided, with its history row.

    Only procedure services call this: 纳入 and 返贫 here, 退出 in ``assessment.services.exit_case_advance``."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    household.status = status
    household.status_by_procedure = status
    for name, value in (fields or {}).items():
        if name not in PROCEDURE_FIELDS:
            raise ValueError(f"{name} is not a procedure-owned field")
        setattr(household, name, value)
    household.version += 1
    with_actor(household, by, reason).save()
    return household


@transaction.atomic
def procedure_start(
    *,
    household: Household,
    kind: str,
    year: int,
    by: User,
    on_date: date,
    reason: str = "",
    main_cause: str = "",
    document: str = "",
    note: str = "",
) -> ProcedureCase:
    """申请: a 卡外 household applies for 纳入, or an exited household's 返贫 is proposed (with its reason)."""
    if kind not in TRANSITIONS:
        raise ApplicationError(_("未知的程序"), field="kind")
    kind = ProcedureKind(kind)
    require(by, STEP_ACTIONS[S.APPLIED], household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status not in START_STATUS[kind]:
        allowed = "、".join(str(PovertyStatus(s).label) for s in START_STATUS[kind])
        raise ApplicationError(
            _("只有%(allowed)s可以办理“%(kind)s”，该户现为“%(now)s”")
            % {"allowed": allowed, "kind": ProcedureKind(kind).label, "now": household.get_status_display()},
            field="status",
        )
    if kind == ProcedureKind.RELAPSE and not reason.strip():
        raise ApplicationError(_("请写明返贫原因"), field="reason")
    if kind == ProcedureKind.IDENTIFICATION and not (main_cause or household.main_cause):
        raise ApplicationError(_("请填写主要致贫原因"), field="main_cause")
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("年度应在2000—2100之间"), field="year")
    try:
        with transaction.atomic():
            case = ProcedureCase.objects.create(
                household=household,
                kind=kind,
                year=year,
                status=S.APPLIED,
                reason=reason.strip()[:300],
                main_cause=main_cause or household.main_cause,
                result_status=RESULT_STATUS[ProcedureKind(kind)],
            )
    except IntegrityError as exc:
        raise ApplicationError(
            _("该户已有在办的“%(kind)s”程序") % {"kind": ProcedureKind(kind).label}, field="kind"
        ) from exc
    ProcedureStep.objects.create(
        case=case, from_status="", to_status=S.APPLIED, on_date=on_date, by=by, document=document, note=note
    )
    return case


def _check_move(case: ProcedureCase, to_status: str) -> None:
    if to_status not in ProcedureStatus.values:
        raise ApplicationError(_("未知的程序步骤"), field="to_status")
    transitions = TRANSITIONS[ProcedureKind(case.kind)]
    allowed_moves = transitions.get(ProcedureStatus(case.status), set())
    if to_status not in allowed_moves:
        allowed = "、".join(str(s.label) for s in sorted(allowed_moves)) or _("无")
        raise ApplicationError(
            _("当前进度为“%(now)s”，不能直接办理“%(step)s”（可办理：%(allowed)s）")
            % {
                "now": case.get_status_display(),
                "step": ProcedureStatus(to_status).label,
                "allowed": allowed,
            },
            field="to_status",
        )


def _check_dates(case: ProcedureCase, to_status: str, on_date: date) -> None:
    last = case.steps.order_by("-id").first()
    if last is not None and on_date < last.on_date:
        raise ApplicationError(_("日期不能早于上一步（%s）") % f"{last.on_date:%Y-%m-%d}", field="on_date")
    if case.status == S.NOTICE and to_status == S.TOWNSHIP_CHECKED:
        notice = case.steps.filter(to_status=S.NOTICE).order_by("-id").first()
        days = notice_days()
        if notice is not None and (on_date - notice.on_date).days < days:
            raise ApplicationError(
                _("公示自%(start)s起不少于%(days)s天，%(day)s尚未期满")
                % {"start": f"{notice.on_date:%Y-%m-%d}", "days": days, "day": f"{on_date:%Y-%m-%d}"},
                field="on_date",
            )


@transaction.atomic
def procedure_advance(
    *, case: ProcedureCase, to_status: str, by: User, on_date: date, document: str = "", note: str = ""
) -> ProcedureCase:
    """Record the next step. Refuses a skipped step, a date before the previous step, a 公示 shorter than the
    configured days and a step the user's role may not take; 县审定公告 sets the household's status."""
    case = ProcedureCase.objects.select_for_update().select_related("household__village").get(pk=case.pk)
    if case.kind not in TRANSITIONS:
        raise ApplicationError(_("历史数据迁入的记录不能办理"), field="to_status")
    _check_move(case, to_status)
    require(by, STEP_ACTIONS[ProcedureStatus(to_status)], case.household)
    _check_dates(case, to_status, on_date)
    if to_status == S.WITHDRAWN and not note.strip():
        raise ApplicationError(_("撤回须写明原因"), field="note")
    ProcedureStep.objects.create(
        case=case,
        from_status=case.status,
        to_status=to_status,
        on_date=on_date,
        by=by,
        document=document,
        note=note,
    )
    case.status = to_status
    case.save(update_fields=["status"])
    if to_status == S.COUNTY_APPROVED:
        _approve(case, by)
    return case


def _approve(case: ProcedureCase, by: User) -> None:
    household = case.household
    if household.status not in START_STATUS[ProcedureKind(case.kind)]:
        raise ApplicationError(
            _("该户现为“%(now)s”，不能再审定此程序") % {"now": household.get_status_display()}, field="status"
        )
    if case.kind == ProcedureKind.IDENTIFICATION:
        fields = {"identification_year": case.year}
        if not household.main_cause:
            Household.objects.filter(pk=household.pk).update(main_cause=case.main_cause)
        reason = _("纳入程序：%(year)s年县审定公告后纳入建档立卡") % {"year": case.year}
    else:
        fields = {}
        reason = _("返贫程序：%(year)s年县审定公告，原因：%(why)s") % {"year": case.year, "why": case.reason}
    household_status_record(
        household=household,
        status=RESULT_STATUS[ProcedureKind(case.kind)],
        by=by,
        reason=reason,
        fields=fields,
    )


def legacy_cases_record(*, households: list[Household], by: User, on_date: date, note: str) -> int:
    """Record the status of households taken over from earlier data (demo build, first migration of a county's
    registry) as a 历史数据迁入 case with one step, so the data-quality rule sees a procedure behind it."""
    cases = ProcedureCase.objects.bulk_create(
        [
            ProcedureCase(
                household=h,
                kind=ProcedureKind.LEGACY,
                year=h.identification_year or h.data_year,
                status=S.MIGRATED,
                main_cause=h.main_cause,
                result_status=h.status,
                reason=note,
            )
            for h in households
        ],
        batch_size=1000,
    )
    ProcedureStep.objects.bulk_create(
        [
            ProcedureStep(case=c, from_status="", to_status=S.MIGRATED, on_date=on_date, by=by, note=note)
            for c in cases
        ],
        batch_size=1000,
    )
    return len(cases)


# --- member changes ---------------------------------------------------------------------------------------


def _check_reason(kind: str, reason: str, note: str) -> None:
    if reason not in MEMBER_REASONS[kind]:
        allowed = "、".join(str(MemberChangeReason(r).label) for r in sorted(MEMBER_REASONS[kind]))
        raise ApplicationError(_("请选择变动原因（%s）") % allowed, field="reason")
    if reason == MemberChangeReason.OTHER and not note.strip():
        raise ApplicationError(_("原因为“其他”时请写明说明"), field="note")


@transaction.atomic
def member_add(
    *, household: Household, by: User, data: dict[str, Any], reason: str, on_date: date, note: str = ""
) -> Person:
    """Add a member (出生, 婚入, 分户 or 其他), recorded as a ``MemberChange``."""
    from tuopin.registry.services import _person_business_errors, _raise

    require(by, "registry.change_members", household)
    _check_reason(MemberChangeKind.ADD, reason, note)
    values, errors = person_errors(data, year=household.data_year)
    _person_business_errors(household, values, errors, by=by)
    _raise(errors)
    person = Person(household=household, **values)
    try:
        with transaction.atomic():
            with_actor(person, by, f"增加成员：{MemberChangeReason(reason).label}").save()
    except IntegrityError as exc:  # a concurrent write won the race for head/spouse/ID
        raise ApplicationError(_("保存失败：户主、配偶或证件号码与已有记录冲突，请刷新后重试")) from exc
    MemberChange.objects.create(
        household=household,
        person=person,
        person_name=person.name,
        kind=MemberChangeKind.ADD,
        reason=reason,
        on_date=on_date,
        note=note.strip()[:200],
        by=by,
    )
    return person


@transaction.atomic
def member_remove(*, person: Person, by: User, reason: str, on_date: date, note: str = "") -> MemberChange:
    """Remove a member (死亡, 婚出, 分户 or 其他), recorded as a ``MemberChange``; the history keeps the row."""
    household = person.household
    require(by, "registry.change_members", household)
    _check_reason(MemberChangeKind.REMOVE, reason, note)
    if person.relation == "head" and household.members.count() > 1:
        raise ApplicationError(_("请先将其他成员设为户主，再减少原户主"), field="relation")
    label = MemberChangeReason(reason).label
    change = MemberChange.objects.create(
        household=household,
        person=None,
        person_name=person.name,
        kind=MemberChangeKind.REMOVE,
        reason=reason,
        on_date=on_date,
        note=note.strip()[:200],
        by=by,
    )
    with_actor(person, by, f"减少成员：{label}" + (f"（{note.strip()}）" if note.strip() else "")).delete()
    return change
