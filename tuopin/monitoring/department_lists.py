"""Department lists feed the department trigger: before a run, every record of the year's latest list of each
department that reports a risk (``engine.departments.list_risk``) becomes a ``DepartmentReport`` of the year on
its person's household; reports from lists that were replaced, or whose record no longer reports a risk, are
removed. Reports recorded directly (e.g. 应急管理) are left alone.

The lists belong to the imports app, which sits above monitoring (it may call monitoring, not the other way), so
they are read here through the app registry by name, read-only; nothing of the imports app is imported.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps

from tuopin.monitoring.engine.departments import DEPARTMENT_OF, list_risk
from tuopin.monitoring.models import DepartmentReport
from tuopin.registry.models import Person

UNMATCHED = ("unmatched", "invalid")


def _latest_lists(year: int) -> list[Any]:
    """The latest list of each department whose data date lies in ``year`` (by date, then upload order)."""
    if not apps.is_installed("tuopin.imports"):
        return []
    lists = apps.get_model("imports", "DepartmentList").objects.filter(as_of__year=year)
    latest: dict[str, Any] = {}
    for item in lists.order_by("department", "-as_of", "-id"):
        latest.setdefault(item.department, item)
    return list(latest.values())


def _wanted(year: int, params: dict[str, Any]) -> dict[int, tuple[int, str, str, datetime.date]]:
    """record id → (person id, department, reason, date) for every record of the year's lists with a risk."""
    line = params.get("monitoring_medical_self_paid")
    medical_line = Decimal(str(line)) if line is not None else None
    wanted: dict[int, tuple[int, str, str, datetime.date]] = {}
    for source in _latest_lists(year):
        if source.department not in DEPARTMENT_OF:
            continue
        records = source.records.exclude(person_id=None).exclude(status__in=UNMATCHED)
        for pk, person_id, values in records.values_list("pk", "person_id", "values"):
            reason = list_risk(source.department, values or {}, medical_line=medical_line)
            if reason:
                wanted[pk] = (person_id, DEPARTMENT_OF[source.department], reason, source.as_of)
    return wanted


def reports_from_lists(*, year: int, params: dict[str, Any]) -> dict[str, int]:
    """Bring the year's list-based department reports in line with the lists; returns counts added/removed."""
    wanted = _wanted(year, params)
    stored = DepartmentReport.objects.filter(year=year).exclude(source_record=None)
    removed, _ = stored.exclude(source_record__in=list(wanted)).delete()
    have = set(stored.values_list("source_record", flat=True))
    new = {pk: item for pk, item in wanted.items() if pk not in have}
    households = dict(
        Person.objects.filter(pk__in={item[0] for item in new.values()}).values_list("pk", "household_id")
    )
    DepartmentReport.objects.bulk_create(
        [
            DepartmentReport(
                household_id=households[person_id],
                year=year,
                department=department,
                reason=reason[:200],
                reported_on=as_of,
                source_record=pk,
            )
            for pk, (person_id, department, reason, as_of) in new.items()
            if person_id in households
        ],
        batch_size=2000,
    )
    return {"department_reports_added": len(new), "department_reports_removed": removed}
