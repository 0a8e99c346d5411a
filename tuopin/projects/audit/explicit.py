"""The checks the plan's data file spells out, one function per kind: sum, product, ratio, bound, repeated."""

from collections.abc import Callable
from decimal import Decimal

from tuopin.projects.audit.compare import (
    in_unit,
    operand,
    places,
    repeated_finding,
    side,
    status_of,
    sum_finding,
    tolerance,
)
from tuopin.projects.audit.model import Check, Finding, Kind, PlanInput, Side, Status, normalize, plain


def _sum(check: Check, plan: PlanInput) -> list[Finding]:
    total = plan.figures[check["total"]]
    terms = [operand(plan, item) for item in check["items"]]
    return [sum_finding(check.get("label", ""), total, terms, check.get("note", ""))]


def _product(check: Check, plan: PlanInput) -> list[Finding]:
    result = plan.figures[check["result"]]
    terms = [operand(plan, item) for item in check["factors"]]
    computed = Decimal(1)
    for term in terms:
        computed *= term.value
    text = "×".join(t.text for t in terms) + f"＝{in_unit(computed, result.stated_unit)}"
    diff = result.value - computed
    return [
        Finding(
            Kind.PRODUCT,
            status_of(diff, tolerance(result)),
            check.get("label", ""),
            side(result),
            Side(computed, text, places(t.place for t in terms)),
            diff,
            in_unit(diff, result.stated_unit),
            check.get("note", ""),
        )
    ]


def _ratio(check: Check, plan: PlanInput) -> list[Finding]:
    """A ratio the plan truncated may differ by less than one unit of its last digit (rounding)."""
    result = plan.figures[check["result"]]
    num = operand(plan, check["numerator"])
    den = operand(plan, check["denominator"])
    computed = (num.value / den.value).quantize(Decimal("0.0001"))
    suffix = "" if result.unit.startswith("元") else result.stated_unit
    diff = result.value - computed
    exponent = min(int(result.stated_value.normalize().as_tuple().exponent), 0)
    one_step = normalize(Decimal(1).scaleb(exponent), result.stated_unit)[0]
    if abs(diff) <= one_step / 2:
        status = Status.OK
    else:
        status = Status.ROUNDING if abs(diff) < one_step else Status.MISMATCH
    right = Side(
        computed, f"{num.text}÷{den.text}＝{plain(computed)}{suffix}", places([num.place, den.place])
    )
    return [
        Finding(
            Kind.RATIO,
            status,
            check.get("label", ""),
            side(result),
            right,
            diff,
            plain(diff),
            check.get("note", ""),
        )
    ]


def _bound(check: Check, plan: PlanInput) -> list[Finding]:
    smaller, larger = plan.figures[check["smaller"]], plan.figures[check["larger"]]
    diff = smaller.value - larger.value
    return [
        Finding(
            Kind.BOUND,
            Status.OK if diff <= 0 else Status.MISMATCH,
            check.get("label", ""),
            side(smaller),
            side(larger),
            diff,
            in_unit(diff, smaller.stated_unit),
            check.get("note", ""),
        )
    ]


def _repeated(check: Check, plan: PlanInput) -> list[Finding]:
    keys = check["figures"]
    first = plan.figures[keys[0]]
    label, note = check.get("label", ""), check.get("note", "")
    return [repeated_finding(label, first, plan.figures[key], note) for key in keys[1:]]


CHECKS: dict[str, Callable[[Check, PlanInput], list[Finding]]] = {
    Kind.SUM: _sum,
    Kind.PRODUCT: _product,
    Kind.RATIO: _ratio,
    Kind.BOUND: _bound,
    Kind.REPEATED: _repeated,
}


def explicit(check: Check, plan: PlanInput) -> list[Finding]:
    run = CHECKS.get(check["kind"])
    if run is None:
        raise ValueError(f"未知的核对类型：{check['kind']}")
    return run(check, plan)
