"""A small expression language for rules, with two back-ends that must agree (parity test):

* ``to_sql``: SQL text plus bound parameters for SQLite and PostgreSQL, used by batch runs;
* ``evaluate``: a Python value for one household, used by its explanation.

Logic is three-valued (Kleene) in both: ``None`` / SQL NULL means "unknown" and propagates through
comparisons; ``and`` is false if any side is false, ``or`` true if any side is true. Money is compared in
integer fen (分) in both back-ends, never in float. A rule passes only when its check is TRUE; unknown is
the outcome "missing", never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

Dialect = Literal["sqlite", "postgresql"]
Kind = Literal["money", "bool", "code", "int", "date", "text"]


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
            cast = {"money": "bigint", "int": "bigint", "bool": "boolean", "date": "date"}.get(kind, "text")
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

    def param_names(self) -> set[str]:
        own = {self.name} if isinstance(self, Param) else set()  # type: ignore[attr-defined]
        if isinstance(self, BornBetween):
            own |= {self.born_after_param, self.born_by_param}
        return own.union(*(child.param_names() for child in self.children()))

    # builder sugar
    def __ge__(self, other: Expr) -> Cmp:  # type: ignore[override]
        return Cmp(">=", self, other)

    def __le__(self, other: Expr) -> Cmp:  # type: ignore[override]
        return Cmp("<=", self, other)

    def __gt__(self, other: Expr) -> Cmp:  # type: ignore[override]
        return Cmp(">", self, other)

    def __lt__(self, other: Expr) -> Cmp:  # type: ignore[override]
        return Cmp("<", self, other)


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


_PY_CMP = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
}


@dataclass(frozen=True, eq=True)
class Cmp(Expr):
    op: str
    left: Expr
    right: Expr

    def to_sql(self, ctx: SqlContext) -> str:
        return f"({self.left.to_sql(ctx)} {self.op} {self.right.to_sql(ctx)})"

    def evaluate(self, env: Env) -> Any:
        a, b = self.left.evaluate(env), self.right.evaluate(env)
        if a is None or b is None:
            return None
        return _PY_CMP[self.op](a, b)


@dataclass(frozen=True, eq=True)
class In(Expr):
    """``value IN (...)``; an unknown value is unknown."""

    value: Expr
    options: tuple[str, ...]

    def to_sql(self, ctx: SqlContext) -> str:
        placeholders = ", ".join(ctx.bind(option, "text") for option in self.options)
        return f"({self.value.to_sql(ctx)} IN ({placeholders}))"

    def evaluate(self, env: Env) -> Any:
        value = self.value.evaluate(env)
        return None if value is None else value in self.options


@dataclass(frozen=True, eq=True)
class OneOf(Expr):
    """Like ``In`` but a blank or NULL value is a known "no" (for optional code fields such as causes)."""

    value: Field
    options: tuple[str, ...]

    def to_sql(self, ctx: SqlContext) -> str:
        ctx.columns.add(self.value.name)
        placeholders = ", ".join(ctx.bind(option, "text") for option in self.options)
        return f"(COALESCE({ctx.h}.{self.value.name}, '') IN ({placeholders}))"

    def evaluate(self, env: Env) -> Any:
        return (env.row.get(self.value.name) or "") in self.options

    def fields(self) -> set[str]:
        return set()


@dataclass(frozen=True, eq=True)
class Blank(Expr):
    """A member code field that is empty (NULL or '') or one of ``also`` — a known fact, never unknown.
    ``Blank(field, codes, empty=False)`` tests membership in ``codes`` only (blank is a known "no")."""

    value: MemberField
    also: tuple[str, ...] = ()
    empty: bool = True

    def to_sql(self, ctx: SqlContext) -> str:
        options = ("", *self.also) if self.empty else self.also
        placeholders = ", ".join(ctx.bind(option, "text") for option in options)
        return f"(COALESCE({ctx.p}.{self.value.name}, '') IN ({placeholders}))"

    def evaluate(self, env: Env) -> Any:
        if env.member is None:
            raise ValueError("Blank outside AnyMember")
        return (env.member.get(self.value.name) or "") in (("", *self.also) if self.empty else self.also)

    def fields(self) -> set[str]:
        return set()


@dataclass(frozen=True, eq=True)
class And(Expr):
    parts: tuple[Expr, ...]

    def to_sql(self, ctx: SqlContext) -> str:
        return "(" + " AND ".join(part.to_sql(ctx) for part in self.parts) + ")"

    def evaluate(self, env: Env) -> Any:
        unknown = False
        for part in self.parts:
            value = part.evaluate(env)
            if value is False:
                return False
            if value is None:
                unknown = True
        return None if unknown else True


@dataclass(frozen=True, eq=True)
class Or(Expr):
    parts: tuple[Expr, ...]

    def to_sql(self, ctx: SqlContext) -> str:
        return "(" + " OR ".join(part.to_sql(ctx) for part in self.parts) + ")"

    def evaluate(self, env: Env) -> Any:
        unknown = False
        for part in self.parts:
            value = part.evaluate(env)
            if value is True:
                return True
            if value is None:
                unknown = True
        return None if unknown else False


@dataclass(frozen=True, eq=True)
class Not(Expr):
    part: Expr

    def to_sql(self, ctx: SqlContext) -> str:
        return f"(NOT {self.part.to_sql(ctx)})"

    def evaluate(self, env: Env) -> Any:
        value = self.part.evaluate(env)
        return None if value is None else not value


@dataclass(frozen=True, eq=True)
class IsTrue(Expr):
    """A boolean column that must be TRUE; NULL stays unknown."""

    part: Expr

    def to_sql(self, ctx: SqlContext) -> str:
        return (
            f"({self.part.to_sql(ctx)} = TRUE)"
            if ctx.dialect == "postgresql"
            else f"({self.part.to_sql(ctx)} = 1)"
        )

    def evaluate(self, env: Env) -> Any:
        value = self.part.evaluate(env)
        return None if value is None else value is True


def _raw_money(expr: Expr, ctx: SqlContext) -> str | None:
    """Yuan arithmetic over money columns only, or None. Adding and subtracting 2-decimal amounts and
    rounding the result to fen once is exact (the float error of a few additions is far below half a fen),
    and one ROUND per expression instead of one per column halves SQLite's per-row work."""
    if ctx.layered:
        return None
    if isinstance(expr, Field) and expr.kind == "money":
        ctx.money_columns.add(expr.name)
        return f"{ctx.h}.{expr.name}"
    if isinstance(expr, Sum):
        parts = [_raw_money(part, ctx) for part in expr.parts]
        return None if None in parts else "(" + " + ".join(parts) + ")"  # type: ignore[arg-type]
    if isinstance(expr, Sub):
        left, right = _raw_money(expr.left, ctx), _raw_money(expr.right, ctx)
        return None if left is None or right is None else f"({left} - {right})"
    return None


