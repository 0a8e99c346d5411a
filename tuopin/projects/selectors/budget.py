"""Investment summaries: by programme (beside the totals the plan declares), by township and by year, each
split by funding channel and tier."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from tuopin.accounts.models import User
from tuopin.projects.models import Channel, Plan, PlanFigure, Project, ProjectFunding, Tier
from tuopin.projects.selectors.projects import projects_for, township_of

ZERO = Decimal(0)
#: label of the row of projects placed at county level or across townships
COUNTY_WIDE = "县级及跨乡镇"

Split = dict[int, tuple[dict[str, Decimal], dict[str, Decimal]]]


@dataclass
class BudgetRow:
    label: str
    investment: Decimal = ZERO
    projects: int = 0
    declared: Decimal | None = None
    by_channel: dict[str, Decimal] = field(default_factory=dict)
    by_tier: dict[str, Decimal] = field(default_factory=dict)
    ref: str = ""

    @property
    def gap(self) -> Decimal:
        return self.by_tier.get(Tier.GAP, ZERO)

    @property
    def unexplained(self) -> Decimal | None:
        return None if self.declared is None else self.declared - self.investment

    def add(self, project: Project, split: Split, share: Decimal = Decimal(1)) -> None:
        self.investment += project.investment * share
        self.projects += 1
        by_channel, by_tier = split[project.pk]
        for key, amount in by_channel.items():
            self.by_channel[key] = self.by_channel.get(key, ZERO) + amount * share
        for key, amount in by_tier.items():
            self.by_tier[key] = self.by_tier.get(key, ZERO) + amount * share


def _funding_split(projects: list[Project]) -> Split:
    """Per project: planned amounts by channel and by tier; the part no row covers is 来源未明 / 未区分."""
    rows = ProjectFunding.objects.filter(project__in=[p.pk for p in projects]).values_list(
        "project_id", "channel", "tier", "amount"
    )
    channels: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    tiers: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for project_id, channel, tier, amount in rows:
        channels[project_id][channel] += amount
        tiers[project_id][tier] += amount
    result = {}
    for project in projects:
        by_channel = dict(channels[project.pk])
        by_tier = dict(tiers[project.pk])
        rest_channel = project.investment - sum(v for k, v in by_channel.items() if k != Channel.UNSPECIFIED)
        rest_tier = project.investment - sum(v for k, v in by_tier.items() if k != Tier.UNSPECIFIED)
        by_channel[Channel.UNSPECIFIED] = max(rest_channel, ZERO)
        by_tier[Tier.UNSPECIFIED] = max(rest_tier, ZERO)
        result[project.pk] = (by_channel, by_tier)
    return result


@dataclass
class BudgetSummary:
    by_programme: list[BudgetRow]
    by_township: list[BudgetRow]
    by_year: list[BudgetRow]
    total: BudgetRow
    declared_grand_total: PlanFigure | None
    double_counted: Decimal


def _programme_rows(plan: Plan) -> dict[int, BudgetRow]:
    declared = declared_totals(plan)
    rows = {}
    for programme in plan.programmes.order_by("order"):
        figure = declared.get(programme.code)
        rows[programme.pk] = BudgetRow(
            programme.name,
            declared=figure.value if figure else None,
            ref=figure.ref if figure else "",
        )
    return rows


def budget_summary(*, user: User, plan: Plan) -> BudgetSummary:
    """Investment by programme (with the total the plan declares), by township and by year (a multi-year
    project's investment is spread evenly over its years), each split by channel and tier."""
    projects = list(
        projects_for(user).filter(programme__plan=plan).select_related("programme", "region__parent__parent")
    )
    split = _funding_split(projects)
    by_programme = _programme_rows(plan)
    by_township: dict[str, BudgetRow] = {}
    by_year: dict[int, BudgetRow] = {}
    total = BudgetRow("合计")
    double_counted = ZERO
    for project in projects:
        by_programme[project.programme_id].add(project, split)
        total.add(project, split)
        township = township_of(project.region)
        label = township.name if township else COUNTY_WIDE
        by_township.setdefault(label, BudgetRow(label)).add(project, split)
        share = Decimal(1) / (project.year_to - project.year_from + 1)
        for year in range(project.year_from, project.year_to + 1):
            by_year.setdefault(year, BudgetRow(f"{year}年")).add(project, split, share)
        if project.same_as_id is not None:
            double_counted += project.investment
    grand = plan.figures.filter(is_grand_total=True).first()
    total.declared = grand.value if grand else None
    return BudgetSummary(
        by_programme=list(by_programme.values()),
        by_township=sorted(by_township.values(), key=lambda r: (r.label == COUNTY_WIDE, r.label)),
        by_year=[by_year[y] for y in sorted(by_year)],
        total=total,
        declared_grand_total=grand,
        double_counted=double_counted,
    )


def declared_totals(plan: Plan) -> dict[str, PlanFigure]:
    """One declared total per programme code, preferring the 投资规模 section (四) over the task section."""
    declared: dict[str, PlanFigure] = {}
    for figure in plan.figures.filter(programme_total__isnull=False).select_related("programme_total"):
        if figure.programme_total is None:
            continue
        code = figure.programme_total.code
        current = declared.get(code)
        if current is None or (figure.ref.startswith("四") and not current.ref.startswith("四")):
            declared[code] = figure
    return declared
