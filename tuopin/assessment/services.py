"""Assessment use cases: a stored run (set-based write-back), what-if runs (nothing written), the exit
procedure and the records behind village and county indicators."""

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.assessment.engine.batch import Compiled, compile_select
from tuopin.assessment.engine.colours import colour_sql
from tuopin.assessment.engine.rules import EXIT_RULESET, INDICATOR_RULESET, RuleSet
from tuopin.assessment.models import (
    AssessmentRun,
    ColourChange,
    ExitCase,
    ExitStatus,
    ExitStep,
    HouseholdResult,
    RunKind,
    SamplingCheck,
    SatisfactionSurvey,
    VillageRecord,
)
from tuopin.assessment.standards import resolve
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import check_fields
from tuopin.regions.models import Region


def dialect() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise ApplicationError(f"不支持的数据库：{vendor}")
    return vendor


def _scope(region: Region | None) -> tuple[str, tuple]:
    if region is None or region.level == 1:
        return "", ()
    return (
        f"hh.village_id IN (SELECT id FROM {Region._meta.db_table} WHERE path LIKE %s)",
        (region.path + "%",),
    )


def compile_run(
    *,
    year: int,
    region: Region | None,
    params: dict,
    ruleset: RuleSet = EXIT_RULESET,
    with_flags: bool = True,
    by: User | None = None,
) -> Compiled:
    """The evaluation of every household in ``region`` (and, given ``by``, in that user's jurisdiction)."""
    where, where_params = _scope(region)
    if by is not None:
        from tuopin.assessment.selectors import household_scope_sql

        scope_sql, scope_params = household_scope_sql(by)
        if scope_sql:
            where = " AND ".join(part for part in (where, f"hh.id IN ({scope_sql})") if part)
            where_params = (*where_params, *scope_params)
    from tuopin.assessment.yearsource import tables as year_tables

    tables = year_tables(year)  # that year's figures over the registration (ADR 0080)
    return compile_select(
        ruleset,
        dialect=dialect(),
        standards=params,
        tables=tables,
        where=where,
        where_params=where_params,
        flags=INDICATOR_RULESET if with_flags else None,
    )


def _tune_session(cursor) -> None:
    """Memory for the one big statement: SQLite's default 2 MB page cache and PostgreSQL's 4 MB work_mem
    make the member GROUP BY and the joins spill to disk at a million households."""
    if dialect() == "sqlite":
        cursor.execute("PRAGMA cache_size = -524288")  # 512 MiB, this connection only
    else:
        cursor.execute("SET LOCAL work_mem = '256MB'")


def _unflattened(select_sql: str) -> str:
    """The evaluation as a subquery the planner will not inline: outer references to ``outcomes`` then read
    the computed column instead of repeating every rule expression (SQLite: no flattening of a subquery with
    OFFSET; PostgreSQL: OFFSET 0 blocks subquery pull-up)."""
    return f"({select_sql} LIMIT -1 OFFSET 0)" if dialect() == "sqlite" else f"({select_sql} OFFSET 0)"


