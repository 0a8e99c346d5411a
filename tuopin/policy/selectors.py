"""Reading standards: the value in force for a year and region, with where it came from."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tuopin.policy.models import ANNUAL_KEYS, UNITS, Standard, StandardKey
from tuopin.regions.models import Level, Region


@dataclass(frozen=True)
class ResolvedStandard:
    key: str
    label: str
    value: Decimal | None
    unit: str
    year: int | None  # the year of the row used
    region_name: str  # "省级默认" or the county's name
    source_document: str
    source_date: date | None
    note: str
    range_high: Decimal | None
    needs_confirmation: bool
    inherited: bool  # an annual standard taken from an earlier year than asked for

    @property
    def is_set(self) -> bool:
        return self.value is not None

    @property
    def warning(self) -> str:
        if self.value is None:
            return "未设置，相关判定结果为“数据缺失”"
        if self.inherited:
            return f"本年度未设置，沿用{self.year}年标准，须核实确认"
        if self.needs_confirmation:
            return "待核实"
        return ""

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "year": self.year,
            "region": self.region_name,
            "source_document": self.source_document,
            "source_date": self.source_date.isoformat() if self.source_date else None,
            "inherited": self.inherited,
            "needs_confirmation": self.needs_confirmation or self.inherited,
            "range_high": None if self.range_high is None else str(self.range_high),
        }


def _county_of(region: Region | None) -> Region | None:
    if region is None:
        return Region.objects.filter(level=Level.COUNTY).order_by("pk").first()
    return region.ancestor_at(1)


def standards_resolve(*, year: int, region: Region | None = None) -> dict[str, ResolvedStandard]:
    """Every key's value in force in ``year`` for the county of ``region``.

    Among rows with ``row.year <= year`` for the county or the provincial default, the latest year wins; on a
    tie the county row wins over the provincial default (county → province inheritance)."""
    county = _county_of(region)
    rows = Standard.objects.filter(year__lte=year).select_related("region")
    rows = (
        rows.filter(region__isnull=True) | rows.filter(region=county)
        if county
        else rows.filter(region__isnull=True)
    )
    best: dict[str, Standard] = {}
    for row in rows.order_by("key", "year"):
        current = best.get(row.key)
        if (
            current is None
            or row.year > current.year
            or (row.year == current.year and row.region_id is not None)
        ):
            best[row.key] = row
    result = {}
    for key in StandardKey:
        chosen = best.get(key.value)
        if chosen is None:
            result[key.value] = ResolvedStandard(
                key.value, str(key.label), None, UNITS[key], None, "", "", None, "", None, False, False
            )
            continue
        result[key.value] = ResolvedStandard(
            key=key.value,
            label=str(key.label),
            value=chosen.value,
            unit=UNITS[key],
            year=chosen.year,
            region_name=chosen.region.name if chosen.region else "省级默认",
            source_document=chosen.source_document,
            source_date=chosen.source_date,
            note=chosen.note,
            range_high=chosen.range_high,
            needs_confirmation=chosen.needs_confirmation,
            inherited=chosen.year < year and key in ANNUAL_KEYS,
        )
    return result


def standard_rows(*, key: str | None = None):
    qs = Standard.objects.select_related("region", "created_by").order_by("key", "year", "region_id")
    return qs.filter(key=key) if key else qs
