"""Monitoring use cases: clues (raised by triggers, departments, visits, self-applications, hotline reports) and
the procedure of a case, one step at a time, each step with who and when (``CaseStep``).

The procedure is one transition dict (``TRANSITIONS``) checked by one service (``case_advance``)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.concurrency import bump, lock_current
from tuopin.core.errors import ApplicationError
from tuopin.monitoring.elimination import elimination_problems
from tuopin.monitoring.engine.triggers import RISK_TYPE_OF, SEVERITY_RANK, TRIGGER_RULESET
from tuopin.monitoring.models import (
    CaseStep,
    Category,
    Clue,
    ClueSource,
    Department,
    DepartmentReport,
    EliminationKind,
    Measure,
    MeasureKind,
    MonitoringCase,
    MonitoringRun,
    RiskLevel,
    RiskType,
    Stage,
    TriggerHit,
)
from tuopin.monitoring.standards import monitoring_params
from tuopin.registry.models import Household

TRANSITIONS: dict[Stage, set[Stage]] = {
    Stage.CLUE: {Stage.VISITED, Stage.DISMISSED},
    Stage.VISITED: {Stage.COMPARED, Stage.DISMISSED},
    Stage.COMPARED: {Stage.REVIEWED, Stage.DISMISSED},
    Stage.REVIEWED: {Stage.NOTICED, Stage.DISMISSED},
    Stage.NOTICED: {Stage.TOWNSHIP_CHECKED, Stage.DISMISSED},
    Stage.TOWNSHIP_CHECKED: {Stage.OBJECT, Stage.DISMISSED},
    Stage.OBJECT: {Stage.ELIMINATION_REVIEWED},
    Stage.ELIMINATION_REVIEWED: {Stage.ELIMINATION_NOTICED, Stage.OBJECT},
    Stage.ELIMINATION_NOTICED: {Stage.ELIMINATION_CHECKED, Stage.OBJECT},
    Stage.ELIMINATION_CHECKED: {Stage.ELIMINATED, Stage.OBJECT},
    Stage.DISMISSED: set(),
    Stage.ELIMINATED: set(),
}
#: the action each step needs (permissions module)
STEP_ACTION = {
    Stage.VISITED: "monitoring.verify_case",
    Stage.COMPARED: "monitoring.verify_case",
    Stage.REVIEWED: "monitoring.verify_case",
    Stage.NOTICED: "monitoring.verify_case",
    Stage.TOWNSHIP_CHECKED: "monitoring.check_case",
    Stage.OBJECT: "monitoring.decide_case",
    Stage.DISMISSED: "monitoring.check_case",
    Stage.ELIMINATION_REVIEWED: "monitoring.verify_case",
    Stage.ELIMINATION_NOTICED: "monitoring.verify_case",
    Stage.ELIMINATION_CHECKED: "monitoring.check_case",
    Stage.ELIMINATED: "monitoring.decide_case",
}
NOTICE_STAGES = (Stage.NOTICED, Stage.ELIMINATION_NOTICED)


def _reasons(reasons: list[Any]) -> list[dict[str, str]]:
    result = []
    for item in reasons:
        if isinstance(item, dict):
            text = str(item.get("text") or item.get("title") or "").strip()
            entry = {"code": str(item.get("code", "")), "title": str(item.get("title", text)), "text": text}
        else:
            text = str(item).strip()
            entry = {"code": "", "title": text, "text": text}
        if not entry["text"]:
            raise ApplicationError("风险原因不能为空", field="reasons")
        if len(entry["text"]) > 500:
            raise ApplicationError("风险原因不能超过500字", field="reasons")
        result.append(entry)
    if not result:
        raise ApplicationError("请至少填写一项风险原因", field="reasons")
    return result


def _level(reasons: list[dict[str, str]], given: str | None) -> str:
    if given:
        if given not in RiskLevel.values:
            raise ApplicationError("风险等级不正确", field="risk_level")
        return given
    severities = {rule.code: rule.severity for rule in TRIGGER_RULESET.rules}
    rank = max((SEVERITY_RANK.get(severities.get(r["code"], ""), 2) for r in reasons), default=2)
    return {3: RiskLevel.HIGH, 2: RiskLevel.MEDIUM, 1: RiskLevel.LOW}[rank]


def _step(
    case: MonitoringCase, before: str, after: str, by: User | None, note: str = "", data=None
) -> CaseStep:
    return CaseStep.objects.create(
        case=case, from_stage=before, to_stage=after, by=by, note=note, data=data or {}
    )


@transaction.atomic
def clue_raise(
    *,
    household: Household,
    source: str,
    reasons: list[Any],
    evidence: str = "",
    by: User,
    risk_level: str | None = None,
    year: int | None = None,
    run: MonitoringRun | None = None,
) -> Clue:
    """Report a risk on a household. The clue joins the household's open case (reasons accumulate, the case
    keeps the more severe level) or opens a new case with its due date (``monitoring_decision_days``).
    Raising the same reasons from the same source again for the same year changes nothing."""
    require(by, "monitoring.raise_clue", household)
    if source not in ClueSource.values:
        raise ApplicationError("线索来源不正确", field="source")
    items = _reasons(reasons)
    level = _level(items, risk_level)
    today = timezone.localdate()
    year = int(year or today.year)
    case = MonitoringCase.objects.select_for_update().filter(household=household, is_open=True).first()
    if case is not None:
        codes = sorted(r["code"] + r["text"] for r in items)
        for clue in case.clues.filter(source=source):
            if sorted(r["code"] + r["text"] for r in clue.reasons) == codes and (
                clue.run is None or clue.run.year == year
            ):
                return clue
    if case is None:
        params, _ = monitoring_params(year)
        case = MonitoringCase.objects.create(
            household=household,
            village_id=household.village_id,
            year=year,
            risk_level=level,
            opened_on=today,
            due_on=today + datetime.timedelta(days=params["monitoring_decision_days"]),
        )
        _step(case, "", Stage.CLUE, by, note=str(ClueSource(source).label))
    elif SEVERITY_RANK[level] > SEVERITY_RANK[case.risk_level]:
        case.risk_level = level
        case.save(update_fields=["risk_level"])
    suggested = [RISK_TYPE_OF[r["code"]] for r in items if r["code"] in RISK_TYPE_OF]
    if suggested and case.stage in (Stage.CLUE, Stage.VISITED, Stage.COMPARED):
        case.risk_types = sorted(set(case.risk_types) | set(suggested))
        case.save(update_fields=["risk_types"])
    return Clue.objects.create(
        case=case,
        household=household,
        source=source,
        reasons=items,
        evidence=evidence[:2000],
        risk_level=level,
        run=run,
        raised_by=by,
    )


def clues_from_run(*, run: MonitoringRun, by: User) -> int:
    """A trigger clue on every household of the run that fired (reasons: the sentences of the fired triggers)."""
    from tuopin.monitoring.runs import explanation_context, household_triggers

    context = explanation_context(run.year)
    count = 0
    hits = TriggerHit.objects.filter(run=run).values_list("household_id", flat=True)
    households = Household.objects.in_bulk(list(hits))
    for household_id in hits:
        result = household_triggers(household_id=household_id, year=run.year, context=context)
        if result is None or not result.fired:
            continue
        reasons = [{"code": r.rule.code, "title": r.rule.title, "text": r.sentence} for r in result.fired]
        clue_raise(
            household=households[household_id],
            source=ClueSource.TRIGGER,
            reasons=reasons,
            evidence=f"{run.year}年监测预警批次 #{run.pk}",
            by=by,
            year=run.year,
            run=run,
        )
        count += 1
    return count


def _date(value: Any, field: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ApplicationError("日期格式应为 YYYY-MM-DD", field=field) from None


def _check_notice(data: dict[str, Any], days: int) -> tuple[datetime.date, datetime.date]:
    start = _date(data.get("notice_start"), "notice_start")
    end = _date(data.get("notice_end"), "notice_end")
    if (end - start).days + 1 < days:
        raise ApplicationError(f"村内公示不得少于{days}天（含首尾两天）", field="notice_end")
    return start, end


def _identify(case: MonitoringCase, data: dict[str, Any]) -> None:
    category = data.get("category")
    if category not in Category.values:
        raise ApplicationError("请选择监测对象类别", field="category")
    risk_types = list(data.get("risk_types") or case.risk_types)
    if not risk_types or any(item not in RiskType.values for item in risk_types):
        raise ApplicationError("请选择致贫返贫风险类型", field="risk_types")
    case.category = category
    case.risk_types = sorted(set(risk_types))
    case.identified_on = timezone.localdate()


def _prepare(case: MonitoringCase, to: Stage, data: dict[str, Any], note: str, today: datetime.date) -> None:
    """Check and record what a step needs; raise ``ApplicationError`` (Chinese) when it is not met."""
    params, _ = monitoring_params(case.year)
    notice_running = case.notice_ended_on is None or today <= case.notice_ended_on
    if case.stage in NOTICE_STAGES and to not in (Stage.OBJECT, Stage.DISMISSED) and notice_running:
        raise ApplicationError(f"公示期至{case.notice_ended_on}结束，公示期满后才能进入下一环节")
    if to in NOTICE_STAGES:
        case.notice_started_on, case.notice_ended_on = _check_notice(data, params["monitoring_notice_days"])
    elif to == Stage.OBJECT and case.stage == Stage.TOWNSHIP_CHECKED:
        _identify(case, data)
    elif to == Stage.DISMISSED:
        if not note.strip():
            raise ApplicationError("请填写不纳入监测的理由", field="note")
        case.is_open = False
    elif to == Stage.ELIMINATION_REVIEWED:
        kind = data.get("elimination_kind")
        if kind not in EliminationKind.values:
            raise ApplicationError("请选择风险消除方式（帮扶消除或自然消除）", field="elimination_kind")
        case.elimination_kind = kind
    if to in (Stage.ELIMINATION_REVIEWED, Stage.ELIMINATED):
        problems = elimination_problems(case=case, kind=case.elimination_kind)
        if problems:
            raise ApplicationError("不符合风险消除条件：" + "；".join(problems), field="elimination_kind")
    if to == Stage.ELIMINATED:
        case.eliminated_on = today
        case.is_open = False


@transaction.atomic
def case_advance(
    *, case: MonitoringCase, to: str, by: User, version: int, note: str = "", data: dict | None = None
) -> MonitoringCase:
    """Move a case one step along the procedure (only to a stage ``TRANSITIONS`` allows from its stage), with
    the step's checks: notice length, category and risk types at identification, elimination conditions."""
    if to not in Stage.values:
        raise ApplicationError("环节不正确", field="to")
    target = Stage(to)
    case = lock_current(case, version)
    require(by, STEP_ACTION[target], case)
    current = Stage(case.stage)
    if target not in TRANSITIONS[current]:
        allowed = "、".join(str(stage.label) for stage in sorted(TRANSITIONS[current])) or "无（已办结）"
        raise ApplicationError(
            f"不能从“{current.label}”直接进入“{target.label}”，不得跳过程序环节；下一环节可为：{allowed}",
            field="to",
        )
    data = dict(data or {})
    _prepare(case, target, data, note, timezone.localdate())
    case.stage = target
    bump(case)
    case.save()
    record = {key: str(value) for key, value in data.items()}
    _step(case, current, target, by, note=note.strip(), data=record)
    return case


