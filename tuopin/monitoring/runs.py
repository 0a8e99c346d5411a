"""Running every trigger over one data year and storing what changed (the evaluation, in parts side by side
on a large year, is ``evaluation``), and the same triggers for one household (its explanation). ``runs`` is a
service module: it writes the run."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.assessment.engine.batch import outcome_of_sql
from tuopin.assessment.engine.explain import Explanation, evaluate_all, explain
from tuopin.assessment.engine.rules import Outcome
from tuopin.assessment.selectors.results import rule_outcomes
from tuopin.assessment.standards import labels as standard_labels
from tuopin.assessment.standards import resolve
from tuopin.core.errors import ApplicationError
from tuopin.monitoring import evaluation, sources
from tuopin.monitoring.department_lists import reports_from_lists
from tuopin.monitoring.engine.triggers import TRIGGER_RULESET
from tuopin.monitoring.evaluation import INSERT, REMOVE, UPDATE, Change, dialect
from tuopin.monitoring.models import MonitoringRun, TriggerHit
from tuopin.monitoring.standards import monitoring_params
from tuopin.registry.bulk import insert_into
from tuopin.registry.models import HouseholdYear

#: the advisory-lock namespace of monitoring runs (PostgreSQL): one run of a year at a time
LOCK_NAMESPACE = 7301
#: rows written or removed by a run from which the hits' statistics are refreshed (PostgreSQL)
REANALYSE_AFTER = 10_000


def check_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ApplicationError("监测年度应为四位数字", field="year") from None
    if not 2000 <= value <= 2100:
        raise ApplicationError("监测年度应在2000—2100之间", field="year")
    return value


def _summary(year: int) -> dict[str, Any]:
    """Households firing per trigger, in total and per village (one GROUP BY over the year's hits)."""
    columns = ", ".join(
        f"SUM(CASE WHEN {outcome_of_sql('outcomes', index)} = 1 THEN 1 ELSE 0 END)"
        for index in range(len(TRIGGER_RULESET.rules))
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT village_id, COUNT(*), {columns} FROM {TriggerHit._meta.db_table} "
            "WHERE year = %s GROUP BY village_id ORDER BY village_id",
            [year],
        )
        rows = cursor.fetchall()
    codes = [rule.code for rule in TRIGGER_RULESET.rules]
    by_trigger = dict.fromkeys(codes, 0)
    by_village: dict[str, dict[str, int]] = {}
    for village_id, count, *counts in rows:
        by_village[str(village_id)] = {
            "households": int(count),
            **dict(zip(codes, map(int, counts), strict=True)),
        }
        for code, value in zip(codes, counts, strict=True):
            by_trigger[code] += int(value)
    return {"by_trigger": by_trigger, "by_village": by_village}


def _store(run: MonitoringRun, changes: list[Change]) -> dict[str, int]:
    """Write the year's changes (``evaluation.changes_sql``): insert, update or remove each household's hit as
    its action says. Unchanged rows are not written. Runs of one year wait for each other (``_lock_year``), so
    the stored hits the parts compared with are the ones written here."""
    hits, year = TriggerHit._meta.db_table, run.year
    schema = "pg_temp" if dialect() == "postgresql" else "temp"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {schema}.monitoring_changes")
        cursor.execute(
            "CREATE TEMPORARY TABLE monitoring_changes (household_id bigint PRIMARY KEY, village_id bigint, "
            "status varchar(32), outcomes bigint, action varchar(8))"
        )
        insert_into(
            "monitoring_changes", ("household_id", "village_id", "status", "outcomes", "action"), changes
        )
        if dialect() == "postgresql":
            cursor.execute("ANALYZE monitoring_changes")  # a temporary table has no statistics until then
        cursor.execute(
            f"INSERT INTO {hits} (run_id, year, household_id, village_id, status, outcomes) "
            f"SELECT %s, {year}, c.household_id, c.village_id, c.status, c.outcomes FROM monitoring_changes c "
            "WHERE c.action = %s",
            [run.pk, INSERT],
        )
        written = cursor.rowcount
        cursor.execute(
            f"UPDATE {hits} SET run_id = %s, village_id = c.village_id, status = c.status, outcomes = c.outcomes "
            f"FROM monitoring_changes c WHERE c.action = %s AND {hits}.year = %s "
            f"AND {hits}.household_id = c.household_id",
            [run.pk, UPDATE, year],
        )
        written += cursor.rowcount
        cursor.execute(
            f"DELETE FROM {hits} WHERE year = %s AND household_id IN "
            "(SELECT c.household_id FROM monitoring_changes c WHERE c.action = %s)",
            [year, REMOVE],
        )
        removed = cursor.rowcount
        cursor.execute(f"DROP TABLE {schema}.monitoring_changes")
        if dialect() == "postgresql" and written + removed >= REANALYSE_AFTER:
            # the next run plans its joins with the hits from statistics; autovacuum takes them only later
            cursor.execute(f"ANALYZE {hits}")
    return {"written": max(written, 0), "removed": max(removed, 0)}


def _lock_year(year: int) -> None:
    """Runs of one year wait for each other (SQLite: the run's IMMEDIATE transaction already does)."""
    if dialect() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, year])


