"""Audit of a plan's own figures: stated totals against their items, products against their factors, and
quantities the plan states in more than one place against each other.

Free of Django: it takes a ``PlanInput`` (built from the database by ``selectors.plan_input`` or from a
hand-made plan in tests) and returns ``Finding`` rows. Money is compared in yuan; a difference smaller than
half a unit of the last digit the plan wrote (1993 vs 1993.1) is reported as ``rounding``, not ``mismatch``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

MONEY_FACTORS = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "元": Decimal(1)}


def normalize(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Money stated in 万元/亿元 (also per unit, 万元/户) becomes yuan; other units stay as stated."""
    for prefix, factor in MONEY_FACTORS.items():
        if unit.startswith(prefix):
            return value * factor, "元" + unit[len(prefix) :]
    return value, unit


def denormalize(value: Decimal, stated_unit: str) -> Decimal:
    for prefix, factor in MONEY_FACTORS.items():
        if stated_unit.startswith(prefix):
            return value / factor
    return value


def plain(value: Decimal) -> str:
    """A number the way the plan writes it: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class Kind(StrEnum):
    SUM = "sum"
    PRODUCT = "product"
    RATIO = "ratio"
    REPEATED = "repeated"
    LIST = "list"
    BOUND = "bound"
    OVERLAP = "overlap"


class Status(StrEnum):
    OK = "ok"
    ROUNDING = "rounding"
    MISMATCH = "mismatch"
    WARNING = "warning"


KIND_LABELS = {
    Kind.SUM: "合计",
    Kind.PRODUCT: "乘积",
    Kind.RATIO: "比值",
    Kind.REPEATED: "重复出现的数字",
    Kind.LIST: "重复出现的名单",
    Kind.BOUND: "大小关系",
    Kind.OVERLAP: "重复计列",
}
STATUS_LABELS = {
    Status.OK: "一致",
    Status.ROUNDING: "尾数取舍",
    Status.MISMATCH: "不一致",
    Status.WARNING: "提示",
}


@dataclass(frozen=True)
class Figure:
    """A number the plan states. ``value``/``unit`` are normalised (yuan); ``stated_*`` as written."""

    key: str
    ref: str
    quote: str
    stated_value: Decimal
    stated_unit: str
    measure: str = ""
    parts: dict[str, list[str]] = field(default_factory=dict)
    items: tuple[str, ...] = ()
    approx: bool = False
    programme_total: str = ""
    grand_total: bool = False

    @property
    def value(self) -> Decimal:
        return normalize(self.stated_value, self.stated_unit)[0]

    @property
    def unit(self) -> str:
        return normalize(self.stated_value, self.stated_unit)[1]

    @property
    def text(self) -> str:
        return f"{plain(self.stated_value)}{self.stated_unit}"


@dataclass(frozen=True)
class Project:
    key: str
    programme: str
    name: str
    ref: str
    investment: Decimal  # yuan
    quantity: Decimal | None = None
    unit: str = ""
    unit_cost: Decimal | None = None  # yuan per unit
    unit_cost_unit: str = ""  # as stated, e.g. 万元/户
    same_as: str = ""


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    ref: str


@dataclass
class PlanInput:
    programmes: list[Programme]
    projects: list[Project]
    figures: dict[str, Figure]
    checks: list[dict]


@dataclass(frozen=True)
class Side:
    value: Decimal  # normalised
    text: str  # as a reader would write it, e.g. "3189.9万元" or "1519户×2.1万元/户"
    place: str  # where in the plan, e.g. "三(三)1"
    quote: str = ""

    def as_dict(self) -> dict:
        return {"value": plain(self.value), "text": self.text, "place": self.place, "quote": self.quote}


@dataclass(frozen=True)
class Finding:
    kind: Kind
    status: Status
    label: str
    left: Side
    right: Side
    difference: Decimal
    difference_text: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "kind": str(self.kind),
            "status": str(self.status),
            "label": self.label,
            "left": self.left.as_dict(),
            "right": self.right.as_dict(),
            "difference": plain(self.difference),
            "difference_text": self.difference_text,
            "note": self.note,
        }


def _tolerance(figure: Figure) -> Decimal:
    """Half a unit of the last digit written, in normalised units."""
    exponent = figure.stated_value.normalize().as_tuple().exponent
    step = Decimal(1).scaleb(min(int(exponent), 0))
    half = step / 2
    return normalize(half, figure.stated_unit)[0]


def _status(diff: Decimal, tolerance: Decimal) -> Status:
    if diff == 0:
        return Status.OK
    if abs(diff) <= tolerance:
        return Status.ROUNDING
    return Status.MISMATCH


def _in_unit(value: Decimal, stated_unit: str) -> str:
    return f"{plain(denormalize(value, stated_unit))}{stated_unit}"


def _side(figure: Figure) -> Side:
    return Side(figure.value, figure.text, figure.ref, figure.quote)


class _Resolver:
    def __init__(self, plan: PlanInput):
        self.plan = plan

    def operand(self, spec) -> tuple[Decimal, str, str, int]:
        """(normalised value, text, place, sign) of a check operand.

        An operand is a figure key, {"key", "sign"} or {"const", "label"}."""
        if isinstance(spec, str):
            spec = {"key": spec}
        sign = int(spec.get("sign", 1))
        if "const" in spec:
            value = Decimal(spec["const"])
            return value, spec.get("label", plain(value)), "", sign
        figure = self.plan.figures[spec["key"]]
        return figure.value, figure.text, figure.ref, sign


def _places(places: Iterable[str]) -> str:
    seen: list[str] = []
    for place in places:
        if place and place not in seen:
            seen.append(place)
    return "、".join(seen)


def _sum_finding(
    label: str, total: Figure, operands: list[tuple[Decimal, str, str, int]], note: str = ""
) -> Finding:
    computed = sum((value * sign for value, _, _, sign in operands), Decimal(0))
    text = ""
    for i, (_, item_text, _, sign) in enumerate(operands):
        text += ("−" if sign < 0 else ("＋" if i else "")) + item_text
    text += f"＝{_in_unit(computed, total.stated_unit)}"
    right = Side(computed, text, _places(place for _, _, place, _ in operands))
    diff = total.value - computed
    return Finding(
        Kind.SUM,
        _status(diff, _tolerance(total)),
        label,
        _side(total),
        right,
        diff,
        _in_unit(diff, total.stated_unit),
        note,
    )


def audit(plan: PlanInput) -> list[Finding]:
    """Every check the plan allows, in the order: stated parts, programme totals, grand total, project
    products, overlaps, explicit checks, repeated figures and lists."""
    findings: list[Finding] = []
    resolve = _Resolver(plan)
    figures = plan.figures

    # 1. totals stated together with their parts ("325人（其中：嵩阳街道120人…）")
    for figure in figures.values():
        for group, keys in figure.parts.items():
            operands = [resolve.operand(key) for key in keys]
            findings.append(_sum_finding(f"{figure.key}：{group}", figure, operands))

    # 2. each programme's declared total against the sum of its projects
    by_programme: dict[str, list[Project]] = {}
    for project in plan.projects:
        by_programme.setdefault(project.programme, []).append(project)
    declared = _declared_totals(figures)
    names = {p.code: p.name for p in plan.programmes}
    for code, total in declared.items():
        projects = by_programme.get(code, [])
        computed = sum((p.investment for p in projects), Decimal(0))
        right = Side(
            computed,
            f"{len(projects)}个项目合计{_in_unit(computed, total.stated_unit)}",
            _places(p.ref for p in projects)
            if len(projects) <= 3
            else f"{projects[0].ref}–{projects[-1].ref}",
        )
        diff = total.value - computed
        findings.append(
            Finding(
                Kind.SUM,
                _status(diff, _tolerance(total)),
                f"{names.get(code, code)}：规划所列总额与项目逐项合计",
                _side(total),
                right,
                diff,
                _in_unit(diff, total.stated_unit),
            )
        )

    # 3. the grand total against all projects of the programmes that have a declared total
    for grand in (f for f in figures.values() if f.grand_total):
        projects = [p for p in plan.projects if p.programme in declared]
        computed = sum((p.investment for p in projects), Decimal(0))
        right = Side(
            computed, f"{len(projects)}个项目合计{_in_unit(computed, grand.stated_unit)}", "三(一)–三(九)"
        )
        diff = grand.value - computed
        findings.append(
            Finding(
                Kind.SUM,
                _status(diff, _tolerance(grand)),
                "投资规模合计：规划所列总额与项目逐项合计",
                _side(grand),
                right,
                diff,
                _in_unit(diff, grand.stated_unit),
            )
        )

    # 4. quantity × unit cost = investment, where a project states all three
    for project in plan.projects:
        if project.quantity is None or project.unit_cost is None:
            continue
        computed = project.quantity * project.unit_cost
        cost_unit = project.unit_cost_unit or "元"
        diff = project.investment - computed
        stated = Side(
            project.investment, f"{plain(project.investment / 10_000)}万元", project.ref, project.name
        )
        cost_text = plain(denormalize(project.unit_cost, cost_unit))
        right = Side(
            computed,
            f"{plain(project.quantity)}{project.unit}×{cost_text}{cost_unit}＝{plain(computed / 10_000)}万元",
            project.ref,
        )
        findings.append(
            Finding(
                Kind.PRODUCT,
                _status(diff, Decimal(50)),
                f"{project.name}：数量×单价＝投资",
                stated,
                right,
                diff,
                f"{plain(diff / 10_000)}万元",
            )
        )

    # 5. one work listed under two programmes is counted twice in the grand total
    projects_by_key = {p.key: p for p in plan.projects}
    for project in plan.projects:
        other = projects_by_key.get(project.same_as)
        if other is None:
            continue
        diff = project.investment - other.investment
        findings.append(
            Finding(
                Kind.OVERLAP,
                Status.WARNING if diff == 0 else Status.MISMATCH,
                f"同一工程在“{names.get(project.programme, project.programme)}”和"
                f"“{names.get(other.programme, other.programme)}”中重复计列",
                Side(
                    project.investment, f"{plain(project.investment / 10_000)}万元", project.ref, project.name
                ),
                Side(other.investment, f"{plain(other.investment / 10_000)}万元", other.ref, other.name),
                diff,
                f"{plain(diff / 10_000)}万元",
                note=f"两处都计入投资规模合计，合计中重复计算{plain(other.investment / 10_000)}万元",
            )
        )

    # 6. checks the plan's data file spells out
    for check in plan.checks:
        findings.extend(_explicit(check, plan, resolve))

    # 7. the same quantity stated in several places
    groups: dict[str, list[Figure]] = {}
    for figure in figures.values():
        if figure.measure:
            groups.setdefault(figure.measure, []).append(figure)
    for measure, members in groups.items():
        if len(members) < 2:
            continue
        first = members[0]
        for other in members[1:]:
            findings.append(_repeated(measure, first, other))
            if first.items and other.items:
                findings.append(_list_finding(measure, first, other))
    return findings


def _declared_totals(figures: dict[str, Figure]) -> dict[str, Figure]:
    """One declared total per programme, preferring the 投资规模 section (四) over the task section (三)."""
    declared: dict[str, Figure] = {}
    for figure in figures.values():
        if not figure.programme_total:
            continue
        current = declared.get(figure.programme_total)
        if current is None or (figure.ref.startswith("四") and not current.ref.startswith("四")):
            declared[figure.programme_total] = figure
    return declared


def _repeated(label: str, first: Figure, other: Figure, note: str = "") -> Finding:
    diff = first.value - other.value
    tolerance = max(_tolerance(first), _tolerance(other))
    status = _status(diff, tolerance)
    if first.unit != other.unit:
        status, note = Status.MISMATCH, note or f"单位不同：{first.stated_unit}／{other.stated_unit}"
    return Finding(
        Kind.REPEATED,
        status,
        label,
        _side(first),
        _side(other),
        diff,
        _in_unit(diff, first.stated_unit),
        note,
    )


def _canonical(item: str) -> str:
    """List items may be written "as the plan words it=common name" (危房清零=危房改造)."""
    return item.split("=", 1)[-1]


def _written(item: str) -> str:
    return item.split("=", 1)[0]


def _list_finding(label: str, first: Figure, other: Figure) -> Finding:
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


def _explicit(check: dict, plan: PlanInput, resolve: _Resolver) -> list[Finding]:
    kind = check["kind"]
    label = check.get("label", "")
    figures = plan.figures
    if kind == "sum":
        total = figures[check["total"]]
        return [
            _sum_finding(
                label, total, [resolve.operand(item) for item in check["items"]], check.get("note", "")
            )
        ]
    if kind == "product":
        result = figures[check["result"]]
        operands = [resolve.operand(item) for item in check["factors"]]
        computed = Decimal(1)
        for value, _, _, _ in operands:
            computed *= value
        text = (
            "×".join(item_text for _, item_text, _, _ in operands)
            + f"＝{_in_unit(computed, result.stated_unit)}"
        )
        diff = result.value - computed
        return [
            Finding(
                Kind.PRODUCT,
                _status(diff, _tolerance(result)),
                label,
                _side(result),
                Side(computed, text, _places(place for _, _, place, _ in operands)),
                diff,
                _in_unit(diff, result.stated_unit),
                check.get("note", ""),
            )
        ]
    if kind == "ratio":
        result = figures[check["result"]]
        num, num_text, num_place, _ = resolve.operand(check["numerator"])
        den, den_text, den_place, _ = resolve.operand(check["denominator"])
        computed = (num / den).quantize(Decimal("0.0001"))
        suffix = "" if result.unit.startswith("元") else result.stated_unit
        diff = result.value - computed
        exponent = min(int(result.stated_value.normalize().as_tuple().exponent), 0)
        one_step = normalize(Decimal(1).scaleb(exponent), result.stated_unit)[0]
        status = (
            Status.OK
            if abs(diff) <= one_step / 2
            else (Status.ROUNDING if abs(diff) < one_step else Status.MISMATCH)
        )
        return [
            Finding(
                Kind.RATIO,
                status,
                label,
                _side(result),
                Side(
                    computed,
                    f"{num_text}÷{den_text}＝{plain(computed)}{suffix}",
                    _places([num_place, den_place]),
                ),
                diff,
                plain(diff),
                check.get("note", ""),
            )
        ]
    if kind == "bound":
        smaller, larger = figures[check["smaller"]], figures[check["larger"]]
        diff = smaller.value - larger.value
        return [
            Finding(
                Kind.BOUND,
                Status.OK if diff <= 0 else Status.MISMATCH,
                label,
                _side(smaller),
                _side(larger),
                diff,
                _in_unit(diff, smaller.stated_unit),
                check.get("note", ""),
            )
        ]
    if kind == "repeated":
        keys = check["figures"]
        first = figures[keys[0]]
        return [_repeated(label, first, figures[key], check.get("note", "")) for key in keys[1:]]
    raise ValueError(f"未知的核对类型：{kind}")


def summary_counts(findings: list[Finding]) -> dict[str, int]:
    counts = {str(status): 0 for status in Status}
    for finding in findings:
        counts[str(finding.status)] += 1
    return counts
