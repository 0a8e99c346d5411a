"""Set-based evaluation of a rule set: one SELECT over all households in scope, returning per household
the packed outcomes (two bits per rule: 0 pass, 1 fail, 2 missing) and the member count.

Shape (measured: filter-first GROUP BY is the fastest form on SQLite and PostgreSQL)::

    SELECT h.id, h.village_id, h.status, <member count>, <packed outcomes>
    FROM households h
    LEFT JOIN (SELECT household_id, COUNT(*) ... GROUP BY household_id) cnt
    LEFT JOIN (SELECT household_id, MAX(CASE WHEN pred THEN 2 WHEN pred IS NULL THEN 1 ELSE 0 END) ...
               FROM persons WHERE pred IS NOT FALSE ... GROUP BY household_id) agg
    WHERE <scope>

Each rule's expression appears once (a simple ``CASE expr WHEN true ...``), so it is evaluated once per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tuopin.assessment.engine.expr import AnyMember, Dialect, SqlContext
from tuopin.assessment.engine.outcomes import Outcome
from tuopin.assessment.engine.rulebase import RuleSet


@dataclass(frozen=True)
class Tables:
    household: str = "registry_household"
    person: str = "registry_person"
    # a table name (SQLite may be told to scan it in table order) or a parenthesised subquery (no hint)
    person_is_table: bool = True


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: list[Any]


def outcome_sql(expression_sql: str, dialect: Dialect) -> str:
    """TRUE → 0 (pass), FALSE → 1 (fail), NULL → 2 (missing), evaluating the expression once."""
    if dialect == "sqlite":  # booleans are 1/0/NULL: plain arithmetic is cheaper than CASE
        return f"COALESCE(1 - {expression_sql}, 2)"
    return f"COALESCE(1 - CAST({expression_sql} AS integer), 2)"


def _packed(
    ruleset: RuleSet,
    dialect: Dialect,
    standards: dict[str, Any],
    aggregates: list[AnyMember],
    used: SqlContext,
) -> tuple[str, list[Any]]:
    params: list[Any] = []
    terms = []
    for index, rule in enumerate(ruleset.rules):
        ctx = SqlContext(dialect, standards, aggregates)
        ctx.layered = True
        text = rule.effective.to_sql(ctx)
        params.extend(ctx.params)
        used.columns |= ctx.columns
        used.money_columns |= ctx.money_columns
        shift = f"{1 << (2 * index)}" if dialect == "sqlite" else f"CAST({1 << (2 * index)} AS bigint)"
        terms.append(f"{outcome_sql(text, dialect)} * {shift}")
    return (" + ".join(terms) if terms else "0"), params


def _member_aggregates(
    aggregates: list[AnyMember], dialect: Dialect, standards: dict[str, Any]
) -> tuple[list[str], list[str], list[Any]]:
    """The member GROUP BY's columns (2 true for some member, 1 unknown, 0 false), its filter (only rows
    where some predicate is not FALSE are grouped) and their bound parameters, in that order."""
    params: list[Any] = []
    columns = []
    filters = []
    for index, node in enumerate(aggregates):
        ctx = SqlContext(dialect, standards, [])
        predicate = node.predicate.to_sql(ctx)
        # the predicate appears twice in the column and once in the WHERE: bind its params each time
        columns.append(
            f"MAX(CASE WHEN {predicate} THEN 2 WHEN {predicate} IS NULL THEN 1 ELSE 0 END) AS agg_{index}"
        )
        params.extend(ctx.params * 2)
    for node in aggregates:
        ctx = SqlContext(dialect, standards, [])
        filters.append(f"({node.predicate.to_sql(ctx)}) IS NOT FALSE")
        params.extend(ctx.params)
    return columns, filters, params


def compile_select(
    ruleset: RuleSet,
    *,
    dialect: Dialect,
    standards: dict[str, Any],
    tables: Tables = Tables(),
    where: str = "",
    where_params: tuple[Any, ...] = (),
    flags: RuleSet | None = None,
) -> Compiled:
    """The per-household SELECT (columns: household_id, village_id, status, member_count, outcomes[, flags]).

    Two layers: the inner one reads each household once with its member count, member aggregates and every
    money column converted to integer fen; the outer one evaluates the rules on those columns, so shared
    terms (net income appears in seven rules) cost integer arithmetic only. ``where`` filters the inner
    layer (alias ``hh``)."""
    aggregates: list[AnyMember] = []
    used = SqlContext(dialect, standards)
    packed, select_params = _packed(ruleset, dialect, standards, aggregates, used)
    flags_sql, flags_params = _packed(flags, dialect, standards, aggregates, used) if flags else ("", [])

    agg_columns, agg_filters, agg_params = _member_aggregates(aggregates, dialect, standards)
    integer = "INTEGER" if dialect == "sqlite" else "bigint"
    inner_columns = ["hh.id", "hh.village_id", "hh.status"]
    inner_columns += [f"hh.{name}" for name in sorted(used.columns - {"id", "village_id", "status"})]
    inner_columns += [
        f"CAST(ROUND(hh.{name} * 100) AS {integer}) AS {name}__fen" for name in sorted(used.money_columns)
    ]
    inner_columns.append("COALESCE(cnt.member_count, 0) AS member_count")
    inner_columns += [f"agg.agg_{index}" for index in range(len(aggregates))]
    inner = [
        f"SELECT {', '.join(inner_columns)}",
        f"FROM {tables.household} hh",
        f"LEFT JOIN (SELECT household_id, COUNT(*) AS member_count FROM {tables.person} pc",
        "GROUP BY household_id) cnt ON cnt.household_id = hh.id",
    ]
    if aggregates:
        inner += [
            # SQLite: scan persons in table order (NOT INDEXED); walking the FK index costs a lookup per row
            f"LEFT JOIN (SELECT p.household_id, {', '.join(agg_columns)} FROM {tables.person} p"
            + (" NOT INDEXED" if dialect == "sqlite" and tables.person_is_table else ""),
            f"WHERE {' OR '.join(agg_filters)} GROUP BY p.household_id) agg ON agg.household_id = hh.id",
        ]
    if where:
        inner.append(f"WHERE {where}")
    # not flattened / pulled up: the outer layer reads the prepared columns instead of re-deriving them
    inner.append("LIMIT -1 OFFSET 0" if dialect == "sqlite" else "OFFSET 0")
    sql = [
        "SELECT h.id AS household_id, h.village_id AS village_id, h.status AS status, h.member_count AS member_count,",
        f"({packed}) AS outcomes" + (f", ({flags_sql}) AS flags" if flags else ""),
        "FROM (",
        *inner,
        ") h",
    ]
    return Compiled("\n".join(sql), [*select_params, *flags_params, *agg_params, *where_params])


def unpack(outcomes: int, ruleset: RuleSet) -> dict[str, Outcome]:
    """Packed integer → {rule code: outcome}."""
    return {rule.code: Outcome((outcomes >> (2 * index)) & 3) for index, rule in enumerate(ruleset.rules)}


def pack(outcomes: dict[str, Outcome], ruleset: RuleSet) -> int:
    return sum(int(outcomes[rule.code]) << (2 * index) for index, rule in enumerate(ruleset.rules))


def outcome_of_sql(column: str, index: int) -> str:
    """SQL for one rule's outcome (0/1/2) from a packed column; works on SQLite and PostgreSQL."""
    return f"(({column} / {1 << (2 * index)}) & 3)"
