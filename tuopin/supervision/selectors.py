"""Reads of the problem ledger, scoped to the user's area, and the reverse notification (逆向通报)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.accounts.permissions import may
from tuopin.assistance.models import Unit
from tuopin.assistance.selectors import units_missing_report
from tuopin.regions.models import Level, Region
from tuopin.supervision.models import OPEN_STATUSES, Problem, ProblemQuerySet, ProblemStatus


def problems_for(user: User) -> ProblemQuerySet:
    """The problems the user may see: county-wide roles all of them, township and village users those in
    their area, others none."""
    if not may(user, "supervision.view_problems"):
        return Problem.objects.none()
    scope = scope_for(user)
    qs = Problem.objects.select_related(
        "inspection", "responsible_unit", "sub_command", "region", "household"
    )
    if scope.region_path is None:
        return qs.none()
    county_wide = Region.objects.filter(path=scope.region_path, level=Level.COUNTY).exists()
    if scope.everything or not scope.region_path or county_wide:
        return qs  # county-wide users also see the problems found on county bodies (no region)
    return qs.filter(region__path__startswith=scope.region_path)


def problem_get(*, user: User, pk: int) -> Problem:
    problem = problems_for(user).filter(pk=pk).first()
    if problem is None:
        raise Http404("没有找到该问题，或不在您的辖区内")
    return problem


#: the ledger's status filter for every problem not yet cleared (挂账, 整改中, 申请销号)
STILL_OPEN = "still_open"


@dataclass(frozen=True)
class ProblemFilters:
    status: str = ""
    overdue: bool = False
    unit_id: int | None = None
    region_id: int | None = None  # problems found in this region's subtree (the dashboards' drill-down)


def problem_units(*, user: User) -> QuerySet[Unit]:
    """The responsible units of the problems the user may see (the ledger's unit filter)."""
    return Unit.objects.filter(pk__in=problems_for(user).values("responsible_unit_id")).order_by("name")


def problem_list(
    *, user: User, filters: ProblemFilters, today: datetime.date | None = None
) -> ProblemQuerySet:
    today = today or timezone.localdate()
    qs = problems_for(user)
    if filters.status == STILL_OPEN:
        qs = qs.still_open()
    elif filters.status in ProblemStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.overdue(today)
    if filters.unit_id:
        qs = qs.filter(responsible_unit_id=filters.unit_id)
    if filters.region_id:
        region = Region.objects.filter(pk=filters.region_id).first()
        qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    return qs


def problem_moves(*, problem: Problem):
    return problem.moves.select_related("by")


def reverse_notification(*, user: User, month: datetime.date, today: datetime.date | None = None) -> dict:
    """The 逆向通报: open and overdue problems by responsible unit and by 分指挥部 (problems only, no praise),
    per-unit counts of problems found and cleared, and the pairing units that did not send ``month``'s
    material."""
    today = today or timezone.localdate()
    problems = problems_for(user)
    open_problems = problems.filter(status__in=OPEN_STATUSES).order_by("responsible_unit__name", "deadline")
    by_unit: dict[str, list[Problem]] = {}
    for problem in open_problems:
        by_unit.setdefault(problem.responsible_unit.name, []).append(problem)
    by_sub_command: dict[str, list[Problem]] = {}
    for problem in open_problems.filter(sub_command__isnull=False).order_by("sub_command__order", "deadline"):
        by_sub_command.setdefault(str(problem.sub_command), []).append(problem)
    stats = (
        problems.values("responsible_unit__name")
        .annotate(
            found=Count("pk"),
            cleared=Count("pk", filter=Q(status=ProblemStatus.CLEARED)),
            still_open=Count("pk", filter=~Q(status=ProblemStatus.CLEARED)),
            overdue=Count("pk", filter=~Q(status=ProblemStatus.CLEARED) & Q(deadline__lt=today)),
        )
        .order_by("-still_open", "responsible_unit__name")
    )
    return {
        "today": today,
        "month": month.replace(day=1),
        "by_unit": by_unit,
        "by_sub_command": by_sub_command,
        "overdue": list(open_problems.filter(deadline__lt=today)),
        "unit_stats": list(stats),
        "units_missing_report": list(units_missing_report(month=month)),
    }
