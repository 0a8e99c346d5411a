"""What the stored results say per household and per village for planning: the year's exit plan (households
planned to exit and what they still fail) and the criteria not met by village (the need-driven plan)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from tuopin.accounts.models import User
from tuopin.assessment.engine.constants import HEAD
from tuopin.assessment.engine.rules import EXIT_RULESET, Outcome
from tuopin.assessment.models import AssessmentRun, HouseholdResult
from tuopin.assessment.selectors.results import criterion_outcomes, failing_text, is_eligible
from tuopin.assessment.selectors.runs import latest_run
from tuopin.registry.models import NOT_EXITED_STATUSES, Household, Person
from tuopin.registry.selectors import households_for


@dataclass(frozen=True)
class PlanHousehold:
    household_id: int
    household_no: str
    head_name: str
    village: str
    status: str
    eligible: bool
    failing: list[str]  # "criterion title：rule title（未达标/数据缺失）"


def exit_plan(*, run: AssessmentRun, user: User | None = None) -> list[PlanHousehold]:
    """Households planned to exit in the run's year, with the criteria that still fail or lack data."""
    households: QuerySet[Household] = households_for(user) if user is not None else Household.objects.all()
    rows = (
        HouseholdResult.objects.filter(
            run=run, household__in=households.filter(planned_exit_year=run.year).values("pk")
        )
        .select_related("household__village")
        .order_by("household__household_no")
    )
    heads = dict(
        Person.objects.filter(relation=HEAD, household__planned_exit_year=run.year).values_list(
            "household_id", "name"
        )
    )
    return [
        PlanHousehold(
            row.household_id,
            row.household.household_no,
            heads.get(row.household_id, ""),
            row.household.village.name,
            row.status,
            is_eligible(row.outcomes, row.status),
            failing_text(row.outcomes),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CriterionCount:
    """Households not yet exited of one village that do not meet one exit criterion in a stored run:
    ``households``/``people`` fail it, ``missing_households``/``missing_people`` lack the data to decide
    (never counted as met)."""

    village_id: int
    criterion: str
    households: int = 0
    people: int = 0
    missing_households: int = 0
    missing_people: int = 0


@dataclass(frozen=True)
class FailingByVillage:
    run: AssessmentRun
    rows: list[CriterionCount]


def failing_criteria_by_village(*, user: User, year: int) -> FailingByVillage | None:
    """Per village and exit criterion, the households (and people) of ``user``'s jurisdiction not yet exited
    that fail it or lack data for it, from the latest stored run of ``year`` (None: no run that year)."""
    run = latest_run(year=year)
    if run is None:
        return None
    grouped = (
        HouseholdResult.objects.filter(
            run=run, status__in=NOT_EXITED_STATUSES, household_id__in=households_for(user).values("pk")
        )
        .values("village_id", "outcomes")
        .annotate(n=Count("id"), people=Sum("member_count"))
    )
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in grouped:
        for code, outcome in criterion_outcomes(row["outcomes"]).items():
            if outcome == Outcome.PASS:
                continue
            total = totals[(row["village_id"], code)]
            offset = 0 if outcome == Outcome.FAIL else 2
            total[offset] += row["n"]
            total[offset + 1] += row["people"] or 0
    return FailingByVillage(run, [CriterionCount(v, c, *figures) for (v, c), figures in totals.items()])


def households_not_meeting(*, run: AssessmentRun, criterion: str, among: QuerySet[Household]) -> set[int]:
    """Ids of the households in ``among`` not yet exited whose stored ``criterion`` fails or lacks data in
    ``run`` (a household without a stored result is not among them)."""
    if criterion not in {c.code for c in EXIT_RULESET.criteria}:
        return set()
    rows = HouseholdResult.objects.filter(
        run=run, status__in=NOT_EXITED_STATUSES, household_id__in=among.values("pk")
    ).values_list("household_id", "outcomes")
    return {pk for pk, outcomes in rows if criterion_outcomes(outcomes)[criterion] != Outcome.PASS}
