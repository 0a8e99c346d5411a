"""Comparisons and three-valued (Kleene) logic: ``and`` is false if any side is false, ``or`` true if any
side is true, anything else with an unknown side is unknown. A rule passes only when its check is TRUE."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tuopin.assessment.engine.expr.base import Env, Expr, Field, MemberField, SqlContext

_PY_CMP: dict[str, Callable[[Any, Any], bool]] = {
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
