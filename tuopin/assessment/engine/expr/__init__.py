"""A small expression language for rules (``base``: contexts, columns, standards, constants; ``logic``:
comparisons and Kleene logic; ``arith``: money, members, dates, percentages). Import from here."""

from tuopin.assessment.engine.expr.arith import (
    AnyMember,
    BornBetween,
    MemberCount,
    Mul,
    Percent,
    Sub,
    Sum,
)
from tuopin.assessment.engine.expr.base import (
    Const,
    Dialect,
    Env,
    Expr,
    Field,
    Kind,
    MemberField,
    Param,
    SqlContext,
    to_fen,
    years_before,
)
from tuopin.assessment.engine.expr.logic import And, Blank, Cmp, In, IsTrue, Known, Not, OneOf, Or

__all__ = [
    "And",
    "AnyMember",
    "Blank",
    "BornBetween",
    "Cmp",
    "Const",
    "Dialect",
    "Env",
    "Expr",
    "Field",
    "In",
    "IsTrue",
    "Kind",
    "Known",
    "MemberCount",
    "MemberField",
    "Mul",
    "Not",
    "OneOf",
    "Or",
    "Param",
    "Percent",
    "SqlContext",
    "Sub",
    "Sum",
    "to_fen",
    "years_before",
]
