"""Assessment use cases: a stored run (set-based write-back), what-if runs (nothing written), the exit
procedure and the records behind village and county indicators."""

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from tuopin.accounts.models import Role, User
from tuopin.assessment.engine.batch import Compiled, Tables, compile_select
from tuopin.assessment.engine.colours import colour_sql
from tuopin.assessment.engine.rules import EXIT_RULESET, INDICATOR_RULESET, RuleSet
from tuopin.assessment.models import AssessmentRun, ColourChange, HouseholdResult, RunKind
from tuopin.assessment.standards import resolve
from tuopin.core.errors import ApplicationError, PermissionDeniedError
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
        f"h.village_id IN (SELECT id FROM {Region._meta.db_table} WHERE path LIKE %s)",
        (region.path + "%",),
    )


def compile_run(
    *,
    year: int,
    region: Region | None,
    params: dict,
    ruleset: RuleSet = EXIT_RULESET,
    with_flags: bool = True,
) -> Compiled:
    where, where_params = _scope(region)
    from tuopin.registry.models import Household, Person

    tables = Tables(household=Household._meta.db_table, person=Person._meta.db_table)
    return compile_select(
        ruleset,
        dialect=dialect(),
        standards=params,
        tables=tables,
        where=where,
        where_params=where_params,
        flags=INDICATOR_RULESET if with_flags else None,
    )


def _unflattened(select_sql: str) -> str:
    """The evaluation as a subquery the planner will not inline: outer references to ``outcomes`` then read
    the computed column instead of repeating every rule expression (SQLite: no flattening of a subquery with
    OFFSET; PostgreSQL: OFFSET 0 blocks subquery pull-up)."""
    return f"({select_sql} LIMIT -1 OFFSET 0)" if dialect() == "sqlite" else f"({select_sql} OFFSET 0)"


def _check_may_run(by: User | None, region: Region | None) -> None:
    if by is None or by.is_superuser:
        return
    if by.role not in (Role.COUNTY, Role.TOWNSHIP, Role.VILLAGE):
        raise PermissionDeniedError("您的角色不能发起评估")
    if by.role == Role.COUNTY and (by.region is None or by.region.level == 1):
        return
    scope_path = by.region.path if by.region else None
    if scope_path is None or region is None or not region.path.startswith(scope_path):
        raise PermissionDeniedError("只能评估本辖区")


@transaction.atomic
def assessment_run(
    *, year: int, by: User | None = None, region: Region | None = None, ruleset: RuleSet = EXIT_RULESET
) -> AssessmentRun:
    """Evaluate every household in scope and store one compact row each, in one INSERT … SELECT."""
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError("评估年度应在2000—2100之间", field="year")
    _check_may_run(by, region)
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
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.pk, *colour_params, *compiled.params])
        _colour_transitions(cursor, run)
    from tuopin.assessment.selectors import run_summary_compute

    run.summary = run_summary_compute(run=run, ruleset=ruleset)
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
    region: Region | None = None,
    limit: int = 500,
) -> WhatIfResult:
    """Evaluate with proposed standards without saving and list the households whose outcomes change
    compared with ``base_run`` (one SELECT joining the proposed evaluation to the stored results)."""
    from tuopin.registry.models import Household

    _, params, _ = resolve(year, region, overrides)
    compiled = compile_run(year=year, region=region, params=params, with_flags=False)
    results = HouseholdResult._meta.db_table
    not_exited = ("poor", "relapsed")
    join = f"""
        FROM {_unflattened(compiled.sql)} q
        LEFT JOIN {results} r ON r.run_id = %s AND r.household_id = q.household_id
    """
    changed = "(r.outcomes IS NULL OR r.outcomes <> q.outcomes)"
    with connection.cursor() as cursor:
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
        eligible_before=base_run.summary.get("eligible_to_exit", 0),
        eligible_after=eligible_after or 0,
        changes=changes,
        changed_total=changed_total or 0,
    )


def today() -> date:
    return timezone.localdate()