@dataclass(frozen=True, eq=True)
class Known(Expr):
    """The value is filled in: a known TRUE/FALSE, never unknown (for completeness rules)."""

    part: Expr

    def to_sql(self, ctx: SqlContext) -> str:
        return f"({self.part.to_sql(ctx)} IS NOT NULL)"

    def evaluate(self, env: Env) -> Any:
        return self.part.evaluate(env) is not None

    def fields(self) -> set[str]:
        return set()


@dataclass(frozen=True, eq=True)
class Sum(Expr):
    parts: tuple[Expr, ...]
    kind: Kind = "money"

    def to_sql(self, ctx: SqlContext) -> str:
        raw = _raw_money(self, ctx)
        if raw is not None:
            return _money_sql(raw, ctx.dialect)
        return "(" + " + ".join(part.to_sql(ctx) for part in self.parts) + ")"

    def evaluate(self, env: Env) -> Any:
        values = [part.evaluate(env) for part in self.parts]
        return None if any(value is None for value in values) else sum(values)


@dataclass(frozen=True, eq=True)
class Sub(Expr):
    left: Expr
    right: Expr
    kind: Kind = "money"

    def to_sql(self, ctx: SqlContext) -> str:
        raw = _raw_money(self, ctx)
        if raw is not None:
            return _money_sql(raw, ctx.dialect)
        return f"({self.left.to_sql(ctx)} - {self.right.to_sql(ctx)})"

    def evaluate(self, env: Env) -> Any:
        a, b = self.left.evaluate(env), self.right.evaluate(env)
        return None if a is None or b is None else a - b


