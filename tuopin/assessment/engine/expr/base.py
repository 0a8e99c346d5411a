"""The core of the rule expression language: contexts, the ``Expr`` base and the leaves (columns, standards,
constants). The language has two back-ends that must agree (parity test):

* ``to_sql``: SQL text plus bound parameters for SQLite and PostgreSQL, used by batch runs;
* ``evaluate``: a Python value for one household, used by its explanation.

Logic is three-valued (Kleene) in both: ``None`` / SQL NULL means "unknown" and propagates through
comparisons. Money is compared in integer fen (分) in both back-ends, never in float.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tuopin.assessment.engine.expr.arith import AnyMember

Dialect = Literal["sqlite", "postgresql"]
Kind = Literal["money", "bool", "code", "int", "date", "text", "number"]


def to_fen(value: Any) -> int | None:
    """Yuan (Decimal/int/str) → integer fen; None stays None. Never goes through float."""
    if value is None:
        return None
    return int((Decimal(str(value)) * 100).to_integral_value(rounding=ROUND_HALF_UP))


class SqlContext:
    """Collects bound parameters and member aggregates while compiling."""

    def __init__(
        self,
        dialect: Dialect,
        standards: dict[str, Any],
        aggregates: list[AnyMember] | None = None,
        household_alias: str = "h",
        member_alias: str = "p",
    ):
        self.dialect = dialect
        self.standards = standards
        self.h = household_alias
        self.p = member_alias
        self.params: list[Any] = []
        self.aggregates: list[AnyMember] = aggregates if aggregates is not None else []
        # household columns the rules read; money columns are converted to integer fen once per row in the
        # inner layer of the batch query (``batch.compile_select``) and read here as ``<name>__fen``
        self.columns: set[str] = set()
        self.money_columns: set[str] = set()
        self.layered = False  # True in batch runs: read prepared columns of the inner layer

    def bind(self, value: Any, kind: Kind) -> str:
        if isinstance(value, date) and self.dialect == "sqlite":
            value = value.isoformat()
        self.params.append(value)
        if self.dialect == "postgresql":
            cast = {
                "money": "bigint",
                "int": "bigint",
                "bool": "boolean",
                "date": "date",
                "number": "numeric",
            }.get(kind, "text")
            return f"CAST(%s AS {cast})"
        return "%s"

    def aggregate_column(self, node: AnyMember) -> str:
        for index, existing in enumerate(self.aggregates):
            if existing == node:
                return f"agg_{index}"
        self.aggregates.append(node)
        return f"agg_{len(self.aggregates) - 1}"


@dataclass(frozen=True)
class Env:
    """What the Python back-end reads: one household row, its members, the resolved standards."""

    row: dict[str, Any]
    members: tuple[dict[str, Any], ...]
    params: dict[str, Any]
    member: dict[str, Any] | None = None

    def for_member(self, member: dict[str, Any]) -> Env:
        return Env(self.row, self.members, self.params, member)


class Expr:
    kind: Kind = "bool"

    def to_sql(self, ctx: SqlContext) -> str:
        raise NotImplementedError

    def evaluate(self, env: Env) -> Any:
        raise NotImplementedError

    def children(self) -> list[Expr]:
        result: list[Expr] = []
        for value in vars(self).values():
            if isinstance(value, Expr):
                result.append(value)
            elif isinstance(value, tuple):
                result.extend(item for item in value if isinstance(item, Expr))
        return result

    def fields(self) -> set[str]:
        """Household fields (``name``) and member fields (``members.name``) whose NULL makes this unknown."""
        return set().union(*(child.fields() for child in self.children())) if self.children() else set()

    def own_params(self) -> set[str]:
        """The standards this node itself reads (``Param``, ``BornBetween``); children add theirs."""
        return set()

    def param_names(self) -> set[str]:
        return self.own_params().union(*(child.param_names() for child in self.children()))


def _money_sql(column: str, dialect: Dialect) -> str:
    if dialect == "sqlite":
        return f"CAST(ROUND({column} * 100) AS INTEGER)"
    return f"CAST(ROUND({column} * 100) AS bigint)"


@dataclass(frozen=True, eq=True)
class Field(Expr):
    """A household column. Blank codes count as unknown (``NULLIF(col, '')``)."""

    name: str
    kind: Kind = "bool"

    def to_sql(self, ctx: SqlContext) -> str:
        column = f"{ctx.h}.{self.name}"
        if self.kind == "money":
            ctx.money_columns.add(self.name)
            return f"{column}__fen" if ctx.layered else _money_sql(column, ctx.dialect)
        ctx.columns.add(self.name)
        if self.kind == "code":
            return f"NULLIF({column}, '')"
        return column

    def evaluate(self, env: Env) -> Any:
        return _python_value(env.row.get(self.name), self.kind)

    def fields(self) -> set[str]:
        return {self.name}


@dataclass(frozen=True, eq=True)
class MemberField(Expr):
    """A column of the member being looked at inside ``AnyMember``."""

    name: str
    kind: Kind = "bool"

    def to_sql(self, ctx: SqlContext) -> str:
        column = f"{ctx.p}.{self.name}"
        if self.kind == "money":
            return _money_sql(column, ctx.dialect)
        if self.kind == "code":
            return f"NULLIF({column}, '')"
        return column

    def evaluate(self, env: Env) -> Any:
        if env.member is None:
            raise ValueError("MemberField outside AnyMember")
        return _python_value(env.member.get(self.name), self.kind)

    def fields(self) -> set[str]:
        return {f"members.{self.name}"}


def _python_value(value: Any, kind: Kind) -> Any:
    if value is None:
        return None
    if kind == "money":
        return to_fen(value)
    if kind == "code":
        return value or None
    if kind == "bool":
        return bool(value)
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


@dataclass(frozen=True, eq=True)
class Param(Expr):
    """A standard (threshold) resolved for the run's year and region; money params are fen."""

    name: str
    kind: Kind = "money"

    def own_params(self) -> set[str]:
        return {self.name}

    def to_sql(self, ctx: SqlContext) -> str:
        return ctx.bind(self.evaluate(Env({}, (), ctx.standards)), self.kind)

    def evaluate(self, env: Env) -> Any:
        value = env.params.get(self.name)
        if self.kind == "money":
            return to_fen(value)
        return value


@dataclass(frozen=True, eq=True)
class Const(Expr):
    value: Any
    kind: Kind = "int"

    def to_sql(self, ctx: SqlContext) -> str:
        if self.value is True:
            return "TRUE"
        if self.value is False:
            return "FALSE"
        if isinstance(self.value, int):
            return str(int(self.value))
        return ctx.bind(self.value, self.kind)

    def evaluate(self, env: Env) -> Any:
        return self.value


def years_before(reference: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 Feb → 28 Feb)."""
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:
        return reference.replace(year=reference.year - years, day=28)
