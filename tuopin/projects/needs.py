"""The need-driven plan: from the criteria households fail, propose per-household measures priced by the
configurable cost table (``CostItem``), summed by village, township and programme, and compared with what the
plan provides.

Where the failing criteria come from is one small interface (``FailingCounts``): rows of
(village id, criterion code, households, people) for the households a user may see. Two sources implement it:

* ``assessment_failing_counts`` reads the latest stored exit-assessment run (``tuopin.assessment``), grouped
  by village and packed outcome bits, one GROUP BY; a criterion fails when any of its rules fails.
* ``registry_failing_counts`` is used when no assessment run exists for the year: it derives the three
  criteria the registry answers directly (housing: 危房 C/D 级 and not relocated; water: not 饮水安全;
  medical: a member without 基本医保), set-based, and says so on the page.

Criterion codes are the assessment engine's (income, food_clothing, water, housing, education, medical).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from tuopin.accounts.models import User
from tuopin.assessment.engine.batch import unpack
from tuopin.assessment.engine.rules import EXIT_RULESET, Outcome
from tuopin.assessment.models import HouseholdResult
from tuopin.assessment.selectors import latest_run
from tuopin.projects.models import CostItem, Plan
from tuopin.regions.models import Level, Region
from tuopin.registry.models import NOT_EXITED_STATUSES
from tuopin.registry.selectors import households_for, persons_for

ZERO = Decimal(0)

CRITERIA = {
    "income": "收入稳定达标",
    "food_clothing": "不愁吃、不愁穿",
    "water": "饮水安全",
    "housing": "住房安全有保障",
    "education": "义务教育有保障",
    "medical": "基本医疗有保障",
}


@dataclass(frozen=True)
class FailingCount:
    village_id: int
    criterion: str
    households: int
    people: int


FailingCounts = Callable[[User, int], tuple[list[FailingCount], str]]


def registry_failing_counts(user: User, year: int) -> tuple[list[FailingCount], str]:
    """Failing criteria read from registry columns, for households not yet exited (scoped)."""
    households = households_for(user).filter(status__in=NOT_EXITED_STATUSES)
    rows: list[FailingCount] = []
    tests = {
        "housing": Q(house_grade__in=("C", "D")) & Q(is_relocated=False),
        "water": Q(has_safe_drinking_water=False),
    }
    for criterion, condition in tests.items():
        for row in (
            households.filter(condition)
            .values("village_id")
            .annotate(n=Count("id", distinct=True), people=Count("members", distinct=True))
        ):
            rows.append(FailingCount(row["village_id"], criterion, row["n"], row["people"]))
    uninsured = persons_for(user).filter(
        household__status__in=NOT_EXITED_STATUSES, has_medical_insurance=False
    )
    for row in uninsured.values("household__village_id").annotate(
        n=Count("household_id", distinct=True), people=Count("id")
    ):
        rows.append(FailingCount(row["household__village_id"], "medical", row["n"], row["people"]))
    return rows, "登记数据（未找到该年度的退出评估结果，仅测算住房、饮水、医保三项）"


def assessment_failing_counts(user: User, year: int) -> tuple[list[FailingCount], str] | None:
    """Failing criteria from the latest stored assessment run of the year, or None when there is none."""
    run = latest_run(year=year)
    if run is None:
        return None
    grouped = (
        HouseholdResult.objects.filter(
            run=run,
            status__in=NOT_EXITED_STATUSES,
            household_id__in=households_for(user).values("pk"),
        )
        .values("village_id", "outcomes")
        .annotate(n=Count("id"), people=Sum("member_count"))
    )
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in grouped:
        decoded = unpack(row["outcomes"], EXIT_RULESET)
        for criterion in EXIT_RULESET.criteria:
            if any(decoded[rule.code] == Outcome.FAIL for rule in EXIT_RULESET.rules_of(criterion.code)):
                total = totals[(row["village_id"], criterion.code)]
                total[0] += row["n"]
                total[1] += row["people"] or 0
    rows = [FailingCount(v, c, n, p) for (v, c), (n, p) in totals.items()]
    return rows, f"退出评估结果（{run.year}年第{run.pk}次评估）"


def failing_counts(user: User, year: int) -> tuple[list[FailingCount], str]:
    return assessment_failing_counts(user, year) or registry_failing_counts(user, year)


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

    @property
    def total(self) -> Decimal:
        return sum((t.amount for t in self.townships), ZERO)


def need_proposal(
    *, user: User, plan: Plan, year: int | None = None, source: FailingCounts | None = None
) -> NeedProposal:
    year = year or plan.year_from
    rows, source_label = (source or failing_counts)(user, year)
    items_by_criterion: dict[str, list[CostItem]] = defaultdict(list)
    for item in CostItem.objects.all():
        items_by_criterion[item.criterion].append(item)
    village_ids = {row.village_id for row in rows}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=village_ids).select_related("parent")}
    villages: dict[int, NeedArea] = {}
    townships: dict[int, NeedArea] = {}
    uncosted: dict[str, int] = defaultdict(int)
    by_programme: dict[str, Decimal] = defaultdict(lambda: ZERO)
    failing_by_programme: dict[str, int] = defaultdict(int)
    for row in rows:
        village = regions.get(row.village_id)
        if village is None:
            continue
        items = items_by_criterion.get(row.criterion, [])
        if not items:
            uncosted[CRITERIA.get(row.criterion, row.criterion)] += row.households
        township = village.parent if village.parent and village.parent.level == Level.TOWNSHIP else village
        for item in items:
            count = row.people if item.per_person else row.households
            amount = item.unit_cost * count
            for area in (
                villages.setdefault(village.pk, NeedArea(village)),
                townships.setdefault(township.pk, NeedArea(township)),
            ):
                line = area.lines.setdefault(item.code, NeedLine(item))
                line.households += row.households
                line.people += row.people
                line.amount += amount
            by_programme[item.programme_code] += amount
        for code in {item.programme_code for item in items}:
            failing_by_programme[code] += row.households
    comparisons = _compare(
        user=user, plan=plan, proposed=by_programme, failing=failing_by_programme, year=year
    )
    return NeedProposal(
        source=source_label,
        year=year,
        villages=sorted(villages.values(), key=lambda a: a.region.path),
        townships=sorted(townships.values(), key=lambda a: a.region.path),
        programmes=comparisons,
        uncosted=dict(uncosted),
    )


def _compare(
    *, user: User, plan: Plan, proposed: dict[str, Decimal], failing: dict[str, int], year: int
) -> list[ProgrammeComparison]:
    """Per programme: proposed money against the plan's per-household projects the user may see, and how
    many failing households the plan's projects reach."""
    from tuopin.projects.selectors import projects_for

    criterion_of = {item.programme_code: item.criterion for item in CostItem.objects.all()}
    result = []
    for programme in plan.programmes.order_by("order"):
        code = programme.code
        if code not in proposed and code not in criterion_of:
            continue
        projects = projects_for(user).filter(programme=programme, is_per_household=True)
        planned = projects.aggregate(s=Sum("investment"))["s"] or ZERO
        linked = households_for(user).filter(projects__in=projects).distinct()
        criterion = criterion_of.get(code, "")
        failing_ids = _failing_household_ids(user, criterion)
        covered = linked.filter(pk__in=failing_ids).count() if failing_ids is not None else 0
        not_failing = linked.exclude(pk__in=failing_ids).count() if failing_ids is not None else 0
        result.append(
            ProgrammeComparison(
                code,
                programme.name,
                proposed.get(code, ZERO),
                Decimal(planned).quantize(Decimal("0.01")),
                failing.get(code, 0),
                covered,
                not_failing,
            )
        )
    return result


def _failing_household_ids(user: User, criterion: str):
    """A subquery of the households failing a criterion by the registry columns (None: not derivable)."""
    households = households_for(user).filter(status__in=NOT_EXITED_STATUSES)
    if criterion == "housing":
        return households.filter(house_grade__in=("C", "D"), is_relocated=False).values("pk")
    if criterion == "water":
        return households.filter(has_safe_drinking_water=False).values("pk")
    if criterion == "medical":
        return households.filter(members__has_medical_insurance=False).values("pk")
    return None
