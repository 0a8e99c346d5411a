"""Reading monitoring cases and clues: everything starts from the jurisdiction-scoped households
(``registry.selectors.households_for``), so a village user sees only the village's cases."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    QuerySet,
    Value,
    When,
)
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
from tuopin.monitoring.risk import RiskModel, Validation, risk_model_cached, risk_scores_cached
from tuopin.regions.models import Level, Region
from tuopin.registry.models import Household, HouseholdYear, Person
from tuopin.registry.selectors import households_for

SEVERITY_ORDER = Case(
    When(risk_level="high", then=Value(3)),
    When(risk_level="medium", then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)


#: stages in which a household is a monitoring object (identified, its risk not yet eliminated)
OBJECT_STAGES = (
    Stage.OBJECT,
    Stage.ELIMINATION_REVIEWED,
    Stage.ELIMINATION_NOTICED,
    Stage.ELIMINATION_CHECKED,
)


def cases_for(user: User) -> QuerySet[MonitoringCase]:
    return MonitoringCase.objects.filter(household__in=households_for(user).values("pk"))


def clues_for(user: User) -> QuerySet[Clue]:
    return Clue.objects.filter(household__in=households_for(user).values("pk"))


@dataclass(frozen=True)
class CaseFilters:
    """The filters of the work list; every figure on the monitoring pages links to the list with its filter.
    Without ``stage``, ``eliminated_year`` or ``closed`` only open cases are listed."""

    region_path: str = ""
    stage: str = ""
    objects: bool = False  # monitoring objects only (identified, risk not yet eliminated)
    category: str = ""
    risk_type: str = ""
    source: str = ""
    overdue: bool = False
    eliminated_year: int | None = None

    def cases(self, user: User) -> QuerySet[MonitoringCase]:
        qs = cases_for(user)
        if self.region_path:
            qs = qs.filter(village__path__startswith=self.region_path)
        if self.stage in Stage.values:
            qs = qs.filter(stage=self.stage)
        elif self.eliminated_year:
            qs = qs.filter(stage=Stage.ELIMINATED, eliminated_on__year=self.eliminated_year)
        else:
            qs = qs.filter(is_open=True)
        if self.objects:
            qs = qs.filter(stage__in=OBJECT_STAGES)
        if self.category in Category.values:
            qs = qs.filter(category=self.category)
        if self.source in ClueSource.values:
            qs = qs.filter(pk__in=Clue.objects.filter(source=self.source).values("case_id"))
        if self.overdue:
            qs = qs.filter(stage__in=UNDECIDED_STAGES, due_on__lt=timezone.localdate())
        if self.risk_type in RiskType.values:  # a JSON list: filtered here (SQLite has no JSON containment)
            ids = [pk for pk, types in qs.values_list("pk", "risk_types") if self.risk_type in (types or [])]
            qs = qs.filter(pk__in=ids)
        return qs


def case_worklist(*, user: User, filters: CaseFilters | None = None) -> QuerySet[MonitoringCase]:
    """The cases of the filters with ``severity`` (3 high … 1 low), ``waited`` (days past the time limit,
    negative before it) and ``people`` for sorting; by default most severe first, then the most overdue."""
    today = Value(timezone.localdate(), output_field=DateField())
    return (
        (filters or CaseFilters())
        .cases(user)
        .select_related("household", "village__parent")
        .annotate(
            severity=SEVERITY_ORDER,
            waited=ExpressionWrapper(today - F("due_on"), output_field=DurationField()),
            people=Count("household__members", distinct=True),
        )
        .order_by("-severity", "-waited", "pk")
    )


@dataclass(frozen=True)
class Overview:
    by_category: list[tuple[str, str, int, int]]  # code, label, households, people
    by_risk_type: list[tuple[str, str, int]]
    by_stage: list[tuple[str, str, int]]
    by_source: list[tuple[str, str, int]]
    overdue: int
    eliminated_this_year: int
    open_cases: int
    objects: int
    object_people: int
    year: int

    def as_json(self) -> dict[str, Any]:
        return {
            "objects_by_category": {label: n for _, label, n, _ in self.by_category},
            "objects_by_risk_type": {label: n for _, label, n in self.by_risk_type},
            "cases_by_stage": {label: count for _, label, count in self.by_stage},
            "clues_by_source": {label: n for _, label, n in self.by_source},
            "overdue": self.overdue,
            "eliminated_this_year": self.eliminated_this_year,
            "open_cases": self.open_cases,
            "objects": self.objects,
            "object_people": self.object_people,
        }


def _people(households_ids) -> dict[int, int]:
    rows = (
        Person.objects.filter(household_id__in=households_ids).values("household_id").annotate(n=Count("pk"))
    )
    return {row["household_id"]: row["n"] for row in rows}


def monitoring_overview(*, user: User, region_path: str = "") -> Overview:
    """Objects by category and risk type (户 and 人), cases by stage, clues by source, overdue, eliminated
    this year."""
    cases = cases_for(user)
    clues = clues_for(user)
    if region_path:
        cases = cases.filter(village__path__startswith=region_path)
        clues = clues.filter(household__village__path__startswith=region_path)
    objects = list(
        cases.filter(is_open=True, stage__in=OBJECT_STAGES).values_list(
            "household_id", "category", "risk_types"
        )
    )
    people = _people([row[0] for row in objects])
    households: Counter = Counter(row[1] for row in objects)
    persons: Counter = Counter()
    risk_types: Counter = Counter()
    for household_id, category, types in objects:
        persons[category] += people.get(household_id, 0)
        risk_types.update(types or [])
    stages = Counter(cases.values_list("stage", flat=True))
    sources = Counter(clues.values_list("source", flat=True))
    today = timezone.localdate()
    return Overview(
        by_category=[(c.value, str(c.label), households[c.value], persons[c.value]) for c in Category],
        by_risk_type=[(t.value, str(t.label), risk_types[t.value]) for t in RiskType if risk_types[t.value]],
        by_stage=[(s.value, str(s.label), stages.get(s.value, 0)) for s in Stage],
        by_source=[(s.value, str(s.label), sources.get(s.value, 0)) for s in ClueSource],
        overdue=cases.filter(stage__in=UNDECIDED_STAGES, due_on__lt=today).count(),
        eliminated_this_year=cases.filter(stage=Stage.ELIMINATED, eliminated_on__year=today.year).count(),
        open_cases=cases.filter(is_open=True).count(),
        objects=len(objects),
        object_people=sum(persons.values()),
        year=today.year,
    )


@dataclass(frozen=True)
class AreaRow:
    """One township (on the county page) or village (on a township page) of the monitoring figures."""

    region: Region
    objects: int
    object_people: int
    open_cases: int
    overdue: int
    clues: int
    eliminated: int


def area_breakdown(*, user: User, parent: Region | None) -> list[AreaRow]:
    """The monitoring figures of each child area of ``parent`` (none below a village)."""
    if parent is None:
        return []
    children = list(Region.objects.filter(parent=parent, level__lte=Level.VILLAGE).order_by("path"))
    if not children:
        return []
    today = timezone.localdate()
    cases = list(
        cases_for(user)
        .filter(village__path__startswith=parent.path)
        .values_list("household_id", "village__path", "stage", "is_open", "due_on", "eliminated_on")
    )
    clue_paths = list(
        clues_for(user)
        .filter(household__village__path__startswith=parent.path)
        .values_list("household__village__path", flat=True)
    )
    people = _people([row[0] for row in cases if row[3] and row[2] in OBJECT_STAGES])
    rows = []
    for child in children:
        mine = [row for row in cases if row[1].startswith(child.path)]
        objects = [row for row in mine if row[3] and row[2] in OBJECT_STAGES]
        rows.append(
            AreaRow(
                region=child,
                objects=len(objects),
                object_people=sum(people.get(row[0], 0) for row in objects),
                open_cases=sum(1 for row in mine if row[3]),
                overdue=sum(1 for row in mine if row[2] in UNDECIDED_STAGES and row[4] < today),
                clues=sum(1 for path in clue_paths if path.startswith(child.path)),
                eliminated=sum(
                    1 for row in mine if row[2] == Stage.ELIMINATED and row[5] and row[5].year == today.year
                ),
            )
        )
    return rows


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


@dataclass(frozen=True)
class VisitRow:
    """One household of the visit list: its predicted risk and the factors that raise it most (Chinese)."""

    household: Household
    probability: float
    factors: list[str]

    @property
    def household_no(self) -> str:
        return self.household.household_no

    @property
    def village_path(self) -> str:
        return self.household.village.path


@dataclass(frozen=True)
class VisitRanking:
    year: int | None
    model: RiskModel | None
    validation: Validation | None  # the held-out figures over the households of the area
    rows: list[VisitRow]


def visit_ranking(*, user: User, region_path: str = "") -> VisitRanking:
    """The households of the user's area without an open case, ordered by the risk model (for visits only),
    and the model's held-out figures over the area's households."""
    model = risk_model_cached()
    latest = HouseholdYear.objects.order_by("-year").values_list("year", flat=True).first()
    visible = households_for(user)
    if region_path:
        visible = visible.filter(village__path__startswith=region_path)
    if model is None or latest is None:
        return VisitRanking(latest, model, None, [])
    area = set(visible.values_list("pk", flat=True))
    open_ids = set(cases_for(user).filter(is_open=True).values_list("household_id", flat=True))
    candidates = area - open_ids
    scores = [s for s in risk_scores_cached(model=model, year=latest) if s.household_id in candidates]
    households = visible.select_related("village__parent").in_bulk([s.household_id for s in scores])
    rows = [VisitRow(households[s.household_id], s.probability, s.factors) for s in scores]
    return VisitRanking(latest, model, model.validation_for(area), rows)