@transaction.atomic
def measure_add(
    *,
    case: MonitoringCase,
    kind: str,
    description: str,
    responsible: str,
    carried_out_on: Any,
    amount: Any = None,
    by: User,
) -> Measure:
    """Record an assistance measure for a monitoring object (what, who, when, how much)."""
    require(by, "monitoring.record_measure", case)
    if case.stage != Stage.OBJECT:
        raise ApplicationError("只有已认定的监测对象才能录入帮扶措施", field="kind")
    if kind not in MeasureKind.values:
        raise ApplicationError("请选择帮扶措施类型", field="kind")
    if not description.strip() or len(description) > 200:
        raise ApplicationError("请填写措施内容（不超过200字）", field="description")
    if not responsible.strip() or len(responsible) > 100:
        raise ApplicationError("请填写责任人或单位（不超过100字）", field="responsible")
    when = _date(carried_out_on, "carried_out_on")
    value = None
    if amount not in (None, ""):
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            raise ApplicationError("金额格式不正确", field="amount") from None
        if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
            raise ApplicationError("金额应为不小于0的数", field="amount")
        value = value.quantize(Decimal("0.01"))
    measure = Measure.objects.create(
        case=case,
        kind=kind,
        description=description.strip(),
        responsible=responsible.strip(),
        carried_out_on=when,
        amount=value,
        recorded_by=by,
    )
    _step(case, case.stage, case.stage, by, note=f"录入帮扶措施：{measure.get_kind_display()}")
    return measure


@transaction.atomic
def department_report_record(
    *, household: Household, year: int, department: str, reason: str, reported_on: Any, by: User
) -> DepartmentReport:
    """A department's list reports a risk for a household; the year's trigger run turns it into a clue."""
    require(by, "monitoring.record_department_report")
    if department not in Department.values:
        raise ApplicationError("部门不正确", field="department")
    if not reason.strip() or len(reason) > 200:
        raise ApplicationError("请填写推送内容（不超过200字）", field="reason")
    return DepartmentReport.objects.create(
        household=household,
        year=int(year),
        department=department,
        reason=reason.strip(),
        reported_on=_date(reported_on, "reported_on"),
        recorded_by=by,
    )
