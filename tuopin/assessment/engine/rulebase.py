"""What a rule is: a code, the criterion it belongs to, a three-valued check, what it measures against which
threshold, the sentences of its explanation and the clause it implements. Also the expressions several rule
sets share (net income, relocation)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tuopin.assessment.engine.expr import (
    AnyMember,
    Env,
    Expr,
    Field,
    IsTrue,
    MemberCount,
    Not,
    Or,
    Param,
    Sub,
    Sum,
)


@dataclass(frozen=True)
class PerCapita(Expr):
    """Display only: a fen amount divided by the number of members, in yuan (2 decimals)."""

    amount: Expr
    kind: str = "money"  # type: ignore[assignment]

    def evaluate(self, env: Env) -> Any:
        total = self.amount.evaluate(env)
        count = MemberCount().evaluate(env)
        if total is None or not count:
            return None
        return (Decimal(total) / 100 / count).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Rule:
    code: str
    criterion: str
    title: str
    check: Expr
    source: str
    applies: Expr | None = None
    measured: Expr | None = None
    threshold: Expr | None = None
    unit: str = ""
    met_text: str = ""
    unmet_text: str = ""
    na_text: str = "不适用"
    evidence: AnyMember | None = None
    severity: str = ""  # data-quality rules: critical / warning / info
    fix: str = ""  # data-quality rules: the recommended correction
    version: int = 1

    @property
    def effective(self) -> Expr:
        """What the batch evaluates: not applicable counts as met; an unknown guard stays unknown."""
        if self.applies is None:
            return self.check
        return Or((Not(self.applies), self.check))

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(repr((self.version, self.effective)).encode()).hexdigest()[:10]
        return f"v{self.version}-{digest}"


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str


@dataclass(frozen=True)
class RuleSet:
    name: str
    criteria: tuple[Criterion, ...]
    rules: tuple[Rule, ...]

    def bit(self, code: str) -> int:
        return [rule.code for rule in self.rules].index(code)

    def rules_of(self, criterion: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.criterion == criterion)

    @property
    def versions(self) -> dict[str, str]:
        return {rule.code: rule.fingerprint for rule in self.rules}


def money(name: str) -> Field:
    """A money column of the household (compared in integer fen)."""
    return Field(name, "money")


NET_INCOME = Sub(
    Sum(
        (
            money("wage_income"),
            money("business_income"),
            money("property_income"),
            money("transfer_income"),
        )
    ),
    money("business_expense"),
)
INCOME_LINE = Param("income_line")
IS_RELOCATED = IsTrue(Field("is_relocated"))