@transaction.atomic
def assessment_run(
    *, year: int, by: User, region: Region | None = None, ruleset: RuleSet = EXIT_RULESET
) -> AssessmentRun:
    """Evaluate every household in scope and store one compact row each, in one INSERT … SELECT. The whole
    county (``region`` none or the county) is for the county office; township and village users run their
    own area (the one rule: ``assessment.run``)."""
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError("评估年度应在2000—2100之间", field="year")
    require(by, "assessment.run", None if region is None or region.level == 1 else region)
    started = time.perf_counter()
    _, params, snapshot = resolve(year, region)
    run = AssessmentRun.objects.create(
        year=year,
        region=region,
        kind=RunKind.ASSESSMENT,
        ruleset=ruleset.name,
        standards=snapshot,
        rule_versions=ruleset.versions,
        created_by=by,
    )
    compiled = compile_run(year=year, region=region, params=params, ruleset=ruleset)
    table = HouseholdResult._meta.db_table
    colour, colour_params = colour_sql(status="q.status", outcomes="q.outcomes", flags="q.flags")
    sql = (
        f"INSERT INTO {table} (run_id, household_id, village_id, status, member_count, outcomes, flags, colour) "
        f"SELECT %s, q.household_id, q.village_id, q.status, q.member_count, q.outcomes, q.flags, {colour} "
        f"FROM {_unflattened(compiled.sql)} q"
    )
    timings = {}
    with connection.cursor() as cursor:
        _tune_session(cursor)
        mark = time.perf_counter()
        cursor.execute(sql, [run.pk, *colour_params, *compiled.params])
        timings["evaluate_and_store_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        if dialect() == "postgresql":  # fresh statistics, or the planner joins a million rows by nested loop
            cursor.execute(f"ANALYZE {table}")
        _colour_transitions(cursor, run)
        timings["colour_history_s"] = round(time.perf_counter() - mark, 3)
    from tuopin.assessment.selectors import run_summary_compute

    mark = time.perf_counter()
    run.summary = run_summary_compute(run=run, ruleset=ruleset)
    timings["summary_s"] = round(time.perf_counter() - mark, 3)
    run.summary["timings"] = timings
    run.households = run.summary["households"]
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["households", "summary", "duration_ms"])
    return run


def _colour_transitions(cursor, run: AssessmentRun) -> None:
    """Record households whose card differs from the previous run over the same scope (set-based)."""
    previous = (
        AssessmentRun.objects.filter(kind=RunKind.ASSESSMENT, region=run.region, pk__lt=run.pk)
        .order_by("-pk")
        .first()
    )
    if previous is None:
        return
    results = HouseholdResult._meta.db_table
    cursor.execute(
        f"INSERT INTO {ColourChange._meta.db_table} (household_id, run_id, previous, colour, changed_at) "
        f"SELECT r.household_id, r.run_id, p.colour, r.colour, %s FROM {results} r "
        f"JOIN {results} p ON p.run_id = %s AND p.household_id = r.household_id "
        "WHERE r.run_id = %s AND p.colour <> r.colour",
        [timezone.now(), previous.pk, run.pk],
    )


@dataclass(frozen=True)
class WhatIfChange:
    household_id: int
    household_no: str
    village_id: int
    status: str
    old_outcomes: int | None
    new_outcomes: int


@dataclass(frozen=True)
class WhatIfResult:
    year: int
    base_run: AssessmentRun
    overrides: dict
    eligible_before: int
    eligible_after: int
    changes: list[WhatIfChange]
    changed_total: int


def what_if(
    *,
    year: int,
    overrides: dict[str, Decimal | None],
    base_run: AssessmentRun,
    by: User,
    region: Region | None = None,
    limit: int = 500,
) -> WhatIfResult:
    """Evaluate with proposed standards without saving and list the households whose outcomes change
    compared with ``base_run`` (one SELECT joining the proposed evaluation to the stored results). Every
    figure covers only the households of ``by``'s jurisdiction."""
    from tuopin.assessment.selectors import run_summary_for
    from tuopin.registry.models import Household

    require(by, "assessment.what_if")
    _, params, _ = resolve(year, region, overrides)
    compiled = compile_run(year=year, region=region, params=params, with_flags=False, by=by)
    results = HouseholdResult._meta.db_table
    not_exited = ("poor", "relapsed")
    join = f"""
        FROM {_unflattened(compiled.sql)} q
        LEFT JOIN {results} r ON r.run_id = %s AND r.household_id = q.household_id
    """
    changed = "(r.outcomes IS NULL OR r.outcomes <> q.outcomes)"
    with transaction.atomic(), connection.cursor() as cursor:
        _tune_session(cursor)
        # one pass for the totals …
        cursor.execute(
            f"SELECT SUM(CASE WHEN {changed} THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN q.status IN (%s, %s) AND q.outcomes = 0 THEN 1 ELSE 0 END) {join}",
            [*not_exited, *compiled.params, base_run.pk],
        )
        changed_total, eligible_after = cursor.fetchone()
        # … and the first ``limit`` changed households (the scan stops once it has them)
        cursor.execute(
            f"SELECT q.household_id, q.village_id, q.status, r.outcomes, q.outcomes {join} WHERE {changed} LIMIT %s",
            [*compiled.params, base_run.pk, limit],
        )
        rows = cursor.fetchall()
    numbers = dict(
        Household.objects.filter(pk__in=[row[0] for row in rows]).values_list("pk", "household_no")
    )
    changes = sorted(
        (
            WhatIfChange(pk, numbers.get(pk, ""), village, status, old, new)
            for pk, village, status, old, new in rows
        ),
        key=lambda change: change.household_no,
    )
    return WhatIfResult(
        year=year,
        base_run=base_run,
        overrides=overrides,
        eligible_before=run_summary_for(run=base_run, user=by).get("eligible_to_exit", 0),
        eligible_after=eligible_after or 0,
        changes=changes,
        changed_total=changed_total or 0,
    )


