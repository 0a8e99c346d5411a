"""Which records of an imported department list report a risk for the monitoring (部门筛查预警), and in what
words. Free of Django: a record arrives as the plain values the list's layout read (``imports.parsing``).

【监测】住建部门推送C、D级危房；医保部门推送未参保人员和合规自付费用高的人员；残联推送贫困残疾人家庭. The
emergency-management list (应急管理, disaster-hit households) has no import layout; it is recorded as a department
report directly. 民政 and 教育 lists confirm assistance and schooling; their changes reach the triggers through
the year's figures (loss of 低保/特困, a school-age child out of school).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

#: the monitoring department (``monitoring.models.Department``) of each imported list kind
DEPARTMENT_OF = {
    "dibao": "civil_affairs",
    "tekun": "civil_affairs",
    "disability": "disabled_federation",
    "housing": "housing",
    "medical": "medical_insurance",
    "education": "education",
}
UNSAFE_GRADES = ("C", "D")


def _amount(value: object) -> Decimal | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def list_risk(kind: str, values: Mapping[str, object], *, medical_line: Decimal | None) -> str | None:
    """The risk a record reports (a Chinese sentence), or None. ``medical_line``: the year's alert line for
    compliant out-of-pocket medical spending (``monitoring_medical_self_paid``); spending *above* it reports."""
    if kind == "housing" and values.get("house_grade") in UNSAFE_GRADES:
        return f"住建部门名单：住房鉴定为{values['house_grade']}级危房"
    if kind == "medical":
        if values.get("has_medical_insurance") is False:
            return "医保部门名单：未参加城乡居民基本医疗保险"
        paid = _amount(values.get("self_paid"))
        if paid is not None and medical_line is not None and paid > medical_line:
            return f"医保部门名单：个人自付医疗费用{paid:,.2f}元，超过预警线{medical_line:,.2f}元"
    if kind == "disability" and values.get("is_poor_family") is True:
        return "残联名单：贫困残疾人家庭"
    return None