@dataclass(frozen=True, eq=True)
class Mul(Expr):
    left: Expr
    right: Expr
    kind: Kind = "money"

    def to_sql(self, ctx: SqlContext) -> str:
        return f"({self.left.to_sql(ctx)} * {self.right.to_sql(ctx)})"

    def evaluate(self, env: Env) -> Any:
        a, b = self.left.evaluate(env), self.right.evaluate(env)
        return None if a is None or b is None else a * b


@dataclass(frozen=True, eq=True)
class MemberCount(Expr):
    """家庭人口数: the number of member rows; a household without members is unknown (never a pass)."""

    kind: Kind = "int"

    def to_sql(self, ctx: SqlContext) -> str:
        if ctx.layered:
            return f"NULLIF({ctx.h}.member_count, 0)"
        return "NULLIF(COALESCE(cnt.member_count, 0), 0)"

    def evaluate(self, env: Env) -> Any:
        return len(env.members) or None


@dataclass(frozen=True, eq=True)
class AnyMember(Expr):
    """TRUE if some member satisfies ``predicate``; unknown if none does but some member is unknown.

    In SQL this becomes one column of a filter-first ``GROUP BY household_id`` over persons (only rows
    where the predicate is not FALSE are grouped), joined to households.
    """

    predicate: Expr

    def to_sql(self, ctx: SqlContext) -> str:
        column = ctx.aggregate_column(self)
        source = f"{ctx.h}.{column}" if ctx.layered else f"agg.{column}"
        return f"(CASE COALESCE({source}, 0) WHEN 2 THEN TRUE WHEN 1 THEN NULL ELSE FALSE END)"

    def evaluate(self, env: Env) -> Any:
        unknown = False
        for member in env.members:
            value = self.predicate.evaluate(env.for_member(member))
            if value is True:
                return True
            if value is None:
                unknown = True
        return None if unknown else False

    def offending(self, env: Env) -> list[tuple[dict[str, Any], bool | None]]:
        """Members for which the predicate is TRUE (or unknown): the evidence shown on the page."""
        result = []
        for member in env.members:
            value = self.predicate.evaluate(env.for_member(member))
            if value is not False:
                result.append((member, value))
        return result


@dataclass(frozen=True, eq=True)
class BornBetween(Expr):
    """Age on the reference date lies in [min_age, max_age] ⇔ born after ``ref − (max+1) years`` and on or
    before ``ref − min years``. The two dates are standards-derived parameters, so SQL compares dates only."""

    birth: MemberField
    born_after_param: str
    born_by_param: str

    def to_sql(self, ctx: SqlContext) -> str:
        after = Param(self.born_after_param, "date").to_sql(ctx)
        by = Param(self.born_by_param, "date").to_sql(ctx)
        column = self.birth.to_sql(ctx)
        return f"(({column} > {after}) AND ({column} <= {by}))"

    def evaluate(self, env: Env) -> Any:
        return And(
            (
                Cmp(">", self.birth, Param(self.born_after_param, "date")),
                Cmp("<=", self.birth, Param(self.born_by_param, "date")),
            )
        ).evaluate(env)


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: list[Any] = field(default_factory=list)


def years_before(reference: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 Feb → 28 Feb)."""
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:
        return reference.replace(year=reference.year - years, day=28)
