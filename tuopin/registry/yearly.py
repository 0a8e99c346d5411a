"""Yearly figures (the annual 信息采集): writing one household's figures for a data year, loading a year's file,
and reading a household's years side by side. ``Household`` keeps the current registration; the monitoring
triggers read these records (a year beside the previous one)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.errors import ApplicationError
from tuopin.registry.models import Household, HouseholdYear, Person, PersonYear
from tuopin.registry.models_years import link_previous_years

MONEY_FIELDS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
    "schooling_expense",
    "medical_self_paid",
)
FLAG_FIELDS = ("has_food_security", "has_clothing_security", "has_safe_drinking_water")
HOUSE_GRADES = ("", "A", "B", "C", "D")
PERSON_FLAGS = ("has_serious_disease", "is_disabled", "is_deceased", "is_dibao", "is_tekun")
PERSON_CODES = ("schooling", "labor_skill", "work_status")
MAX_FILE_BYTES = 20 * 1024 * 1024
TRUE_TEXT = {"1", "true", "是", "y", "yes"}
FALSE_TEXT = {"0", "false", "否", "n", "no"}


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _money(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ApplicationError(f"“{_label(HouseholdYear, name)}”不是数字", field=name) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ApplicationError(f"“{_label(HouseholdYear, name)}”应为不小于0的金额", field=name)
    return amount.quantize(Decimal("0.01"))


def _flag(value: Any, name: str, model=HouseholdYear) -> bool | None:
    if value is None or value == "" or isinstance(value, bool):
        return value if isinstance(value, bool) else None
    text = str(value).strip().lower()
    if text in TRUE_TEXT:
        return True
    if text in FALSE_TEXT:
        return False
    raise ApplicationError(f"“{_label(model, name)}”应填“是”或“否”", field=name)


def check_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ApplicationError("数据年度应为四位数字", field="year") from None
    if not 2014 <= value <= 2100:
        raise ApplicationError("数据年度应在2014—2100之间", field="year")
    return value


def _household_values(figures: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: _money(figures.get(name), name) for name in MONEY_FIELDS}
    values.update({name: _flag(figures.get(name), name) for name in FLAG_FIELDS})
    grade = str(figures.get("house_grade") or "").strip().upper()
    if grade not in HOUSE_GRADES:
        raise ApplicationError("“危房等级”应为 A、B、C、D 或空", field="house_grade")
    values["house_grade"] = grade
    values["had_disaster"] = bool(_flag(figures.get("had_disaster"), "had_disaster"))
    note = str(figures.get("disaster_note") or "").strip()
    if len(note) > 200:
        raise ApplicationError("“灾害或事故情况”不能超过200字", field="disaster_note")
    values["disaster_note"] = note
    return values


def _person_values(facts: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: bool(_flag(facts.get(name), name, PersonYear)) for name in PERSON_FLAGS}
    for name in PERSON_CODES:
        code = str(facts.get(name) or "").strip()
        if len(code) > 32:
            raise ApplicationError(f"“{_label(PersonYear, name)}”代码过长", field=name)
        values[name] = code
    months = facts.get("unemployed_months")
    if months in (None, ""):
        values["unemployed_months"] = None
    else:
        try:
            values["unemployed_months"] = int(months)
        except (TypeError, ValueError):
            raise ApplicationError(
                "“失业或无工可务（月）”应为0—12的整数", field="unemployed_months"
            ) from None
        if not 0 <= values["unemployed_months"] <= 12:
            raise ApplicationError("“失业或无工可务（月）”应为0—12的整数", field="unemployed_months")
    return values


@transaction.atomic
def household_year_record(
    *,
    household: Household,
    year: int,
    figures: dict[str, Any],
    members: dict[int, dict[str, Any]] | None = None,
    by: User,
    is_demo: bool = False,
) -> HouseholdYear:
    """Create or replace one household's figures for ``year`` (and its members' facts, keyed by person id).
    Every value is checked before anything is written."""
    require(by, "registry.edit_household", household)
    year = check_year(year)
    values = _household_values(figures)
    people = {p.pk: p for p in Person.objects.filter(household=household)}
    member_values = {}
    for person_id, facts in (members or {}).items():
        if int(person_id) not in people:
            raise ApplicationError(f"成员 {person_id} 不属于该户", field="members")
        member_values[int(person_id)] = _person_values(facts)
    record, _ = HouseholdYear.objects.update_or_create(
        household=household, year=year, defaults={**values, "is_demo": is_demo, "recorded_by": by}
    )
    for person_id, facts in member_values.items():
        PersonYear.objects.update_or_create(
            person_id=person_id,
            year=year,
            defaults={**facts, "household": household, "birth_date": people[person_id].birth_date},
        )
    link_previous_years(member_values)
    return record


def yearly_load(*, path: Path, year: int, by: User) -> int:
    """Load a year's figures from a UTF-8 CSV (a ``household_no`` column plus any of the household fields);
    all rows are checked first, nothing is written when one is wrong. Returns the households written."""
    year = check_year(year)
    if not path.is_file():
        raise ApplicationError(f"找不到文件 {path}", field="file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ApplicationError("文件超过20 MB", field="file")
    try:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    except UnicodeDecodeError:
        raise ApplicationError("文件不是 UTF-8 编码的 CSV", field="file") from None
    if not rows or "household_no" not in rows[0]:
        raise ApplicationError("文件缺少 household_no（户编号）列", field="file")
    households = Household.objects.in_bulk([row["household_no"] for row in rows], field_name="household_no")
    for number, row in enumerate(rows, start=2):
        if row["household_no"] not in households:
            raise ApplicationError(f"第{number}行：户编号 {row['household_no']} 不存在", field="household_no")
        try:
            _household_values(row)
        except ApplicationError as error:
            raise ApplicationError(f"第{number}行：{error.message}", field=error.field) from None
    with transaction.atomic():
        for row in rows:
            household_year_record(household=households[row["household_no"]], year=year, figures=row, by=by)
    return len(rows)


@dataclass(frozen=True)
class YearColumn:
    year: int
    record: HouseholdYear
    living_members: int
    per_capita: Decimal | None


def household_years(*, household: Household) -> list[YearColumn]:
    """The household's yearly figures, oldest first, with the per-capita net income of each year."""
    records = list(HouseholdYear.objects.filter(household=household).order_by("year"))
    counts: dict[int, int] = {}
    for year in PersonYear.objects.filter(household=household, is_deceased=False).values_list(
        "year", flat=True
    ):
        counts[year] = counts.get(year, 0) + 1
    result = []
    for record in records:
        living = counts.get(record.year, 0)
        net = record.net_income
        per_capita = (net / living).quantize(Decimal("0.01")) if net is not None and living else None
        result.append(YearColumn(record.year, record, living, per_capita))
    return result