def monitoring_run(*, year: int, by: User, raise_clues: bool = True) -> MonitoringRun:
    """Evaluate every trigger for every household with figures for ``year``; store the year's hits (only the
    changed rows are written); raise (or join) a trigger clue on each household whose hit this run wrote unless
    ``raise_clues`` is false (benchmarks). The year's department lists are turned into department reports
    first (committed on their own: the parts evaluated on other connections read them)."""
    require(by, "monitoring.run_triggers")
    year = check_year(year)
    started = time.perf_counter()
    nested = connection.in_atomic_block
    params, snapshot = monitoring_params(year)
    with transaction.atomic():
        reports = reports_from_lists(year=year, params=params)
    timings = {"department_lists_s": round(time.perf_counter() - started, 3)}
    with transaction.atomic():
        _lock_year(year)
        run = MonitoringRun.objects.create(
            year=year, standards=snapshot, rule_versions=TRIGGER_RULESET.versions, created_by=by
        )
        mark = time.perf_counter()
        households = HouseholdYear.objects.filter(year=year).count()
        rows, parts = evaluation.changes(year, params, households=households, nested=nested)
        timings["evaluate_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        changes = _store(run, rows)
        timings["store_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        run.households = households
        run.summary = {**_summary(year), **changes, **reports, "parts": parts}
        run.fired = sum(village["households"] for village in run.summary["by_village"].values())
        timings["summary_s"] = round(time.perf_counter() - mark, 3)
        if raise_clues:
            from tuopin.monitoring.services import clues_from_run

            mark = time.perf_counter()
            run.summary["clues"] = clues_from_run(run=run, by=by)
            timings["clues_s"] = round(time.perf_counter() - mark, 3)
        run.summary["timings"] = timings
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        run.save(update_fields=["households", "fired", "summary", "duration_ms"])
    return run


def batch_outcomes(*, year: int) -> dict[int, dict[str, Outcome]]:
    """Every household's trigger outcomes for ``year`` from the batch SQL (tests and parity checks)."""
    year = check_year(year)
    params, _ = monitoring_params(year)
    compiled = evaluation.compiled(year, params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT q.household_id, q.outcomes FROM ({compiled.sql}) q", compiled.params)
        return {int(pk): rule_outcomes(int(outcomes), TRIGGER_RULESET) for pk, outcomes in cursor.fetchall()}


def hit_outcomes(hit: TriggerHit) -> dict[str, Outcome]:
    return rule_outcomes(hit.outcomes, TRIGGER_RULESET)


# --- one household -------------------------------------------------------------------------------------------


def _dict_rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def household_inputs(*, household_id: int, year: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The very rows the batch reads for one household and year (None when the year has no record)."""
    year = check_year(year)
    rows = _dict_rows(f"SELECT * FROM {sources.household_source(year, household_id)} s", [])
    members = _dict_rows(
        f"SELECT * FROM {sources.person_source(year, household_id)} s ORDER BY s.person_id", []
    )
    return (rows[0] if rows else None), members


@dataclass(frozen=True)
class HouseholdTriggers:
    year: int
    explanation: Explanation
    fired: list[Any]


def explanation_context(year: int) -> tuple[dict[str, Any], dict[str, str]]:
    """(engine params, Chinese labels) of a year, computed once for many explanations."""
    params, _ = monitoring_params(year)
    resolved, _, _ = resolve(year, None)
    return params, standard_labels(resolved)


def household_triggers(
    *, household_id: int, year: int, context: tuple[dict[str, Any], dict[str, str]] | None = None
) -> HouseholdTriggers | None:
    """Every trigger for one household and year, with measured value, threshold and sentence."""
    row, members = household_inputs(household_id=household_id, year=year)
    if row is None:
        return None
    params, labels = context or explanation_context(year)
    explanation = explain(TRIGGER_RULESET, row, members, params, year=year, labels=labels)
    fired = [r for c in explanation.criteria for r in c.rules if r.outcome == Outcome.FAIL]
    return HouseholdTriggers(year, explanation, fired)


def household_outcomes(*, household_id: int, year: int) -> dict[str, Outcome] | None:
    row, members = household_inputs(household_id=household_id, year=year)
    if row is None:
        return None
    params, _ = monitoring_params(year)
    return evaluate_all(TRIGGER_RULESET, row, members, params)
