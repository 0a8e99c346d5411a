"""Evaluating and explaining village and county indicators (``area_rules``), Python only: an area's figures
are a handful of numbers, read from a run's stored results and the year's records.

``stored_params`` turns a run's stored standards (``AssessmentRun.standards``: ``{key: {"value": "3.00", …}}``)
back into the values the rules compare with, so an indicator is always judged by the standards of its run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tuopin.assessment.engine.area_rules import AreaRule, AreaRuleSet
from tuopin.assessment.engine.explain import display_value
from tuopin.assessment.engine.expr import Env, Param
from tuopin.assessment.engine.outcomes import OUTCOME_LABELS, Outcome, combine, outcome_of

NO_DATA = "（无数据）"
NOT_SET = "（未设置）"


@dataclass(frozen=True)
class AreaResult:
    """One indicator of one area: outcome, the measured value and the threshold as shown, the formula with
    the area's figures, and the clause it implements."""

    code: str
    title: str
    outcome: Outcome
    value: str
    threshold: str
    formula: str
    source: str = ""

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def stored_params(standards: Mapping[str, Any], ruleset: AreaRuleSet) -> dict[str, Decimal | None]:
    """The values of the standards ``ruleset`` reads, from a run's stored snapshot (None: unset or absent)."""
    params: dict[str, Decimal | None] = {}
    for name in sorted(ruleset.param_names()):
        raw = (standards.get(name) or {}).get("value")
        try:
            params[name] = None if raw is None else Decimal(str(raw))
        except InvalidOperation:
            params[name] = None
    return params


def evaluate_area(
    ruleset: AreaRuleSet, figures: Mapping[str, Any], params: Mapping[str, Any]
) -> dict[str, Outcome]:
    """{indicator code: outcome} for one area."""
    env = Env(dict(figures), (), dict(params))
    return {rule.code: outcome_of(rule.check.evaluate(env)) for rule in ruleset.rules}


def _threshold(rule: AreaRule, env: Env) -> str:
    if isinstance(rule.threshold, Param) and env.params.get(rule.threshold.name) is None:
        shown = NOT_SET
    else:
        shown = display_value(rule.threshold, env)
    return rule.threshold_text.format(threshold=shown) if rule.threshold_text else shown


def _value(rule: AreaRule, outcome: Outcome, env: Env) -> str:
    if outcome == Outcome.PASS and rule.met_text:
        return rule.met_text
    if outcome == Outcome.FAIL and rule.unmet_text:
        return rule.unmet_text
    if rule.measured is None:
        return NO_DATA
    value = rule.measured.evaluate(env)
    if value is None:
        return NO_DATA
    return rule.value_text.format(**{**env.row, "measured": display_value(rule.measured, env)})


def explain_area(
    ruleset: AreaRuleSet, figures: Mapping[str, Any], params: Mapping[str, Any]
) -> tuple[AreaResult, ...]:
    """Every indicator of one area with its outcome, value, threshold and formula."""
    env = Env(dict(figures), (), dict(params))
    results = []
    for rule in ruleset.rules:
        outcome = outcome_of(rule.check.evaluate(env))
        results.append(
            AreaResult(
                rule.code,
                rule.title,
                outcome,
                _value(rule, outcome, env),
                _threshold(rule, env),
                rule.formula.format(**env.row) if rule.formula else "",
                rule.source,
            )
        )
    return tuple(results)


def area_outcome(results: tuple[AreaResult, ...] | list[AreaResult]) -> Outcome:
    return combine(result.outcome for result in results)
