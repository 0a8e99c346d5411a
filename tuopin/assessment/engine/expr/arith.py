"""Arithmetic over money (integer fen), the household's members (count, "any member"), birth-date windows
and percentages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tuopin.assessment.engine.expr.base import (
    Env,
    Expr,
    Field,
    Kind,
    MemberField,
    Param,
    SqlContext,
    _money_sql,
)
from tuopin.assessment.engine.expr.logic import And, Cmp


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

    def own_params(self) -> set[str]:
        return {self.born_after_param, self.born_by_param}

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


@dataclass(frozen=True, eq=True)
class Percent(Expr):
    """``numerator ÷ denominator × 100`` rounded to two decimals, as the figure is published (贫困发生率,
    错评率 …); unknown when either side is unknown or the denominator is zero. Python back-end only: the area
    figures it reads are a handful per village, taken from a run's stored results."""

    numerator: Expr
    denominator: Expr
    kind: Kind = "number"

    def evaluate(self, env: Env) -> Any:
        numerator, denominator = self.numerator.evaluate(env), self.denominator.evaluate(env)
        if numerator is None or not denominator:
            return None
        return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))
