"""The need-driven plan: from the criteria households do not meet, propose per-household measures priced by the
configurable cost table (``CostItem``), summed by village, township and programme, and compared with what the
plan provides.

Where the failing criteria come from is one small interface (``FailingCounts``): rows of (village id,
criterion code, households, people, and the households and people lacking the data to decide) for the
households a user may see. The source is the exit assessment's stored results of the year
(``assessment.selectors.failing_criteria_by_village``): the engine's own outcomes, so a household whose
water safety or insurance is unknown counts as lacking data, never as meeting the criterion ("missing is
never a pass"). Without a stored run of the year nothing is proposed, and the page says so.

Criterion codes are the assessment engine's (income, food_clothing, water, housing, education, medical).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from tuopin.accounts.models import User
from tuopin.assessment.models import AssessmentRun
from tuopin.assessment.selectors import (
    EXIT_CRITERIA_TITLES,
    failing_criteria_by_village,
    households_not_meeting,
    latest_run,
)
from tuopin.projects.models import CostItem, Plan
from tuopin.projects.selectors import projects_for
from tuopin.regions.models import Level, Region
from tuopin.registry.selectors import households_for

ZERO = Decimal(0)

CRITERIA = EXIT_CRITERIA_TITLES  # criterion code → title


@dataclass(frozen=True)
class FailingCount:
    village_id: int
    criterion: str
    households: int
    people: int
    missing_households: int = 0  # lacking the data to decide: to be verified, never counted as met
    missing_people: int = 0


FailingCounts = Callable[[User, int], tuple[list[FailingCount], str]]
NO_RUN = "未找到该年度的退出评估结果：请先运行退出评估，需求测算以评估结果为准"


def assessment_failing_counts(user: User, year: int) -> tuple[list[FailingCount], str]:
    """Criteria not met, by village, from the latest stored assessment run of the year (scoped)."""
    found = failing_criteria_by_village(user=user, year=year)
    if found is None:
        return [], NO_RUN
    rows = [
        FailingCount(
            r.village_id, r.criterion, r.households, r.people, r.missing_households, r.missing_people
        )
        for r in found.rows
    ]
    return rows, f"退出评估结果（{found.run.year}年第{found.run.pk}次评估）"


def failing_counts(user: User, year: int) -> tuple[list[FailingCount], str]:
    return assessment_failing_counts(user, year)


@dataclass
class NeedLine:
    cost_item: CostItem
    households: int = 0
    people: int = 0
    amount: Decimal = ZERO


@dataclass
class NeedArea:
    region: Region
    lines: dict[str, NeedLine] = field(default_factory=dict)
    planned: dict[str, Decimal] = field(default_factory=dict)  # programme code → planned per-household money

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines.values()), ZERO)


@dataclass
class ProgrammeComparison:
    programme_code: str
    programme_name: str
    proposed: Decimal
    planned: Decimal
    failing_households: int
    covered_households: int  # failing households linked to a project of the programme
    linked_not_failing: int  # households linked to such a project that do not fail the criterion

    @property
    def difference(self) -> Decimal:
        return self.planned - self.proposed


@dataclass
class NeedProposal:
    source: str
    year: int
    villages: list[NeedArea]
    townships: list[NeedArea]
    programmes: list[ProgrammeComparison]
    uncosted: dict[str, int]  # criterion → failing households with no cost item
    missing: dict[str, int] = field(default_factory=dict)  # criterion → households lacking data to decide

    @property
    def total(self) -> Decimal:
        return sum((t.amount for t in self.townships), ZERO)


class _Tally:
    """The proposal being summed over the failing rows."""

    def __init__(self, rows: list[FailingCount]) -> None:
        self.items: dict[str, list[CostItem]] = defaultdict(list)
        for item in CostItem.objects.all():
            self.items[item.criterion].append(item)
        village_ids = {row.village_id for row in rows}
        self.regions = {r.pk: r for r in Region.objects.filter(pk__in=village_ids).select_related("parent")}
        self.villages: dict[int, NeedArea] = {}
        self.townships: dict[int, NeedArea] = {}
        self.uncosted: dict[str, int] = defaultdict(int)
        self.missing: dict[str, int] = defaultdict(int)
        self.by_programme: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.failing_by_programme: dict[str, int] = defaultdict(int)

    def add(self, row: FailingCount) -> None:
        village = self.regions.get(row.village_id)
        if village is None:
            return
        title = CRITERIA.get(row.criterion, row.criterion)
        if row.missing_households:
            self.missing[title] += row.missing_households
        if not row.households:
            return
        items = self.items.get(row.criterion, [])
        if not items:
            self.uncosted[title] += row.households
        township = village.parent if village.parent and village.parent.level == Level.TOWNSHIP else village
        for item in items:
            amount = item.unit_cost * (row.people if item.per_person else row.households)
            for area in (
                self.villages.setdefault(village.pk, NeedArea(village)),
                self.townships.setdefault(township.pk, NeedArea(township)),
            ):
                line = area.lines.setdefault(item.code, NeedLine(item))
                line.households += row.households
                line.people += row.people
                line.amount += amount
            self.by_programme[item.programme_code] += amount
        for code in {item.programme_code for item in items}:
            self.failing_by_programme[code] += row.households


def need_proposal(
    *, user: User, plan: Plan, year: int | None = None, source: FailingCounts | None = None
) -> NeedProposal:
    year = year or plan.year_from
    rows, source_label = (source or failing_counts)(user, year)
    tally = _Tally(rows)
    for row in rows:
        tally.add(row)
    comparisons = _compare(
        user=user,
        plan=plan,
        proposed=tally.by_programme,
        failing=tally.failing_by_programme,
        run=latest_run(year=year),
    )
    return NeedProposal(
        source=source_label,
        year=year,
        villages=sorted(tally.villages.values(), key=lambda a: a.region.path),
        townships=sorted(tally.townships.values(), key=lambda a: a.region.path),
        programmes=comparisons,
        uncosted=dict(tally.uncosted),
        missing=dict(tally.missing),
    )


def _compare(
    *,
    user: User,
    plan: Plan,
    proposed: dict[str, Decimal],
    failing: dict[str, int],
    run: AssessmentRun | None,
) -> list[ProgrammeComparison]:
    """Per programme: proposed money against the plan's per-household projects the user may see, and how
    many households not meeting the criterion (stored results of ``run``) the plan's projects reach."""
    criterion_of = {item.programme_code: item.criterion for item in CostItem.objects.all()}
    result = []
    for programme in plan.programmes.order_by("order"):
        code = programme.code
        if code not in proposed and code not in criterion_of:
            continue
        projects = projects_for(user).filter(programme=programme, is_per_household=True)
        planned = projects.aggregate(s=Sum("investment"))["s"] or ZERO
        linked = households_for(user).filter(projects__in=projects).distinct()
        not_met = (
            households_not_meeting(run=run, criterion=criterion_of.get(code, ""), among=linked)
            if run is not None
            else set()
        )
        linked_ids = set(linked.values_list("pk", flat=True))
        result.append(
            ProgrammeComparison(
                code,
                programme.name,
                proposed.get(code, ZERO),
                Decimal(planned).quantize(Decimal("0.01")),
                failing.get(code, 0),
                len(linked_ids & not_met),
                len(linked_ids - not_met) if run is not None else 0,
            )
        )
    return result
