"""What the audit reads and writes: the plan's figures, projects and programmes, and the findings, with the
unit conversion of the plan's money (万元/亿元 → yuan) and the way the plan writes a number."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

MONEY_FACTORS = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "元": Decimal(1)}
WAN = MONEY_FACTORS["万元"]

#: a check operand as the plan's data file writes it: a figure key, {"key", "sign"} or {"const", "label"}
Operand = str | dict[str, Any]
#: a check as the plan's data file writes it ({"kind": "sum", "total": …, "items": […]} …)
Check = dict[str, Any]


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


def as_wan(amount: Decimal) -> str:
    """Yuan written as the plan writes 万元: ``3189.9万元``."""
    return f"{plain(amount / WAN)}万元"


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
    checks: list[Check]


@dataclass(frozen=True)
class Side:
    value: Decimal  # normalised
    text: str  # as a reader would write it, e.g. "3189.9万元" or "1519户×2.1万元/户"
    place: str  # where in the plan, e.g. "三(三)1"
    quote: str = ""

    def as_dict(self) -> dict[str, str]:
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

    def as_dict(self) -> dict[str, Any]:
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


def summary_counts(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(str(finding.status) for finding in findings)
    return {str(status): counts.get(str(status), 0) for status in Status}
