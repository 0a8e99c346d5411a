"""The evaluation statement of a run: the engine's set-based SELECT over the year's figures of the households
in a region (and a user's jurisdiction), and the session settings the one big statement needs. Shared by the
stored run, what-if and the reads that evaluate without storing."""

from typing import Any

from django.db import connection

from tuopin.accounts.models import User
from tuopin.assessment.engine.batch import Compiled, compile_select
from tuopin.assessment.engine.expr import Dialect
from tuopin.assessment.engine.rules import EXIT_RULESET, INDICATOR_RULESET, RuleSet
from tuopin.assessment.selectors.scope import household_scope_sql
from tuopin.assessment.yearsource import tables as year_tables
from tuopin.core.errors import ApplicationError
from tuopin.regions.models import Level, Region


def dialect() -> Dialect:
    vendor = connection.vendor
    if vendor == "sqlite":
        return "sqlite"
    if vendor == "postgresql":
        return "postgresql"
    raise ApplicationError(f"不支持的数据库：{vendor}")


def _scope(region: Region | None) -> tuple[str, tuple[Any, ...]]:
    if region is None or region.level == Level.COUNTY:
        return "", ()
    return (
        f"hh.village_id IN (SELECT id FROM {Region._meta.db_table} WHERE path LIKE %s)",
        (region.path + "%",),
    )


def compile_run(
    *,
    year: int,
    region: Region | None,
    params: dict[str, Any],
    ruleset: RuleSet = EXIT_RULESET,
    with_flags: bool = True,
    by: User | None = None,
) -> Compiled:
    """The evaluation of every household in ``region`` (and, given ``by``, in that user's jurisdiction)."""
    where, where_params = _scope(region)
    if by is not None:
        scope_sql, scope_params = household_scope_sql(by)
        if scope_sql:
            where = " AND ".join(part for part in (where, f"hh.id IN ({scope_sql})") if part)
            where_params = (*where_params, *scope_params)
    return compile_select(
        ruleset,
        dialect=dialect(),
        standards=params,
        tables=year_tables(year),  # that year's figures over the registration (ADR 0080)
        where=where,
        where_params=where_params,
        flags=INDICATOR_RULESET if with_flags else None,
    )


def tune_session(cursor: Any) -> None:
    """Memory for the one big statement: SQLite's default 2 MB page cache and PostgreSQL's 4 MB work_mem
    make the member GROUP BY and the joins spill to disk at a million households."""
    if dialect() == "sqlite":
        cursor.execute("PRAGMA cache_size = -524288")  # 512 MiB, this connection only
    else:
        cursor.execute("SET LOCAL work_mem = '256MB'")


def unflattened(select_sql: str) -> str:
    """The evaluation as a subquery the planner will not inline: outer references to ``outcomes`` then read
    the computed column instead of repeating every rule expression (SQLite: no flattening of a subquery with
    OFFSET; PostgreSQL: OFFSET 0 blocks subquery pull-up)."""
    return f"({select_sql} LIMIT -1 OFFSET 0)" if dialect() == "sqlite" else f"({select_sql} OFFSET 0)"
