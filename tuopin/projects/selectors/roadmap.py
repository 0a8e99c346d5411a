"""乡级路线图 and 村级施工图: the villages with projects, a township's projects by year and village with its
targets and exit plan, and a village's public projects and per-household measures."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from tuopin.accounts.models import User
from tuopin.projects.models import Plan, Project, Target
from tuopin.projects.selectors.projects import projects_for, regions_for, village_of
from tuopin.regions.models import Level, Region
from tuopin.registry.models import NOT_EXITED_STATUSES, REGISTERED_STATUSES, Household, PovertyStatus
from tuopin.registry.selectors import households_for, persons_for

ZERO = Decimal(0)
#: house grades (危房等级) that call for renovation unless the household was relocated
UNSAFE_HOUSE_GRADES = ("C", "D")


def villages_with_projects(*, user: User, plan: Plan | None) -> list[Region]:
    """村级施工图的村: the villages of the user's area with a project of the plan placed in the village itself
    or in one of its natural villages / groups (a project's place rolls up to its village)."""
    visible = projects_for(user).filter(region__level__gte=Level.VILLAGE)
    if plan is not None:
        visible = visible.filter(programme__plan=plan)
    paths = set(visible.values_list("region__path", flat=True))
    # a path is the chain of codes, each ending in "/": county/township/village/[group/]
    village_paths = {"".join(f"{code}/" for code in path.split("/")[: Level.VILLAGE]) for path in paths}
    villages = regions_for(user, level=Level.VILLAGE).select_related("parent")
    return [v for v in villages if v.path in village_paths]


@dataclass(frozen=True)
class ExitYear:
    """Registered households planned to exit in a year: how many, their people, how many have exited."""

    planned_exit_year: int
    households: int
    people: int
    exited: int


@dataclass
class Roadmap:
    township: Region
    by_year: dict[int, list[Project]]
    by_village: dict[str, list[Project]]
    targets: list[Target]
    total: Decimal
    exit_plan: list[ExitYear]  # per planned exit year: households and people still to exit (registry)


def _exit_plan(user: User, township: Region) -> list[ExitYear]:
    rows = (
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
    return [
        ExitYear(int(r["planned_exit_year"] or 0), r["households"], r["people"], r["exited"]) for r in rows
    ]


def township_roadmap(*, user: User, township: Region, plan: Plan) -> Roadmap:
    """乡级路线图: the township's projects by year and by village, and the targets stated for it."""
    projects = list(
        projects_for(user)
        .filter(programme__plan=plan)
        .in_region_path(township.path)
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
    return Roadmap(
        township,
        dict(sorted(by_year.items())),
        dict(by_village),
        targets,
        sum((p.investment for p in projects), ZERO),
        _exit_plan(user, township),
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


def household_needs(household: Household, uninsured: int) -> list[str]:
    """What a household still lacks, read from its registry columns (not yet exited households only)."""
    if household.status not in NOT_EXITED_STATUSES:
        return []
    needs = []
    if household.house_grade in UNSAFE_HOUSE_GRADES and not household.is_relocated:
        needs.append(f"危房（{household.house_grade}级）")
    if household.has_safe_drinking_water is False:
        needs.append("饮水不安全")
    if uninsured:
        needs.append(f"{uninsured}人未参加基本医保")
    return needs


def _household_links(households: Sequence[Household], plan: Plan) -> dict[int, list[Project]]:
    links: dict[int, list[Project]] = defaultdict(list)
    through = Project.households.through
    linked = through.objects.filter(household__in=households, project__programme__plan=plan).select_related(
        "project__programme"
    )
    for row in linked:
        links[row.household_id].append(row.project)
    return links


def village_construction_plan(*, user: User, village: Region, plan: Plan) -> ConstructionPlan:
    """村级施工图: the village's public projects, and per registered household the projects it benefits from
    (households read through the user's scope)."""
    projects = list(
        projects_for(user)
        .filter(programme__plan=plan)
        .in_region_path(village.path)
        .select_related("programme", "region")
    )
    public = [p for p in projects if not p.is_per_household]
    households = list(
        households_for(user)
        .filter(village=village, status__in=REGISTERED_STATUSES)
        .select_related("group")
        .annotate(uninsured=Count("members", filter=Q(members__has_medical_insurance=False), distinct=True))
        .order_by("household_no")
    )
    links = _household_links(households, plan)
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
            str(PovertyStatus(h.status).label),
            h.group.name if h.group else "",
            links.get(h.pk, []),
            household_needs(h, h.uninsured),
        )
        for h in households
    ]
    return ConstructionPlan(village, public, rows, sum((p.investment for p in public), ZERO))
