"""How two sides are compared and written: tolerances from the digits the plan wrote, operands of a check,
and the findings for a sum, a repeated figure and a repeated list."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tuopin.projects.audit.model import (
    Figure,
    Finding,
    Kind,
    Operand,
    PlanInput,
    Side,
    Status,
    denormalize,
    normalize,
    plain,
)


def tolerance(figure: Figure) -> Decimal:
    """Half a unit of the last digit written, in normalised units."""
    exponent = figure.stated_value.normalize().as_tuple().exponent
    step = Decimal(1).scaleb(min(int(exponent), 0))
    half = step / 2
    return normalize(half, figure.stated_unit)[0]


def status_of(diff: Decimal, limit: Decimal) -> Status:
    if diff == 0:
        return Status.OK
    if abs(diff) <= limit:
        return Status.ROUNDING
    return Status.MISMATCH


def in_unit(value: Decimal, stated_unit: str) -> str:
    return f"{plain(denormalize(value, stated_unit))}{stated_unit}"


def side(figure: Figure) -> Side:
    return Side(figure.value, figure.text, figure.ref, figure.quote)


def places(where: Iterable[str]) -> str:
    seen: list[str] = []
    for place in where:
        if place and place not in seen:
            seen.append(place)
    return "、".join(seen)


@dataclass(frozen=True)
class Term:
    """A resolved operand: normalised value, text, place and sign."""

    value: Decimal
    text: str
    place: str
    sign: int = 1


def operand(plan: PlanInput, spec: Operand) -> Term:
    """An operand is a figure key, {"key", "sign"} or {"const", "label"}."""
    if isinstance(spec, str):
        spec = {"key": spec}
    sign = int(spec.get("sign", 1))
    if "const" in spec:
        value = Decimal(str(spec["const"]))
        return Term(value, str(spec.get("label", plain(value))), "", sign)
    figure = plan.figures[spec["key"]]
    return Term(figure.value, figure.text, figure.ref, sign)


def sum_finding(label: str, total: Figure, terms: list[Term], note: str = "") -> Finding:
    computed = sum((t.value * t.sign for t in terms), Decimal(0))
    text = ""
    for i, term in enumerate(terms):
        text += ("−" if term.sign < 0 else ("＋" if i else "")) + term.text
    text += f"＝{in_unit(computed, total.stated_unit)}"
    right = Side(computed, text, places(t.place for t in terms))
    diff = total.value - computed
    return Finding(
        Kind.SUM,
        status_of(diff, tolerance(total)),
        label,
        side(total),
        right,
        diff,
        in_unit(diff, total.stated_unit),
        note,
    )


def repeated_finding(label: str, first: Figure, other: Figure, note: str = "") -> Finding:
    diff = first.value - other.value
    status = status_of(diff, max(tolerance(first), tolerance(other)))
    if first.unit != other.unit:
        status, note = Status.MISMATCH, note or f"单位不同：{first.stated_unit}／{other.stated_unit}"
    return Finding(
        Kind.REPEATED,
        status,
        label,
        side(first),
        side(other),
        diff,
        in_unit(diff, first.stated_unit),
        note,
    )


def _canonical(item: str) -> str:
    """List items may be written "as the plan words it=common name" (危房清零=危房改造)."""
    return item.split("=", 1)[-1]


def _written(item: str) -> str:
    return item.split("=", 1)[0]


def list_finding(label: str, first: Figure, other: Figure) -> Finding:
    first_names = {_canonical(item) for item in first.items}
    other_names = {_canonical(item) for item in other.items}
    only_first = [_written(item) for item in first.items if _canonical(item) not in other_names]
    only_other = [_written(item) for item in other.items if _canonical(item) not in first_names]
    note = ""
    if only_first or only_other:
        first_text = "、".join(only_first) or "无"
        other_text = "、".join(only_other) or "无"
        note = f"仅见于{first.ref}：{first_text}；仅见于{other.ref}：{other_text}"
    diff = Decimal(len(only_first) + len(only_other))
    return Finding(
        Kind.LIST,
        Status.OK if diff == 0 else Status.MISMATCH,
        f"{label}（名单）",
        Side(Decimal(len(first.items)), "、".join(map(_written, first.items)), first.ref, first.quote),
        Side(Decimal(len(other.items)), "、".join(map(_written, other.items)), other.ref, other.quote),
        diff,
        f"{plain(diff)}项不同",
        note,
    )
