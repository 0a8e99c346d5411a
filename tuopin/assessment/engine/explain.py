"""One household, rule by rule: outcome, measured value, threshold and a Chinese sentence.

Uses the very same rule expressions as the batch SQL (``Rule.effective``) so that a parity test can prove
that the page and the stored run agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tuopin.assessment.engine.expr import AnyMember, Const, Env, Expr, Param
from tuopin.assessment.engine.outcomes import (
    NOT_APPLICABLE_LABEL,
    OUTCOME_LABELS,
    Outcome,
    combine,
    outcome_of,
)
from tuopin.assessment.engine.rulebase import PerCapita, Rule, RuleSet


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    outcome: Outcome
    applicable: bool
    measured: str
    threshold: str
    sentence: str

    @property
    def label(self) -> str:
        return NOT_APPLICABLE_LABEL if not self.applicable else OUTCOME_LABELS[self.outcome]


@dataclass(frozen=True)
class CriterionResult:
    code: str
    title: str
    outcome: Outcome
    rules: tuple[RuleResult, ...]

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass(frozen=True)
class Explanation:
    criteria: tuple[CriterionResult, ...]

    @property
    def outcomes(self) -> dict[str, Outcome]:
        return {result.rule.code: result.outcome for c in self.criteria for result in c.rules}

    @property
    def all_pass(self) -> bool:
        return all(c.outcome == Outcome.PASS for c in self.criteria)

    @property
    def failing(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.outcome != Outcome.PASS]


def evaluate_rule(rule: Rule, env: Env) -> Outcome:
    return outcome_of(rule.effective.evaluate(env))


def display_value(expr: Expr | None, env: Env) -> str:
    """A measured value or threshold as shown: money in yuan with thousands separators."""
    if expr is None:
        return ""
    value = expr.evaluate(env)
    if value is None:
        return "（空）"
    if isinstance(expr, PerCapita):
        return f"{value:,.2f}"
    if getattr(expr, "kind", None) == "money" and not isinstance(expr, Const):
        return f"{Decimal(value) / 100:,.2f}"
    return str(value)


def _member_text(member: dict[str, Any], unknown: bool | None, labels: dict[str, str]) -> str:
    name = member.get("name") or "（无姓名）"
    birth = member.get("birth_date")
    if unknown is None:
        return f"{name}（出生日期或参保情况不详）"
    schooling = (
        labels.get(f"schooling:{member.get('schooling') or ''}", "") if member.get("schooling") else "未填"
    )
    birth_text = birth.isoformat() if isinstance(birth, date) else (birth or "不详")
    return f"{name}（{birth_text}出生，在校情况：{schooling}）"


def _missing_sentence(rule: Rule, env: Env, labels: dict[str, str]) -> str:
    reasons = []
    for name in sorted(rule.effective.param_names()):
        if env.params.get(name) is None:
            reasons.append(f"未设置标准“{labels.get('param:' + name, name)}”")
    for name in sorted(rule.effective.fields()):
        if name.startswith("members."):
            column = name.removeprefix("members.")
            missing = [m.get("name") or "?" for m in env.members if m.get(column) is None]
            if missing and rule.evidence is None:
                reasons.append(f"成员{'、'.join(missing)}的“{labels.get(name, column)}”未填")
        elif env.row.get(name) in (None, ""):
            reasons.append(f"“{labels.get(name, name)}”未填")
    if not env.members:
        reasons.append("没有家庭成员记录")
    if rule.evidence is not None:
        unknown = [m for m, value in rule.evidence.offending(env) if value is None]
        if unknown:
            reasons.append(
                "成员" + "、".join(m.get("name") or "?" for m in unknown) + "的出生日期或参保情况不详"
            )
    return "数据缺失，无法判断：" + ("；".join(reasons) if reasons else "必要数据不全")


def explain_rule(rule: Rule, env: Env, *, year: int, labels: dict[str, str]) -> RuleResult:
    outcome = evaluate_rule(rule, env)
    applicable = rule.applies is None or rule.applies.evaluate(env) is not False
    measured = display_value(rule.measured, env)
    threshold = (
        display_value(rule.threshold, env)
        if not isinstance(rule.threshold, Param) or env.params.get(rule.threshold.name) is not None
        else "（未设置）"
    )
    evidence = ""
    if rule.evidence is not None:
        evidence = "、".join(_member_text(m, v, labels) for m, v in rule.evidence.offending(env) if v is True)
    values = {
        "measured": measured,
        "threshold": threshold,
        "year": year,
        "evidence": evidence,
        "school_age": labels.get("school_age", "6–15 周岁"),
    }
    if not applicable:
        sentence = rule.na_text
    elif outcome == Outcome.PASS:
        sentence = rule.met_text.format(**values)
    elif outcome == Outcome.FAIL:
        sentence = rule.unmet_text.format(**values)
    else:
        sentence = _missing_sentence(rule, env, labels)
    return RuleResult(rule, outcome, applicable, measured, threshold, sentence)


def explain(
    ruleset: RuleSet,
    row: dict[str, Any],
    members: list[dict[str, Any]],
    standards: dict[str, Any],
    *,
    year: int,
    labels: dict[str, str] | None = None,
) -> Explanation:
    env = Env(row, tuple(members), standards)
    labels = labels or {}
    criteria = []
    for criterion in ruleset.criteria:
        results = tuple(
            explain_rule(rule, env, year=year, labels=labels) for rule in ruleset.rules_of(criterion.code)
        )
        criteria.append(
            CriterionResult(criterion.code, criterion.title, combine([r.outcome for r in results]), results)
        )
    return Explanation(tuple(criteria))


def evaluate_all(
    ruleset: RuleSet, row: dict[str, Any], members: list[dict[str, Any]], standards: dict[str, Any]
) -> dict[str, Outcome]:
    """{rule code: outcome} for one household: what the parity test compares with the batch."""
    env = Env(row, tuple(members), standards)
    return {rule.code: evaluate_rule(rule, env) for rule in ruleset.rules}


__all__ = [
    "AnyMember",
    "CriterionResult",
    "Explanation",
    "RuleResult",
    "combine",
    "display_value",
    "evaluate_all",
    "evaluate_rule",
    "explain",
    "explain_rule",
    "outcome_of",
]