def today() -> date:
    return timezone.localdate()


# --- the exit procedure ---------------------------------------------------------------------------------------

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


def _check_step_allowed(*, by: User, household, to_status: str) -> None:
    require(by, STEP_ACTIONS[to_status], household)


def _failing_criteria(household, year: int) -> list[str]:
    from tuopin.assessment.engine.explain import explain
    from tuopin.assessment.selectors import household_inputs

    _, params, _ = resolve(year, household.village)
    row, members = household_inputs(household.pk, year=year)
    explanation = explain(EXIT_RULESET, row, members, params, year=year)
    return [f"{c.title}（{c.label}）" for c in explanation.failing]


@transaction.atomic
def exit_case_propose(
    *, household, year: int, by: User, on_date: date, document: str = "", note: str = ""
) -> ExitCase:
    """拟退出: only a household not yet exited, with every criterion met, and no open case this year."""
    _check_step_allowed(by=by, household=household, to_status=ExitStatus.PROPOSED)
    if household.status not in ("poor", "relapsed"):
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


@transaction.atomic
def exit_case_advance(
    *, case: ExitCase, to_status: str, by: User, on_date: date, document: str = "", note: str = ""
) -> ExitCase:
    """Record the next step. Refuses skipped steps, dates before the previous step, a 村内公示 shorter than
    the standard, and — at township and county decisions — a household that no longer meets a criterion."""
    from tuopin.registry.procedures import household_status_record

    case = ExitCase.objects.select_for_update().select_related("household__village").get(pk=case.pk)
    household = case.household
    if to_status not in ExitStatus.values:
        raise ApplicationError("未知的程序步骤", field="to_status")
    if to_status not in EXIT_TRANSITIONS[case.status]:
        allowed = "、".join(str(ExitStatus(s).label) for s in EXIT_TRANSITIONS[case.status]) or "无"
        raise ApplicationError(
            f"当前进度为“{case.get_status_display()}”，不能直接办理“{ExitStatus(to_status).label}”（可办理：{allowed}）",
            field="to_status",
        )
    _check_step_allowed(by=by, household=household, to_status=to_status)
    last = case.steps.order_by("-id").first()
    if last is not None and on_date < last.on_date:
        raise ApplicationError(f"日期不能早于上一步（{last.on_date:%Y-%m-%d}）", field="on_date")
    if to_status in (ExitStatus.WITHDRAWN, ExitStatus.RELAPSED) and not note.strip():
        raise ApplicationError("撤回或返贫须写明原因", field="note")
    if case.status == ExitStatus.NOTICE and to_status == ExitStatus.TOWNSHIP_CHECKED:
        resolved, _, _ = resolve(case.year, household.village)
        days = int(resolved["public_notice_days"].value or 7)
        notice = case.steps.filter(to_status=ExitStatus.NOTICE).order_by("-id").first()
        if notice and (on_date - notice.on_date).days < days:
            raise ApplicationError(
                f"村内公示自{notice.on_date:%Y-%m-%d}起不少于{days}天，{on_date:%Y-%m-%d}尚未期满",
                field="on_date",
            )
    if to_status == ExitStatus.RELAPSED and household.status != "relapsed":
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
            status="exited",
            by=by,
            reason=f"退出程序：{case.year}年县审定公告后脱贫",
            fields={"exit_year": case.year},
        )
    return case


