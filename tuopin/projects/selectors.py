"""Reads of the projects app. Projects are scoped by place with the same jurisdiction as households
(``accounts.jurisdiction.scope_for``); registry figures come only through ``registry.selectors``."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.projects import audit
from tuopin.projects.models import (
    Channel,
    CostItem,
    EntryKind,
    FundEntry,
    Plan,
    PlanFigure,
    Programme,
    Project,
    ProjectFunding,
    ProjectStatus,
    Target,
    TargetActual,
    Tier,
)
from tuopin.regions.models import Level, Region
from tuopin.registry.models import REGISTERED_STATUSES, PovertyStatus
from tuopin.registry.selectors import households_for, persons_for

ZERO = Decimal(0)
WAN = Decimal(10_000)


def _fen(amount: Decimal | None) -> Decimal:
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def wan(amount: Decimal | None) -> Decimal:
    """Yuan → 万元, as the plan writes it (no trailing zeros)."""
    if amount is None:
        return ZERO
    return (amount / WAN).quantize(Decimal("0.0001")).normalize()


# --- plans and projects -------------------------------------------------------------------------------


def plan_current(version: str | None = None) -> Plan | None:
    qs = Plan.objects.all()
    if version:
        return qs.filter(version=version).first()
    return qs.order_by("-loaded_at").first()


def projects_for(user: User) -> QuerySet[Project]:
    """All projects the user may see: those placed within the user's area. Projects placed at county level
    or not placed in the region tree are seen by county users only. An assistance cadre sees the projects
    placed in the villages of their paired households and those linked to a paired household (none when
    nothing is paired); township-level projects are not theirs to see."""
    scope = scope_for(user)
    if scope.region_path is None:
        return Project.objects.none()
    qs = Project.objects.all()
    if scope.cadre_id is not None:
        paired = households_for(user)
        places = Q(households__in=paired.values("pk"))
        for path in set(paired.values_list("village__path", flat=True)):
            places |= Q(region__path__startswith=path)
        return qs.filter(pk__in=qs.filter(places).values("pk"))
    if scope.everything or scope.region_path == "":
        return qs
    return qs.filter(region__path__startswith=scope.region_path)


def project_get(*, user: User, pk: int) -> Project:
    project = (
        projects_for(user)
        .select_related("programme__plan", "region__parent__parent", "same_as")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404("没有找到该项目，或不在您的辖区内")
    return project


@dataclass(frozen=True)
class ProjectFilters:
    plan_id: int | None = None
    programme_id: int | None = None
    region_id: int | None = None
    year: int | None = None
    status: str = ""
    query: str = ""


def project_list(*, user: User, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    filters = filters or ProjectFilters()
    qs = projects_for(user)
    if filters.plan_id:
        qs = qs.filter(programme__plan_id=filters.plan_id)
    if filters.programme_id:
        qs = qs.filter(programme_id=filters.programme_id)
    if filters.region_id:
        region = Region.objects.filter(pk=filters.region_id).first()
        qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    if filters.year:
        qs = qs.active_in(filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.query:
        text = filters.query.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(place_text__icontains=text) | Q(seed_key__icontains=text))
    return qs.select_related("programme", "region__parent__parent").order_by("programme__order", "id")


def township_of(region: Region | None) -> Region | None:
    return region.ancestor_at(Level.TOWNSHIP) if region is not None else None


def village_of(region: Region | None) -> Region | None:
    return region.ancestor_at(Level.VILLAGE) if region is not None else None


# --- budget summaries ---------------------------------------------------------------------------------


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


def _funding_split(projects: list[Project]) -> dict[int, tuple[dict[str, Decimal], dict[str, Decimal]]]:
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


def _add(row: BudgetRow, project: Project, split, share: Decimal = Decimal(1)) -> None:
    row.investment += project.investment * share
    row.projects += 1
    by_channel, by_tier = split[project.pk]
    for key, amount in by_channel.items():
        row.by_channel[key] = row.by_channel.get(key, ZERO) + amount * share
    for key, amount in by_tier.items():
        row.by_tier[key] = row.by_tier.get(key, ZERO) + amount * share


@dataclass
class BudgetSummary:
    by_programme: list[BudgetRow]
    by_township: list[BudgetRow]
    by_year: list[BudgetRow]
    total: BudgetRow
    declared_grand_total: PlanFigure | None
    double_counted: Decimal


def budget_summary(*, user: User, plan: Plan) -> BudgetSummary:
    """Investment by programme (with the total the plan declares), by township and by year (a multi-year
    project's investment is spread evenly over its years), each split by channel and tier."""
    projects = list(
        projects_for(user).filter(programme__plan=plan).select_related("programme", "region__parent__parent")
    )
    split = _funding_split(projects)
    declared = declared_totals(plan)
    programmes = list(plan.programmes.order_by("order"))
    by_programme = {
        p.pk: BudgetRow(
            p.name,
            declared=declared[p.code].value if p.code in declared else None,
            ref=declared[p.code].ref if p.code in declared else "",
        )
        for p in programmes
    }
    by_township: dict[str, BudgetRow] = {}
    by_year: dict[int, BudgetRow] = {}
    total = BudgetRow("合计")
    double_counted = ZERO
    for project in projects:
        _add(by_programme[project.programme_id], project, split)
        _add(total, project, split)
        township = township_of(project.region)
        label = township.name if township else "县级及跨乡镇"
        _add(by_township.setdefault(label, BudgetRow(label)), project, split)
        years = project.year_to - project.year_from + 1
        for year in range(project.year_from, project.year_to + 1):
            _add(by_year.setdefault(year, BudgetRow(f"{year}年")), project, split, Decimal(1) / years)
        if project.same_as_id is not None:
            double_counted += project.investment
    grand = plan.figures.filter(is_grand_total=True).first()
    total.declared = grand.value if grand else None
    return BudgetSummary(
        by_programme=list(by_programme.values()),
        by_township=sorted(by_township.values(), key=lambda r: (r.label == "县级及跨乡镇", r.label)),
        by_year=[by_year[y] for y in sorted(by_year)],
        total=total,
        declared_grand_total=grand,
        double_counted=double_counted,
    )


def declared_totals(plan: Plan) -> dict[str, PlanFigure]:
    declared: dict[str, PlanFigure] = {}
    for figure in plan.figures.filter(programme_total__isnull=False).select_related("programme_total"):
        code = figure.programme_total.code
        current = declared.get(code)
        if current is None or (figure.ref.startswith("四") and not current.ref.startswith("四")):
            declared[code] = figure
    return declared


def plan_summary(*, plan: Plan) -> dict:
    """Totals by programme computed from all the plan's projects, beside the totals the plan text declares
    (for ``tuopin plan summary --json``)."""
    declared = declared_totals(plan)
    rows = []
    sums = {
        row["programme_id"]: (row["total"], row["n"])
        for row in Project.objects.filter(programme__plan=plan)
        .values("programme_id")
        .annotate(total=Sum("investment"), n=Count("id"))
    }
    computed_total = ZERO
    for programme in plan.programmes.order_by("order"):
        total, count = sums.get(programme.pk, (ZERO, 0))
        computed_total += total
        figure = declared.get(programme.code)
        rows.append(
            {
                "programme": programme.code,
                "name": programme.name,
                "projects": count,
                "computed_wan": str(wan(total)),
                "declared_wan": str(figure.stated_value.normalize()) if figure else None,
                "declared_place": figure.ref if figure else None,
                "declared_quote": figure.quote if figure else None,
                "difference_wan": str(wan(figure.value - total)) if figure else None,
            }
        )
    grand = plan.figures.filter(is_grand_total=True).first()
    double = Project.objects.filter(programme__plan=plan, same_as__isnull=False).aggregate(
        s=Sum("investment")
    )["s"]
    return {
        "plan": plan.version,
        "title": plan.title,
        "unit": "万元",
        "programmes": rows,
        "grand_total": {
            "computed_wan": str(wan(computed_total)),
            "declared_wan": str(grand.stated_value.normalize()) if grand else None,
            "declared_place": grand.ref if grand else None,
            "declared_quote": grand.quote if grand else None,
            "difference_wan": str(wan(grand.value - computed_total)) if grand else None,
            "double_counted_wan": str(wan(double or ZERO)),
            "computed_without_double_counting_wan": str(wan(computed_total - (double or ZERO))),
        },
    }


# --- the plan audit -----------------------------------------------------------------------------------


def plan_input(*, plan: Plan) -> audit.PlanInput:
    """The plan as the audit reads it: every project of the plan (all places), every figure and check."""
    programmes = [audit.Programme(p.code, p.name, p.ref) for p in plan.programmes.order_by("order")]
    projects = [
        audit.Project(
            key=p.seed_key or f"#{p.pk}",
            programme=p.programme.code,
            name=p.name,
            ref=p.ref or p.seed_key or f"项目#{p.pk}",
            investment=p.investment,
            quantity=p.quantity,
            unit=p.unit,
            unit_cost=p.unit_cost,
            unit_cost_unit=p.unit_cost_unit,
            same_as=(p.same_as.seed_key or f"#{p.same_as_id}") if p.same_as_id else "",
        )
        for p in Project.objects.filter(programme__plan=plan)
        .select_related("programme", "same_as")
        .order_by("id")
    ]
    figures = {
        f.key: audit.Figure(
            key=f.key,
            ref=f.ref,
            quote=f.quote,
            stated_value=f.stated_value.normalize(),
            stated_unit=f.stated_unit,
            measure=f.measure,
            parts=f.parts or {},
            items=tuple(f.items or ()),
            approx=f.is_approx,
            programme_total=f.programme_total.code if f.programme_total_id else "",
            grand_total=f.is_grand_total,
        )
        for f in plan.figures.select_related("programme_total").order_by("id")
    }
    checks = [c.spec for c in plan.checks.order_by("id")]
    return audit.PlanInput(programmes=programmes, projects=projects, figures=figures, checks=checks)


def plan_audit(*, plan: Plan) -> list[audit.Finding]:
    return audit.audit(plan_input(plan=plan))


# --- fund ledger --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    channel: str
    allocated: Decimal
    disbursed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.disbursed

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label


def fund_balances(*, projects: QuerySet[Project] | list[int]) -> dict[int, list[Balance]]:
    """Allocated, disbursed and balance per project and channel, computed from the entries in one query."""
    rows = (
        FundEntry.objects.filter(project__in=projects)
        .values("project_id", "channel")
        .annotate(
            allocated=Sum("amount", filter=Q(kind=EntryKind.ALLOCATION), default=ZERO),
            disbursed=Sum("amount", filter=Q(kind=EntryKind.DISBURSEMENT), default=ZERO),
        )
        .order_by("project_id", "channel")
    )
    result: dict[int, list[Balance]] = defaultdict(list)
    for row in rows:
        # SQLite sums decimals as floats: bring the totals back to fen.
        result[row["project_id"]].append(
            Balance(row["channel"], _fen(row["allocated"]), _fen(row["disbursed"]))
        )
    return dict(result)


def fund_entries(*, project: Project) -> QuerySet[FundEntry]:
    return project.fund_entries.select_related("created_by", "reverses").order_by("created_at", "id")


@dataclass
class PublicityRow:
    project: Project
    allocated: Decimal
    disbursed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.disbursed


def village_publicity(*, user: User, village: Region) -> list[PublicityRow]:
    """公示: every project placed in the village (or its groups) with its funds."""
    projects = list(
        projects_for(user).filter(region__path__startswith=village.path).select_related("programme", "region")
    )
    balances = fund_balances(projects=[p.pk for p in projects])
    rows = []
    for project in projects:
        lines = balances.get(project.pk, [])
        rows.append(
            PublicityRow(
                project,
                sum((b.allocated for b in lines), ZERO),
                sum((b.disbursed for b in lines), ZERO),
            )
        )
    return rows


def regions_for(user: User, *, level: int) -> QuerySet[Region]:
    scope = scope_for(user)
    if scope.region_path is None:
        return Region.objects.none()
    qs = Region.objects.filter(level=level)
    if not scope.everything and scope.region_path:
        qs = qs.filter(path__startswith=scope.region_path)
    return qs.order_by("path")


def region_for(user: User, pk: int, *, level: int) -> Region:
    region = regions_for(user, level=level).filter(pk=pk).first()
    if region is None:
        raise Http404("没有找到该地区，或不在您的辖区内")
    return region


# --- roadmap and construction plan --------------------------------------------------------------------


def villages_with_projects(*, user: User, plan: Plan | None) -> list[Region]:
    """村级施工图的村: the villages of the user's area with a project of the plan placed in the village itself
    or in one of its natural villages / groups (a project's place rolls up to its village)."""
    visible = projects_for(user).filter(region__level__gte=Level.VILLAGE)
    if plan is not None:
        visible = visible.filter(programme__plan=plan)
    paths = set(visible.values_list("region__path", flat=True))
    # a path is the chain of codes, each ending in "/": county/township/village/[group/]
    village_paths = {"".join(f"{code}/" for code in path.split("/")[:3]) for path in paths}
    villages = regions_for(user, level=Level.VILLAGE).select_related("parent")
    return [v for v in villages if v.path in village_paths]


@dataclass
class Roadmap:
    township: Region
    by_year: dict[int, list[Project]]
    by_village: dict[str, list[Project]]
    targets: list[Target]
    total: Decimal
    exit_plan: list[dict]  # per planned exit year: households and people still to exit (registry)


def township_roadmap(*, user: User, township: Region, plan: Plan) -> Roadmap:
    """乡级路线图: the township's projects by year and by village, and the targets stated for it."""
    projects = list(
        projects_for(user)
        .filter(programme__plan=plan, region__path__startswith=township.path)
        .select_related("programme", "region__parent")
        .order_by("year_from", "programme__order", "id")
    )
    by_year: dict[int, list[Project]] = defaultdict(list)
    by_village: dict[str, list[Project]] = defaultdict(list)
    for project in projects:
        by_year[project.year_from].append(project)
        village = village_of(project.region)
        by_village[village.name if village else "全乡镇（街道）"].append(project)
    targets = list(plan.targets.filter(region__path__startswith=township.path).select_related("programme"))
    exit_plan = list(
        households_for(user)
        .filter(village__path__startswith=township.path, planned_exit_year__isnull=False)
        .exclude(status=PovertyStatus.UNREGISTERED)
        .values("planned_exit_year")
        .annotate(
            households=Count("id", distinct=True),
            people=Count("members", distinct=True),
            exited=Count("id", filter=Q(status=PovertyStatus.EXITED), distinct=True),
        )
        .order_by("planned_exit_year")
    )
    return Roadmap(
        township,
        dict(sorted(by_year.items())),
        dict(by_village),
        targets,
        sum((p.investment for p in projects), ZERO),
        exit_plan,
    )


@dataclass
class HouseholdMeasures:
    household_id: int
    household_no: str
    head: str
    status: str
    group: str
    projects: list[Project]
    needs: list[str] = field(default_factory=list)


@dataclass
class ConstructionPlan:
    village: Region
    public_projects: list[Project]
    households: list[HouseholdMeasures]
    total_public: Decimal


def _needs(household) -> list[str]:
    """What a household still lacks, read from its registry columns (not yet exited households only)."""
    if household.status not in (PovertyStatus.POOR, PovertyStatus.RELAPSED):
        return []
    needs = []
    if household.house_grade in ("C", "D") and not household.is_relocated:
        needs.append(f"危房（{household.house_grade}级）")
    if household.has_safe_drinking_water is False:
        needs.append("饮水不安全")
    if household.uninsured:
        needs.append(f"{household.uninsured}人未参加基本医保")
    return needs


def village_construction_plan(*, user: User, village: Region, plan: Plan) -> ConstructionPlan:
    """村级施工图: the village's public projects, and per registered household the projects it benefits from
    (households read through the user's scope)."""
    projects = list(
        projects_for(user)
        .filter(programme__plan=plan, region__path__startswith=village.path)
        .select_related("programme", "region")
    )
    public = [p for p in projects if not p.is_per_household]
    households = (
        households_for(user)
        .filter(village=village, status__in=REGISTERED_STATUSES)
        .select_related("group")
        .annotate(
            uninsured=Count("members", filter=Q(members__has_medical_insurance=False), distinct=True),
            students=Count("members", filter=Q(members__schooling__in=COMPULSORY), distinct=True),
        )
        .order_by("household_no")
    )
    links: dict[int, list[Project]] = defaultdict(list)
    through = Project.households.through
    linked = through.objects.filter(household__in=households, project__programme__plan=plan).select_related(
        "project__programme"
    )
    for row in linked:
        links[row.household_id].append(row.project)
    heads = dict(
        persons_for(user)
        .filter(household__in=households, relation="head")
        .values_list("household_id", "name")
    )
    rows = [
        HouseholdMeasures(
            h.pk,
            h.household_no,
            heads.get(h.pk, ""),
            PovertyStatus(h.status).label,
            h.group.name if h.group else "",
            links.get(h.pk, []),
            _needs(h),
        )
        for h in households
    ]
    return ConstructionPlan(village, public, rows, sum((p.investment for p in public), ZERO))


# --- targets against actuals --------------------------------------------------------------------------

COMPULSORY = ("primary", "grade7", "grade8", "grade9")
SENIOR = ("senior1", "senior2", "senior3")
SECONDARY_VOCATIONAL = (
    "secondary_vocational1",
    "secondary_vocational2",
    "secondary_vocational3",
    "technician1",
    "technician2",
    "technician3",
    "technician4",
)
HIGHER = (
    "higher_vocational1",
    "higher_vocational2",
    "higher_vocational3",
    "college_plus",
    "undergraduate1",
    "undergraduate2",
    "undergraduate3",
    "undergraduate4",
    "undergraduate5",
    "postgraduate",
)
IN_COUNTY = ("in_township", "in_county")
EMPLOYED = ("in_township", "in_county", "in_province", "out_of_province")

# metric → (label of the registry computation, what is counted)
METRICS = {
    "exited_households": "登记数据：当年脱贫户数",
    "exited_people": "登记数据：当年脱贫人数",
    "exited_villages": "区划数据：当年出列贫困村数",
    "relocated_households": "登记数据：当年易地扶贫搬迁户数",
    "renovated_households": "项目数据：当年完工的危房改造项目受益户数",
    "students_compulsory": "登记数据：义务教育阶段在校生",
    "students_senior": "登记数据：高中在校生",
    "students_secondary_vocational": "登记数据：中职（含技师学院）在校生",
    "students_higher": "登记数据：高职、大专及以上在校生",
    "insured_rate": "登记数据：参加基本医保人数占比（%）",
    "employed_people": "登记数据：务工人数",
    "employed_in_county": "登记数据：县内务工人数",
    "employed_in_province": "登记数据：县外省内务工人数",
    "employed_out_of_province": "登记数据：省外务工人数",
    "dibao_people": "登记数据：享受低保人数",
    "tekun_people": "登记数据：特困供养人数",
    "returned_farmland_area": "登记数据：退耕还林面积（亩）",
    "returned_farmland_households": "登记数据：有退耕还林的户数",
}


def _village_townships() -> dict[int, int]:
    """village id → township id, for grouping registry counts by township (villages are few)."""
    townships = {r.path: r.pk for r in Region.objects.filter(level=Level.TOWNSHIP)}
    result = {}
    for pk, path in Region.objects.filter(level__gte=Level.VILLAGE).values_list("pk", "path"):
        for tpath, tid in townships.items():
            if path.startswith(tpath):
                result[pk] = tid
                break
    return result


PERSON_METRICS = {
    "students_compulsory": Q(schooling__in=COMPULSORY),
    "students_senior": Q(schooling__in=SENIOR),
    "students_secondary_vocational": Q(schooling__in=SECONDARY_VOCATIONAL),
    "students_higher": Q(schooling__in=HIGHER),
    "employed_people": Q(work_status__in=EMPLOYED),
    "employed_in_county": Q(work_status__in=IN_COUNTY),
    "employed_in_province": Q(work_status="in_province"),
    "employed_out_of_province": Q(work_status="out_of_province"),
    "dibao_people": Q(is_dibao=True),
    "tekun_people": Q(is_tekun=True),
}


def metric_table(*, user: User, year: int) -> dict[str, dict[int | None, Decimal]]:
    """Every registry metric for a year, by township id (None = the whole scope): one GROUP BY village over
    the user's households and one over their people, with conditional counts (set-based)."""
    townships = _village_townships()
    table: dict[str, dict[int | None, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))

    def add(metric: str, village_id: int, value) -> None:
        value = Decimal(value or 0)
        table[metric][townships.get(village_id)] += value
        table[metric][None] += value

    households = households_for(user).filter(status__in=REGISTERED_STATUSES)
    household_rows = households.values("village_id").annotate(
        exited_households=Count("id", filter=Q(status=PovertyStatus.EXITED, exit_year=year)),
        relocated_households=Count("id", filter=Q(is_relocated=True, relocation_year=year)),
        returned_farmland_area=Sum("returned_farmland", filter=Q(data_year=year)),
        returned_farmland_households=Count("id", filter=Q(data_year=year, returned_farmland__gt=0)),
    )
    for row in household_rows:
        for metric in ("exited_households", "relocated_households", "returned_farmland_area"):
            add(metric, row["village_id"], row[metric])
        add("returned_farmland_households", row["village_id"], row["returned_farmland_households"])
    for metric in ("returned_farmland_area",):
        for key, value in table[metric].items():
            table[metric][key] = value.quantize(Decimal("0.01"))

    renovated = (
        households.filter(
            projects__programme__code="housing",
            projects__status__in=(ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED),
            projects__year_to=year,
        )
        .values("village_id")
        .annotate(n=Count("id", distinct=True))
    )
    for row in renovated:
        add("renovated_households", row["village_id"], row["n"])

    people = persons_for(user).filter(household__status__in=REGISTERED_STATUSES)
    exited_people = Q(household__status=PovertyStatus.EXITED, household__exit_year=year)
    # the plan's person targets (转移就业 325人, 低保 292人 …) concern the people still to be lifted out of
    # poverty in the year, not every household ever registered: households exited in an earlier year are
    # not counted (counting them compared the whole registered stock with the year's cohort: 22900 %)
    cohort = Q(household__status__in=(PovertyStatus.POOR, PovertyStatus.RELAPSED)) | Q(
        household__status=PovertyStatus.EXITED, household__exit_year__gte=year
    )
    current = Q(household__data_year=year) & cohort
    person_rows = people.values("household__village_id").annotate(
        exited_people=Count("id", filter=exited_people),
        persons=Count("id", filter=current),
        insured=Count("id", filter=current & Q(has_medical_insurance=True)),
        **{metric: Count("id", filter=current & condition) for metric, condition in PERSON_METRICS.items()},
    )
    insured_totals: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for row in person_rows:
        village_id = row["household__village_id"]
        add("exited_people", village_id, row["exited_people"])
        for metric in PERSON_METRICS:
            add(metric, village_id, row[metric])
        for key in (townships.get(village_id), None):
            insured_totals[key][0] += row["persons"]
            insured_totals[key][1] += row["insured"]
    table["insured_rate"] = {
        key: (Decimal(insured) * 100 / Decimal(n)).quantize(Decimal("0.01"))
        for key, (n, insured) in insured_totals.items()
        if n
    }

    scope = scope_for(user)
    villages = Region.objects.filter(level=Level.VILLAGE, is_poor_village=True, poor_village_exit_year=year)
    if scope.region_path is None:
        villages = villages.none()
    elif not scope.everything and scope.region_path:
        villages = villages.filter(path__startswith=scope.region_path)
    for pk in villages.values_list("pk", flat=True):
        add("exited_villages", pk, 1)
    return {metric: dict(values) for metric, values in table.items()}


def metric_values(*, user: User, metric: str, year: int) -> dict[int | None, Decimal]:
    """One registry metric for a year, by township id (None = the whole scope)."""
    return metric_table(user=user, year=year).get(metric, {})


@dataclass
class TargetProgress:
    target: Target
    source: str
    actual: Decimal | None
    by_township: dict[int, Decimal | None]
    township_targets: dict[int, Decimal]
    goal: Decimal | None  # the part of the target that applies to the user's area (None: not broken down)

    @property
    def rate(self) -> Decimal | None:
        if self.goal is None:
            return None
        return completion_rate(self.goal, self.actual, self.target.direction)

    def township_rate(self, township_id: int) -> Decimal | None:
        goal = self.township_targets.get(township_id)
        return None if goal is None else completion_rate(goal, self.by_township.get(township_id), "at_least")


def completion_rate(goal: Decimal, actual: Decimal | None, direction: str) -> Decimal | None:
    """完成率 in percent. An upper limit (零辍学) is met while the actual stays at or below it."""
    if actual is None:
        return None
    if direction == "at_most":
        return Decimal(100) if actual <= goal else ZERO
    if goal == 0:
        return Decimal(100)
    return (actual * 100 / goal).quantize(Decimal("0.1"))


def target_progress(*, user: User, plan: Plan, year: int) -> tuple[list[TargetProgress], list[Region]]:
    """Each target of the plan with its actual for the year: computed from the registry where the target
    names a metric, otherwise the figures the responsible units recorded (summed over townships)."""
    townships = list(regions_for(user, level=Level.TOWNSHIP))
    scope = scope_for(user)
    targets = list(
        plan.targets.filter(parent__isnull=True, year_from__lte=year, year_to__gte=year)
        .select_related("programme", "figure")
        .prefetch_related("parts__region")
        .order_by("programme__order", "id")
    )
    recorded = defaultdict(dict)
    actual_rows = TargetActual.objects.filter(target__in=targets, year=year).select_related("region")
    if not scope.everything and scope.region_path:
        actual_rows = actual_rows.filter(region__path__startswith=scope.region_path)
    elif scope.region_path is None:
        actual_rows = actual_rows.none()
    for row in actual_rows:
        recorded[row.target_id][row.region_id] = row.value
    county_ids = set(Region.objects.filter(level=Level.COUNTY).values_list("pk", flat=True))
    whole_county = (
        scope.everything
        or scope.region_path == ""
        or (user.region is not None and user.region.level == Level.COUNTY)
    )
    metrics = metric_table(user=user, year=year) if any(t.metric for t in targets) else {}
    result = []
    for target in targets:
        township_targets = {
            part.region_id: part.value for part in target.parts.all() if part.region_id is not None
        }
        if target.metric:
            values = metrics.get(target.metric, {})
            by_township = {t.pk: values.get(t.pk, ZERO) for t in townships}
            actual = values.get(None, ZERO)
            source = METRICS.get(target.metric, target.metric)
        else:
            values = recorded.get(target.pk, {})
            by_township = {t.pk: values.get(t.pk) for t in townships}
            county_value = next((v for k, v in values.items() if k in county_ids), None)
            township_sum = [v for k, v in values.items() if k not in county_ids]
            actual = (
                county_value
                if county_value is not None
                else (sum(township_sum, ZERO) if township_sum else None)
            )
            source = "责任单位填报"
        if whole_county:
            goal = target.value
        elif len(townships) == 1 and townships[0].pk in township_targets:
            goal = township_targets[townships[0].pk]
        else:
            goal = None  # a county-wide target is not compared with one township's figure
        result.append(TargetProgress(target, source, actual, by_township, township_targets, goal))
    return result, townships


# --- need-driven plan ---------------------------------------------------------------------------------


def cost_items() -> QuerySet[CostItem]:
    return CostItem.objects.all()


def programme_by_code(plan: Plan) -> dict[str, Programme]:
    return {p.code: p for p in plan.programmes.all()}


def project_households(*, user: User, project: Project) -> QuerySet:
    """The registry households linked to a project, as far as the user may see them."""
    return (
        households_for(user)
        .filter(projects=project)
        .select_related("village", "group")
        .order_by("household_no")
    )
