"""Running every trigger over one data year (set-based: one INSERT … SELECT of the households that fired), and
the same triggers for one household (its explanation). ``runs`` is a service module: it writes the run."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from django.db import connection, transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.assessment.engine.batch import Compiled, outcome_of_sql
from tuopin.assessment.engine.explain import Explanation, evaluate_all, explain
from tuopin.assessment.engine.rules import Outcome
from tuopin.assessment.evaluation import tune_session
from tuopin.assessment.selectors.results import rule_outcomes
from tuopin.assessment.standards import labels as standard_labels
from tuopin.assessment.standards import resolve
from tuopin.core.errors import ApplicationError
from tuopin.monitoring import sources
from tuopin.monitoring.department_lists import reports_from_lists
from tuopin.monitoring.engine.batch import compile_triggers
from tuopin.monitoring.engine.triggers import TRIGGER_RULESET
from tuopin.monitoring.models import MonitoringRun, TriggerHit
from tuopin.monitoring.standards import monitoring_params
from tuopin.registry.models import HouseholdYear


def _dialect() -> Literal["sqlite", "postgresql"]:
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        return "postgresql"
    raise ApplicationError(f"不支持的数据库：{connection.vendor}")


def check_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ApplicationError("监测年度应为四位数字", field="year") from None
    if not 2000 <= value <= 2100:
        raise ApplicationError("监测年度应在2000—2100之间", field="year")
    return value


def _compiled(year: int, params: dict[str, Any]) -> Compiled:
    return compile_triggers(
        TRIGGER_RULESET, dialect=_dialect(), standards=params, sources=sources.batch(year)
    )


def fired_sql(column: str) -> str:
    """SQL: at least one trigger's outcome in the packed ``column`` is FAIL (it fired)."""
    return " OR ".join(f"{outcome_of_sql(column, index)} = 1" for index in range(len(TRIGGER_RULESET.rules)))


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


#: PostgreSQL settings for the evaluation only: one process streaming the members in (household, person) order
#: through merge joins into a grouped aggregate measured faster than two parallel workers hashing 3.5 M members
#: twice (docs/performance.md, "Monitoring triggers")
_STREAMING = ("max_parallel_workers_per_gather", "enable_hashjoin", "enable_hashagg")


def _store(run: MonitoringRun, compiled: Compiled) -> dict[str, int]:
    """Write the year's hits, rewriting only what changed: a household that fires is inserted, or updated when
    its outcomes (or village, status) differ from the stored row; a stored household that no longer fires, or
    has no figures for the year any more, is removed. Unchanged rows are not written."""
    hits, year = TriggerHit._meta.db_table, run.year
    inner = f"({compiled.sql} LIMIT -1 OFFSET 0)" if _dialect() == "sqlite" else f"({compiled.sql} OFFSET 0)"
    stored = f"EXISTS (SELECT 1 FROM {hits} t WHERE t.year = {year} AND t.household_id = q.household_id)"
    wanted = f"({fired_sql('q.outcomes')}) OR {stored}"
    params: list[Any] = [run.pk, *compiled.params]
    with connection.cursor() as cursor:
        if _dialect() == "postgresql":
            # evaluate into a temporary table first (one statement with the streaming settings), then write the
            # hits from it
            cursor.execute("DROP TABLE IF EXISTS monitoring_evaluated")
            for setting in _STREAMING:
                cursor.execute(f"SET LOCAL {setting} = 0")
            cursor.execute(
                "CREATE TEMPORARY TABLE monitoring_evaluated ON COMMIT DROP AS SELECT q.household_id, "
                f"q.village_id, q.status, q.outcomes FROM {inner} q WHERE {wanted}",
                compiled.params,
            )
            for setting in _STREAMING:
                cursor.execute(f"RESET {setting}")
            inner, wanted, params = "monitoring_evaluated", "TRUE", [run.pk]
        cursor.execute(
            f"INSERT INTO {hits} (run_id, year, household_id, village_id, status, outcomes) "
            f"SELECT %s, {year}, q.household_id, q.village_id, q.status, q.outcomes FROM {inner} q "
            f"WHERE {wanted} "
            "ON CONFLICT (year, household_id) DO UPDATE SET run_id = excluded.run_id, "
            "village_id = excluded.village_id, status = excluded.status, outcomes = excluded.outcomes "
            f"WHERE {hits}.outcomes <> excluded.outcomes OR {hits}.village_id <> excluded.village_id "
            f"OR {hits}.status <> excluded.status",
            params,
        )
        written = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {hits} WHERE year = %s AND (NOT ({fired_sql('outcomes')}) OR household_id NOT IN "
            f"(SELECT household_id FROM {HouseholdYear._meta.db_table} WHERE year = %s))",
            [year, year],
        )
        removed = cursor.rowcount
    return {"written": max(written, 0), "removed": max(removed, 0)}


@transaction.atomic
def monitoring_run(*, year: int, by: User, raise_clues: bool = True) -> MonitoringRun:
    """Evaluate every trigger for every household with figures for ``year``; store the year's hits (only the
    changed rows are written); raise (or join) a trigger clue on each household whose hit this run wrote unless
    ``raise_clues`` is false (benchmarks)."""
    require(by, "monitoring.run_triggers")
    year = check_year(year)
    started = time.perf_counter()
    params, snapshot = monitoring_params(year)
    run = MonitoringRun.objects.create(
        year=year, standards=snapshot, rule_versions=TRIGGER_RULESET.versions, created_by=by
    )
    with connection.cursor() as cursor:
        tune_session(cursor)  # the assessment's memory settings for one big statement (page cache, work_mem)
        if _dialect() == "postgresql":
            # for this transaction only: JIT compiling the ten packed outcomes cost ~2 s of a ~23 s run, and the
            # member hash join and grouping of 3.5 M rows stay in memory
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '512MB'")
    mark = time.perf_counter()
    reports = reports_from_lists(year=year, params=params)
    timings = {"department_lists_s": round(time.perf_counter() - mark, 3)}
    mark = time.perf_counter()
    changes = _store(run, _compiled(year, params))
    timings["evaluate_and_store_s"] = round(time.perf_counter() - mark, 3)
    mark = time.perf_counter()
    run.households = HouseholdYear.objects.filter(year=year).count()
    run.summary = {**_summary(year), **changes, **reports}
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
    compiled = _compiled(year, params)
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
