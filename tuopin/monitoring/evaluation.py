"""Evaluating every trigger over one data year's households, in parts that run side by side.

The year's households are cut into ranges of household ids (``parts``). Each range is evaluated by the same
compiled SELECT (``engine.batch.compile_triggers`` over ``sources.batch(year, range)``) on a database
connection of its own, one per worker thread: the database does the work and Python's sqlite3 and psycopg
release the GIL while a statement runs, so the parts use every core of the server (docs/adr/0110).

A part returns only what the run must change (``changes_sql``): households that fire and whose stored hit is
missing or differs, and stored households that no longer fire or have no figures any more, each with its
action. The run writes them from its own connection (``runs._store``).

Parts on other connections see committed data only. A run called inside a caller's transaction (a test, a
larger procedure) is therefore evaluated as one part on the caller's connection, which sees that transaction's
writes; so is a year smaller than ``MONITOR_PARALLEL_FROM`` households.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from django.conf import settings
from django.db import connection, connections

from tuopin.assessment.engine.batch import Compiled, outcome_of_sql
from tuopin.assessment.evaluation import tune_session
from tuopin.monitoring import sources
from tuopin.monitoring.engine.batch import compile_triggers
from tuopin.monitoring.engine.triggers import TRIGGER_RULESET
from tuopin.monitoring.models import TriggerHit
from tuopin.registry.models import HouseholdYear

#: (household_id, village_id, status, outcomes, action) of one household the run must write or remove
Change = tuple[int, int, str, int, str]
INSERT, UPDATE, REMOVE = "insert", "update", "remove"
Span = tuple[int, int] | None
#: parts per worker: on SQLite smaller parts keep each part's in-memory join table small (measured 10 % less
#: CPU with 4 than with 1); on PostgreSQL each part pays its own sorts, so one per worker
PARTS_PER_WORKER = {"sqlite": 4, "postgresql": 1}
#: PostgreSQL, for the evaluating statement only: one process streaming the members in (household, person)
#: order through merge joins into a grouped aggregate, measured faster than parallel workers hashing 3.5 M
#: members (docs/performance.md, "Monitoring triggers"); no JIT (compiling the packed outcomes cost ~2 s); no
#: nested loop (with statistics taken before a run wrote 10^6 hits, one looped over the hits for 10 minutes)
_STREAMING = ("max_parallel_workers_per_gather", "enable_hashjoin", "enable_hashagg", "enable_nestloop")


def dialect() -> Literal["sqlite", "postgresql"]:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def fired_sql(column: str) -> str:
    """SQL: at least one trigger's outcome in the packed ``column`` is FAIL (it fired)."""
    return " OR ".join(f"{outcome_of_sql(column, index)} = 1" for index in range(len(TRIGGER_RULESET.rules)))


def compiled(year: int, params: dict[str, Any], households: Span = None) -> Compiled:
    """The per-household SELECT (household_id, village_id, status, outcomes) of the year, or of one part."""
    return compile_triggers(
        TRIGGER_RULESET, dialect=dialect(), standards=params, sources=sources.batch(year, households)
    )


def changes_sql(year: int, params: dict[str, Any], households: Span = None) -> Compiled:
    """The rows a run must change, compared with the stored hits of the year, each with its action: ``insert``
    (fires, not stored), ``update`` (fires, stored with other outcomes, village or status) or ``remove`` (stored,
    and no longer fires or has no figures for the year any more)."""
    query = compiled(year, params, households)
    inner = f"({query.sql} LIMIT -1 OFFSET 0)" if dialect() == "sqlite" else f"({query.sql} OFFSET 0)"
    span = (
        ""
        if households is None
        else f" AND t.household_id BETWEEN {int(households[0])} AND {int(households[1])}"
    )
    hits, figures = TriggerHit._meta.db_table, HouseholdYear._meta.db_table
    differs = "t.outcomes <> q.outcomes OR t.village_id <> q.village_id OR t.status <> q.status"
    fired = fired_sql("q.outcomes")
    sql = (
        "SELECT q.household_id, q.village_id, q.status, q.outcomes, "
        f"CASE WHEN t.household_id IS NULL THEN '{INSERT}' WHEN {fired} THEN '{UPDATE}' ELSE '{REMOVE}' END "
        f"FROM {inner} q LEFT JOIN {hits} t ON t.year = {int(year)} AND t.household_id = q.household_id{span} "
        f"WHERE CASE WHEN {fired} THEN (t.household_id IS NULL OR {differs}) ELSE t.household_id IS NOT NULL END "
        f"UNION ALL SELECT t.household_id, t.village_id, t.status, t.outcomes, '{REMOVE}' FROM {hits} t "
        f"WHERE t.year = {int(year)}{span} AND NOT EXISTS "
        f"(SELECT 1 FROM {figures} y WHERE y.year = {int(year)} AND y.household_id = t.household_id)"
    )
    return Compiled(sql, query.params)


