"""Reading monitoring cases and clues: everything starts from the jurisdiction-scoped households
(``registry.selectors.households_for``), so a village user sees only the village's cases."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.monitoring.models import (
    UNDECIDED_STAGES,
    Category,
    Clue,
    ClueSource,
    MonitoringCase,
    RiskType,
    Stage,
)
from tuopin.registry.selectors import households_for

SEVERITY_ORDER = Case(
    When(risk_level="high", then=Value(3)),
    When(risk_level="medium", then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)


def cases_for(user: User) -> QuerySet[MonitoringCase]:
    return MonitoringCase.objects.filter(household__in=households_for(user).values("pk"))


def clues_for(user: User) -> QuerySet[Clue]:
    return Clue.objects.filter(household__in=households_for(user).values("pk"))


def case_worklist(*, user: User, stage: str = "", overdue: bool = False, region_path: str = "") -> QuerySet:
    """Open cases, most severe first, then the most overdue (earliest due date) first."""
    qs = cases_for(user).filter(is_open=True).select_related("household", "village__parent")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if overdue:
        qs = qs.filter(stage__in=UNDECIDED_STAGES, due_on__lt=timezone.localdate())
    if region_path:
        qs = qs.filter(village__path__startswith=region_path)
    return qs.annotate(severity=SEVERITY_ORDER).order_by("-severity", "due_on", "pk")


@dataclass(frozen=True)
class Overview:
    by_category: list[tuple[str, int]]
    by_risk_type: list[tuple[str, int]]
    by_stage: list[tuple[str, str, int]]
    by_source: list[tuple[str, int]]
    overdue: int
    eliminated_this_year: int
    open_cases: int
    objects: int

    def as_json(self) -> dict[str, Any]:
        return {
            "objects_by_category": dict(self.by_category),
            "objects_by_risk_type": dict(self.by_risk_type),
            "cases_by_stage": {label: count for _, label, count in self.by_stage},
            "clues_by_source": dict(self.by_source),
            "overdue": self.overdue,
            "eliminated_this_year": self.eliminated_this_year,
            "open_cases": self.open_cases,
            "objects": self.objects,
        }


def monitoring_overview(*, user: User, region_path: str = "") -> Overview:
    """Objects by category and risk type, cases by stage, clues by source, overdue, eliminated this year."""
    cases = cases_for(user)
    clues = clues_for(user)
    if region_path:
        cases = cases.filter(village__path__startswith=region_path)
        clues = clues.filter(household__village__path__startswith=region_path)
    objects = cases.filter(stage=Stage.OBJECT)
    categories = Counter(objects.values_list("category", flat=True))
    risk_types: Counter = Counter()
    for types in objects.values_list("risk_types", flat=True):
        risk_types.update(types)
    stages = Counter(cases.values_list("stage", flat=True))
    sources = Counter(clues.values_list("source", flat=True))
    today = timezone.localdate()
    return Overview(
        by_category=[(str(c.label), categories.get(c.value, 0)) for c in Category],
        by_risk_type=[(str(t.label), risk_types[t.value]) for t in RiskType if risk_types[t.value]],
        by_stage=[(s.value, str(s.label), stages.get(s.value, 0)) for s in Stage],
        by_source=[(str(s.label), sources.get(s.value, 0)) for s in ClueSource],
        overdue=cases.filter(stage__in=UNDECIDED_STAGES, due_on__lt=today).count(),
        eliminated_this_year=cases.filter(stage=Stage.ELIMINATED, eliminated_on__year=today.year).count(),
        open_cases=cases.filter(is_open=True).count(),
        objects=objects.count(),
    )


def household_cases(*, user: User, household_id: int) -> list[MonitoringCase]:
    """The household's cases (newest first) with their clues, steps and measures."""
    return list(
        cases_for(user)
        .filter(household_id=household_id)
        .prefetch_related("clues", "steps__by", "measures")
        .order_by("-opened_on", "-pk")
    )


def notice_cases(*, user: User, village_id: int) -> QuerySet[MonitoringCase]:
    """Cases of one village in a notice stage (the village 公示)."""
    return (
        cases_for(user)
        .filter(village_id=village_id, stage__in=(Stage.NOTICED, Stage.ELIMINATION_NOTICED))
        .select_related("household", "village")
        .order_by("household__household_no")
    )


#: stages in which a household is a monitoring object (identified, its risk not yet eliminated)
OBJECT_STAGES = (
    Stage.OBJECT,
    Stage.ELIMINATION_REVIEWED,
    Stage.ELIMINATION_NOTICED,
    Stage.ELIMINATION_CHECKED,
)


def monitoring_objects(households: QuerySet) -> QuerySet:
    """The households among ``households`` that are monitoring objects now (监测对象)."""
    return households.filter(
        pk__in=MonitoringCase.objects.filter(is_open=True, stage__in=OBJECT_STAGES).values("household_id")
    )


def open_clue_counts(households: QuerySet) -> dict[int, int]:
    """Clues of open cases per household id, among ``households``."""
    rows = (
        Clue.objects.filter(household__in=households.values("pk"), case__is_open=True)
        .values("household_id")
        .annotate(n=Count("pk"))
    )
    return {row["household_id"]: row["n"] for row in rows}
