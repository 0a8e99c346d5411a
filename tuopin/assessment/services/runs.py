"""Runs: a stored run (one ``INSERT … SELECT``, colour transitions, the one-pass summary) and what-if
evaluations with proposed standards (nothing written)."""

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.assessment.engine.colours import colour_sql
from tuopin.assessment.engine.rules import EXIT_RULESET, RuleSet
from tuopin.assessment.evaluation import compile_run, dialect, tune_session, unflattened
from tuopin.assessment.models import AssessmentRun, ColourChange, HouseholdResult, RunKind
from tuopin.assessment.selectors.summary import run_summary_compute, run_summary_for
from tuopin.assessment.standards import resolve
from tuopin.core.errors import ApplicationError
from tuopin.regions.models import Level, Region
from tuopin.registry.models import NOT_EXITED_STATUSES, Household


def _scope_target(region: Region | None) -> Region | None:
    """What ``assessment.run`` is asked about: nothing for the whole county, else the region."""
    return None if region is None or region.level == Level.COUNTY else region


@transaction.atomic
def assessment_run(
    *, year: int, by: User, region: Region | None = None, ruleset: RuleSet = EXIT_RULESET
) -> AssessmentRun:
    """Evaluate every household in scope and store one compact row each, in one INSERT … SELECT. The whole
    county (``region`` none or the county) is for the county office; township and village users run their
    own area (the one rule: ``assessment.run``)."""
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError("评估年度应在2000—2100之间", field="year")
    require(by, "assessment.run", _scope_target(region))
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
        f"FROM {unflattened(compiled.sql)} q"
    )
    timings = {}
    with connection.cursor() as cursor:
        tune_session(cursor)
        mark = time.perf_counter()
        cursor.execute(sql, [run.pk, *colour_params, *compiled.params])
        timings["evaluate_and_store_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        if dialect() == "postgresql":  # fresh statistics, or the planner joins a million rows by nested loop
            cursor.execute(f"ANALYZE {table}")
        _colour_transitions(cursor, run)
        timings["colour_history_s"] = round(time.perf_counter() - mark, 3)
    mark = time.perf_counter()
    run.summary = run_summary_compute(run=run, ruleset=ruleset)
    timings["summary_s"] = round(time.perf_counter() - mark, 3)
    run.summary["timings"] = timings
    run.households = run.summary["households"]
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["households", "summary", "duration_ms"])
    return run


def _colour_transitions(cursor: Any, run: AssessmentRun) -> None:
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
    overrides: Mapping[str, Decimal | None]
    eligible_before: int
    eligible_after: int
    changes: list[WhatIfChange]
    changed_total: int


def what_if(
    *,
    year: int,
    overrides: Mapping[str, Decimal | None],
    base_run: AssessmentRun,
    by: User,
    region: Region | None = None,
    limit: int = 500,
) -> WhatIfResult:
    """Evaluate with proposed standards without saving and list the households whose outcomes change
    compared with ``base_run`` (one SELECT joining the proposed evaluation to the stored results). Every
    figure covers only the households of ``by``'s jurisdiction."""
    require(by, "assessment.what_if")
    _, params, _ = resolve(year, region, overrides)
    compiled = compile_run(year=year, region=region, params=params, with_flags=False, by=by)
    results = HouseholdResult._meta.db_table
    not_exited = NOT_EXITED_STATUSES
    join = f"""
        FROM {unflattened(compiled.sql)} q
        LEFT JOIN {results} r ON r.run_id = %s AND r.household_id = q.household_id
    """
    changed = "(r.outcomes IS NULL OR r.outcomes <> q.outcomes)"
    with transaction.atomic(), connection.cursor() as cursor:
        tune_session(cursor)
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