def spans(low: int, high: int, count: int) -> list[tuple[int, int]]:
    """At most ``count`` consecutive ranges of equal width covering ``low`` … ``high``."""
    step = -(-(high - low + 1) // count)
    return [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]


def parts(year: int, count: int) -> list[Span]:
    """``count`` ranges of household ids covering the year's households and stored hits, cut evenly by id."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(household_id), MAX(household_id) FROM {HouseholdYear._meta.db_table} WHERE year = %s "
            f"UNION ALL SELECT MIN(household_id), MAX(household_id) FROM {TriggerHit._meta.db_table} "
            "WHERE year = %s",
            [year, year],
        )
        bounds = [row for row in cursor.fetchall() if row[0] is not None]
    if not bounds:
        return []
    return list(spans(min(int(low) for low, _ in bounds), max(int(high) for _, high in bounds), count))


def _evaluate(query: Compiled, *, own_connection: bool) -> list[Change]:
    """Run one part with the settings for one big statement: on the run's connection inside its transaction
    (``SET LOCAL``), or on a worker's own connection, outside any transaction (a worker only reads; on SQLite a
    transaction would ask for the write lock the run holds), closed afterwards (``SET`` for the session)."""
    scope = "SET" if own_connection else "SET LOCAL"
    with connection.cursor() as cursor:
        tune_session(cursor)
        if dialect() == "postgresql":
            for setting, value in (("jit", "off"), ("work_mem", "'512MB'"), *((s, "0") for s in _STREAMING)):
                cursor.execute(f"{scope} {setting} = {value}")
        cursor.execute(query.sql, query.params)
        rows = cursor.fetchall()
        if dialect() == "postgresql" and not own_connection:
            for setting in _STREAMING:
                cursor.execute(f"RESET {setting}")
    return [
        (int(pk), int(village), str(status), int(outcomes), str(action))
        for pk, village, status, outcomes, action in rows
    ]


def _on_own_connection(query: Compiled) -> list[Change]:
    try:
        return _evaluate(query, own_connection=True)
    finally:
        connections.close_all()  # this worker thread's connections only


def workers(households: int, *, nested: bool) -> int:
    """How many connections evaluate a year of ``households`` (1 for a run inside a caller's transaction)."""
    if nested or households < settings.MONITOR_PARALLEL_FROM:
        return 1
    return int(settings.MONITOR_WORKERS)


def changes(year: int, params: dict[str, Any], *, households: int, nested: bool) -> tuple[list[Change], int]:
    """Every change the year's run must write, and the number of parts it was evaluated in. ``nested``: the
    run was called inside a caller's transaction, whose writes other connections cannot see."""
    count = workers(households, nested=nested)
    if count == 1:
        return _evaluate(changes_sql(year, params), own_connection=False), 1
    spans = parts(year, count * PARTS_PER_WORKER[dialect()])
    queries = [changes_sql(year, params, span) for span in spans]
    run: Callable[[Compiled], list[Change]] = _on_own_connection
    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="monitoring") as pool:
        results: Sequence[list[Change]] = list(pool.map(run, queries))
    return [row for part in results for row in part], len(spans)
