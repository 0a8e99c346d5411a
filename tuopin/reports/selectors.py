"""Aggregates for the overview pages. All start from the scoped registry selectors."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q

from tuopin.accounts.models import User
from tuopin.registry import codes
from tuopin.registry.models import (
    NOT_EXITED_STATUSES,
    REGISTERED_STATUSES,
    CodeList,
    Person,
    PovertyStatus,
)
from tuopin.registry.selectors import households_for, latest_data_year, registry_figures

# the status columns of the overview tables, in the order shown (value, label)
STATUS_COLUMNS = tuple(
    (status.value, status.label)
    for status in (PovertyStatus.EXITED, PovertyStatus.POOR, PovertyStatus.RELAPSED)
)


def overview(*, user: User) -> dict:
    households = households_for(user)
    plan_year = latest_data_year(households) or 0
    figures = registry_figures(households, plan_year=plan_year)
    registered = households.filter(status__in=REGISTERED_STATUSES)
    by_township_h: dict[str, Mapping[str, Any]] = {
        row["village__parent__name"]: row
        for row in registered.values("village__parent__name", "village__parent__code")
        .annotate(**{s: Count("pk", filter=Q(status=s)) for s, _label in STATUS_COLUMNS})
        .order_by("village__parent__code")
    }
    by_township_p: dict[str, Mapping[str, Any]] = {
        row["household__village__parent__name"]: row
        for row in Person.objects.filter(household__in=registered.values("pk"))
        .values("household__village__parent__name")
        .annotate(**{s: Count("pk", filter=Q(household__status=s)) for s, _label in STATUS_COLUMNS})
    }
    townships = []
    for name, h in by_township_h.items():
        p = by_township_p.get(name, {})
        townships.append(
            {
                "name": name,
                "households": [h[s] for s, _label in STATUS_COLUMNS],
                "people": [p.get(s, 0) for s, _label in STATUS_COLUMNS],
                "households_total": sum(int(h[s]) for s, _label in STATUS_COLUMNS),
                "people_total": sum(p.get(s, 0) for s, _label in STATUS_COLUMNS),
            }
        )
    causes = [
        (codes.label(CodeList.CAUSE, row["main_cause"]) or "（未填）", row["n"], row["not_exited"])
        for row in registered.values("main_cause")
        .annotate(n=Count("pk"), not_exited=Count("pk", filter=Q(status__in=NOT_EXITED_STATUSES)))
        .order_by("-n")
    ]
    return {"figures": figures, "townships": townships, "causes": causes, "status_columns": STATUS_COLUMNS}
