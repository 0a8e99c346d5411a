"""Business checks of a household or person before it is written. Each check names the field it is about.

Used by the registry services (pages) and by the importer, so one rule has one home.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tuopin.registry import codes
from tuopin.registry.identity import EMPTY_MESSAGE, IdNumberError, check_id_number, normalise_id_number
from tuopin.registry.models import CodeList, PovertyStatus, Sex

PERSON_CODED = {
    "relation": CodeList.RELATION,
    "ethnicity": CodeList.ETHNICITY,
    "education": CodeList.EDUCATION,
    "schooling": CodeList.SCHOOLING,
    "disability_category": CodeList.DISABILITY,
    "labor_skill": CodeList.LABOR_SKILL,
    "work_status": CodeList.WORK_STATUS,
    "id_type": CodeList.ID_TYPE,
}
HOUSEHOLD_CODED = {
    "attribute": CodeList.ATTRIBUTE,
    "main_cause": CodeList.CAUSE,
    "other_cause_1": CodeList.CAUSE,
    "other_cause_2": CodeList.CAUSE,
    "identification_standard": CodeList.IDENTIFICATION_STANDARD,
    "house_grade": CodeList.HOUSE_GRADE,
    "house_structure": CodeList.HOUSE_STRUCTURE,
    "water_source": CodeList.WATER_SOURCE,
    "fuel": CodeList.FUEL,
    "road": CodeList.ROAD,
    "relocation_mode": CodeList.RELOCATION_MODE,
}
MAX_WORK_MONTHS = 12


class IdType:
    """Codes of the 证件类型 code list that the ID rules treat specially."""

    RESIDENT_ID = "resident_id"
    DISABILITY_CERT = "disability_cert"


MONEY_FIELDS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
    "schooling_expense",
    "medical_self_paid",
    "relocation_self_funding",
    "relocation_debt",
)


class Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def _check_codes(data: Mapping[str, Any], coded: Mapping[str, str], year: int | None, errors: Errors) -> None:
    for field, list_name in coded.items():
        value = data.get(field) or ""
        if value and not codes.is_valid(list_name, value, year):
            errors.add(field, f"“{value}”不是{CodeList(list_name).label}代码表中{year or ''}年度有效的值")


def _check_id(values: dict[str, Any], errors: Errors) -> None:
    """The ID number through ``registry.identity`` (the one home); birth date and sex follow from it."""
    id_type = values.get("id_type") or IdType.RESIDENT_ID
    values["id_type"] = id_type
    number = normalise_id_number(values.get("id_number"))
    if not number:
        values["id_number"] = None
        if id_type == IdType.RESIDENT_ID:
            errors.add("id_number", EMPTY_MESSAGE)
        if not values.get("sex"):
            errors.add("sex", "性别不能为空")
        return
    values["id_number"] = number  # as normalised, even when refused (repeats across rows are found on it)
    id_part = number[:18] if id_type == IdType.DISABILITY_CERT and len(number) == 20 else number
    try:
        info = check_id_number(id_part)
    except IdNumberError as exc:
        errors.add("id_number", str(exc))
        return
    values["id_number"] = number if id_type == IdType.DISABILITY_CERT else info.number
    birth_date = values.get("birth_date")
    if birth_date and birth_date != info.birth_date:
        errors.add(
            "birth_date",
            f"出生日期{birth_date:%Y-%m-%d}与证件号码中的出生日期{info.birth_date:%Y-%m-%d}不一致",
        )
    values["birth_date"] = info.birth_date
    sex = values.get("sex")
    if sex and sex != info.sex:
        errors.add("sex", f"性别“{Sex(sex).label}”与证件号码（{Sex(info.sex).label}）不一致")
    values["sex"] = info.sex


def _blank(values: Mapping[str, Any], field: str) -> bool:
    value = values.get(field)
    return not (value.strip() if isinstance(value, str) else value)


_ILLNESS_FLAGS = ("has_chronic_disease", "has_serious_disease", "is_disabled")


def _check_person_rules(values: Mapping[str, Any], errors: Errors) -> None:
    """The rules between a person's fields: education or schooling, health, disability, work."""
    if bool(values.get("education")) == bool(values.get("schooling")):
        errors.add("schooling", "文化程度与在校生状况须填写且只填写其中一项")
    ill = any(values.get(f) for f in _ILLNESS_FLAGS)
    if values.get("is_healthy") and ill:
        errors.add("is_healthy", "健康状况不能同时选“健康”和疾病或残疾")
    elif not values.get("is_healthy") and not ill:
        errors.add("is_healthy", "请选择健康状况（健康、长期慢性病、患有大病、残疾，可多选）")
    if values.get("disability_category") and not values.get("is_disabled"):
        errors.add("disability_category", "填写了残疾类别，健康状况应包含“残疾”")
    months = values.get("work_months")
    if months is not None and not 0 <= months <= MAX_WORK_MONTHS:
        errors.add("work_months", "务工时间应在0到12个月之间")
    if bool((values.get("work_location") or "").strip()) != bool(months):
        errors.add("work_location", "务工所在地与务工时间（月）应同时填写")