# --- records behind the village and county indicators --------------------------------------------------------


@transaction.atomic
def village_record_set(
    *,
    village: Region,
    year: int,
    by: User,
    collective_income: Decimal | None,
    has_work_team: bool | None,
    has_first_secretary: bool | None,
    rural_population: int | None = None,
    source: str = "",
) -> VillageRecord:
    """The village's figures for a year (集体经济收入, 工作队, 第一书记, 农村户籍人口)."""
    require(by, "assessment.record_village_year", village)
    if village.level != 3:
        raise ApplicationError("只能为行政村登记", field="village")
    checked = check_fields(
        VillageRecord,
        {
            "year": year,
            "collective_income": collective_income,
            "rural_population": rural_population,
            "source": source,
        },
    )
    year, collective_income = checked["year"], checked["collective_income"]
    rural_population, source = checked["rural_population"], checked["source"]
    if collective_income is not None and collective_income < 0:
        raise ApplicationError("村集体经济收入不能为负数", field="collective_income")
    if rural_population is not None and rural_population <= 0:
        raise ApplicationError("农村户籍人口应大于0", field="rural_population")
    record, _ = VillageRecord.objects.update_or_create(
        village=village,
        year=year,
        defaults={
            "collective_income": collective_income,
            "has_work_team": has_work_team,
            "has_first_secretary": has_first_secretary,
            "rural_population": rural_population,
            "source": source,
            "recorded_by": by,
        },
    )
    return record


@transaction.atomic
def sampling_check_record(
    *, village: Region, year: int, by: User, checked_on: date, **counts: int
) -> SamplingCheck:
    """A sampling check (抽查): people checked and errors found, errors never more than checked."""
    require(by, "assessment.record_sampling_check", village)
    counts = check_fields(SamplingCheck, {"year": year, "checked_on": checked_on, **counts})
    year, checked_on = counts.pop("year"), counts.pop("checked_on")
    for checked, wrong, label in (
        ("registered_checked", "mis_included", "错评"),
        ("unregistered_checked", "missed", "漏评"),
        ("exited_checked", "mis_exited", "错退"),
    ):
        if counts.get(checked, 0) < 0 or counts.get(wrong, 0) < 0:
            raise ApplicationError("人数不能为负数", field=checked)
        if counts.get(wrong, 0) > counts.get(checked, 0):
            raise ApplicationError(f"{label}人口数不能多于对应的抽查人口数", field=wrong)
    return SamplingCheck.objects.create(
        village=village, year=year, checked_on=checked_on, recorded_by=by, **counts
    )


@transaction.atomic
def satisfaction_survey_record(
    *, village: Region, year: int, by: User, surveyed_on: date, surveyed: int, satisfied: int
) -> SatisfactionSurvey:
    require(by, "assessment.record_satisfaction_survey", village)
    checked = check_fields(
        SatisfactionSurvey,
        {"year": year, "surveyed_on": surveyed_on, "surveyed": surveyed, "satisfied": satisfied},
    )
    year, surveyed_on, surveyed, satisfied = (
        checked["year"],
        checked["surveyed_on"],
        checked["surveyed"],
        checked["satisfied"],
    )
    if surveyed <= 0 or satisfied < 0:
        raise ApplicationError("调查户数应大于0，满意户数不能为负", field="surveyed")
    if satisfied > surveyed:
        raise ApplicationError("满意户数不能多于调查户数", field="satisfied")
    return SatisfactionSurvey.objects.create(
        village=village,
        year=year,
        surveyed_on=surveyed_on,
        surveyed=surveyed,
        satisfied=satisfied,
        recorded_by=by,
    )
