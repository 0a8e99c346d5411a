"""The exit procedure (拟退出 → … → 已脱贫): one step at a time, each recorded with who and when; the criteria
are re-checked at the proposal and at the township and county decisions."""

from datetime import date

from django.db import transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.assessment.engine.explain import explain
from tuopin.assessment.engine.rules import EXIT_RULESET
from tuopin.assessment.models import ExitCase, ExitStatus, ExitStep
from tuopin.assessment.selectors.households import household_inputs
from tuopin.assessment.standards import resolve
from tuopin.core.errors import ApplicationError
from tuopin.registry.models import NOT_EXITED_STATUSES, Household, PovertyStatus
from tuopin.registry.procedures import household_status_record

# 拟退出 → 村民主评议 → 村内公示 → 乡镇审核 → 县审定公告 → 已脱贫; withdrawal (with a reason) before the
# county's decision; 返贫 after exit. No other move is possible, so no step can be skipped.
EXIT_TRANSITIONS: dict[str, set[str]] = {
    ExitStatus.PROPOSED: {ExitStatus.REVIEWED, ExitStatus.WITHDRAWN},
    ExitStatus.REVIEWED: {ExitStatus.NOTICE, ExitStatus.WITHDRAWN},
    ExitStatus.NOTICE: {ExitStatus.TOWNSHIP_CHECKED, ExitStatus.WITHDRAWN},
    ExitStatus.TOWNSHIP_CHECKED: {ExitStatus.COUNTY_APPROVED, ExitStatus.WITHDRAWN},
    ExitStatus.COUNTY_APPROVED: {ExitStatus.EXITED},
    ExitStatus.EXITED: {ExitStatus.RELAPSED},
    ExitStatus.WITHDRAWN: set(),
    ExitStatus.RELAPSED: set(),
}
# who may record each step: one named action per step (accounts.permissions), asked with the household
STEP_ACTIONS: dict[str, str] = {
    ExitStatus.PROPOSED: "assessment.exit_propose",
    ExitStatus.REVIEWED: "assessment.exit_review",
    ExitStatus.NOTICE: "assessment.exit_notice",
    ExitStatus.TOWNSHIP_CHECKED: "assessment.exit_township_check",
    ExitStatus.COUNTY_APPROVED: "assessment.exit_county_approve",
    ExitStatus.EXITED: "assessment.exit_announce",
    ExitStatus.WITHDRAWN: "assessment.exit_withdraw",
    ExitStatus.RELAPSED: "assessment.exit_relapse",
}
RECHECK_CRITERIA = {ExitStatus.PROPOSED, ExitStatus.TOWNSHIP_CHECKED, ExitStatus.COUNTY_APPROVED}


def _check_step_allowed(*, by: User, household: Household, to_status: str) -> None:
    require(by, STEP_ACTIONS[to_status], household)


def _failing_criteria(household: Household, year: int) -> list[str]:
    _, params, _ = resolve(year, household.village)
    row, members = household_inputs(household.pk, year=year)
    explanation = explain(EXIT_RULESET, row, members, params, year=year)
    return [f"{c.title}（{c.label}）" for c in explanation.failing]


@transaction.atomic
def exit_case_propose(
    *, household: Household, year: int, by: User, on_date: date, document: str = "", note: str = ""
) -> ExitCase:
    """拟退出: only a household not yet exited, with every criterion met, and no open case this year."""
    _check_step_allowed(by=by, household=household, to_status=ExitStatus.PROPOSED)
    if household.status not in NOT_EXITED_STATUSES:
        raise ApplicationError("只有未脱贫（含返贫）户可以拟退出", field="status")
    failing = _failing_criteria(household, year)
    if failing:
        raise ApplicationError(
            "以下标准未达标或数据缺失，不能拟退出：" + "；".join(failing), field="criteria"
        )
    if (
        ExitCase.objects.filter(household=household, year=year)
        .exclude(status__in=(ExitStatus.WITHDRAWN, ExitStatus.RELAPSED))
        .exists()
    ):
        raise ApplicationError(f"该户{year}年已有退出程序在办", field="year")
    case = ExitCase.objects.create(household=household, year=year, status=ExitStatus.PROPOSED)
    ExitStep.objects.create(
        case=case,
        from_status="",
        to_status=ExitStatus.PROPOSED,
        on_date=on_date,
        by=by,
        document=document,
        note=note,
    )
    return case


def _check_transition(case: ExitCase, to_status: str) -> None:
    if to_status not in ExitStatus.values:
        raise ApplicationError("未知的程序步骤", field="to_status")
    if to_status not in EXIT_TRANSITIONS[case.status]:
        allowed = "、".join(str(ExitStatus(s).label) for s in EXIT_TRANSITIONS[case.status]) or "无"
        raise ApplicationError(
            f"当前进度为“{case.get_status_display()}”，不能直接办理“{ExitStatus(to_status).label}”（可办理：{allowed}）",
            field="to_status",
        )


def _check_notice_period(case: ExitCase, on_date: date) -> None:
    """村内公示 lasts at least the standard's number of days before the township may check."""
    resolved, _, _ = resolve(case.year, case.household.village)
    days = int(resolved["public_notice_days"].value or 7)
    notice = case.steps.filter(to_status=ExitStatus.NOTICE).order_by("-id").first()
    if notice and (on_date - notice.on_date).days < days:
        raise ApplicationError(
            f"村内公示自{notice.on_date:%Y-%m-%d}起不少于{days}天，{on_date:%Y-%m-%d}尚未期满",
            field="on_date",
        )


@transaction.atomic
def exit_case_advance(
    *, case: ExitCase, to_status: str, by: User, on_date: date, document: str = "", note: str = ""
) -> ExitCase:
    """Record the next step. Refuses skipped steps, dates before the previous step, a 村内公示 shorter than
    the standard, and — at township and county decisions — a household that no longer meets a criterion."""
    case = ExitCase.objects.select_for_update().select_related("household__village").get(pk=case.pk)
    household = case.household
    _check_transition(case, to_status)
    _check_step_allowed(by=by, household=household, to_status=to_status)
    last = case.steps.order_by("-id").first()
    if last is not None and on_date < last.on_date:
        raise ApplicationError(f"日期不能早于上一步（{last.on_date:%Y-%m-%d}）", field="on_date")
    if to_status in (ExitStatus.WITHDRAWN, ExitStatus.RELAPSED) and not note.strip():
        raise ApplicationError("撤回或返贫须写明原因", field="note")
    if case.status == ExitStatus.NOTICE and to_status == ExitStatus.TOWNSHIP_CHECKED:
        _check_notice_period(case, on_date)
    if to_status == ExitStatus.RELAPSED and household.status != PovertyStatus.RELAPSED:
        raise ApplicationError(
            "返贫须先办理返贫程序（申请、民主评议、公示、乡镇审核、县审定公告），审定后再将本退出程序标为返贫",
            field="to_status",
        )
    if to_status in RECHECK_CRITERIA:
        failing = _failing_criteria(household, case.year)
        if failing:
            raise ApplicationError(
                "以下标准未达标或数据缺失，不能继续退出程序：" + "；".join(failing), field="criteria"
            )
    ExitStep.objects.create(
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
    if to_status == ExitStatus.EXITED:
        household_status_record(
            household=household,
            status=PovertyStatus.EXITED,
            by=by,
            reason=f"退出程序：{case.year}年县审定公告后脱贫",
            fields={"exit_year": case.year},
        )
    return case