def person_errors(data: Mapping[str, Any], *, year: int | None = None) -> tuple[dict[str, Any], Errors]:
    """Check one person's fields; returns the values to store (ID number normalised, birth date and sex
    derived from it)."""
    errors = Errors()
    values = dict(data)
    if _blank(values, "name"):
        errors.add("name", "姓名不能为空")
    _check_id(values, errors)
    if _blank(values, "relation"):
        errors.add("relation", "与户主关系不能为空")
    _check_codes(values, PERSON_CODED, year, errors)
    _check_person_rules(values, errors)
    return values, errors


#: (field, message) required of a registered household (any status but 卡外农户)
REGISTERED_REQUIRED = (
    ("main_cause", "建档立卡户必须填写主要致贫原因"),
    ("attribute", "建档立卡户必须填写贫困户属性"),
    ("identification_year", "建档立卡户必须填写识别年度"),
)
RELOCATION_FIELDS = ("relocation_mode", "relocation_site", "relocation_year")
YEAR_FIELDS = ("identification_year", "exit_year", "planned_exit_year", "relocation_year", "data_year")
FIRST_DATA_YEAR = 2010
YEARS_AHEAD = 5


def _check_place(data: Mapping[str, Any], errors: Errors) -> None:
    if _blank(data, "household_no"):
        errors.add("household_no", "户编号不能为空")
    village, group = data.get("village"), data.get("group")
    if village is None:
        errors.add("village", "请选择行政村")
    elif group is not None and group.parent_id != village.pk:
        errors.add("group", f"“{group.name}”不属于“{village.name}”")


def _check_status(data: Mapping[str, Any], errors: Errors) -> None:
    status = data.get("status")
    if not status:
        errors.add("status", "脱贫状态不能为空")
    elif status != PovertyStatus.UNREGISTERED:
        for field, message in REGISTERED_REQUIRED:
            if not data.get(field):
                errors.add(field, message)
    exit_year = data.get("exit_year")
    if status == PovertyStatus.EXITED and not exit_year:
        errors.add("exit_year", "已脱贫户必须填写脱贫年度")
    if status in (PovertyStatus.POOR, PovertyStatus.UNREGISTERED) and exit_year:
        errors.add("exit_year", f"“{PovertyStatus(status).label}”的农户不应填写脱贫年度")
    ident = data.get("identification_year")
    if ident and exit_year and exit_year < ident:
        errors.add("exit_year", f"脱贫年度{exit_year}早于识别年度{ident}")


def _check_causes(data: Mapping[str, Any], errors: Errors) -> None:
    others = [data.get("other_cause_1"), data.get("other_cause_2")]
    for field, other in zip(("other_cause_1", "other_cause_2"), others, strict=True):
        if other and other == data.get("main_cause"):
            errors.add(field, "其他致贫原因不能与主要致贫原因相同")
    if others[0] and others[0] == others[1]:
        errors.add("other_cause_2", "两项其他致贫原因不能相同")


def _check_figures(data: Mapping[str, Any], errors: Errors) -> None:
    for field in MONEY_FIELDS:
        value = data.get(field)
        if value is not None and value < Decimal(0):
            errors.add(field, "金额不能为负数")
    if not data.get("is_relocated"):
        for field in RELOCATION_FIELDS:
            if data.get(field):
                errors.add(field, "非易地扶贫搬迁户不应填写搬迁信息")
    this_year = datetime.date.today().year  # noqa: DTZ011
    for field in YEAR_FIELDS:
        value = data.get(field)
        if value is not None and not FIRST_DATA_YEAR <= value <= this_year + YEARS_AHEAD:
            errors.add(field, f"年度{value}不在合理范围内")


def household_errors(data: Mapping[str, Any]) -> Errors:
    errors = Errors()
    _check_place(data, errors)
    _check_status(data, errors)
    _check_codes(data, HOUSEHOLD_CODED, data.get("data_year"), errors)
    _check_causes(data, errors)
    _check_figures(data, errors)
    return errors
