"""Figures of the county, township and village dashboards. Every figure starts from the jurisdiction-scoped
selectors of the other apps (``households_for``, ``persons_for``, ``cases_for``, ``clues_for``,
``projects_for``, ``problems_for``, ``overdue_pairings``) and is then narrowed to one region's subtree, so a
user never sees more than their own area, whatever region they ask for."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from tuopin.accounts.jurisdiction import regions_visible
from tuopin.accounts.models import User
from tuopin.assessment.models import AssessmentRun, Colour, HouseholdResult
from tuopin.assessment.selectors import latest_run, run_results
from tuopin.assistance.selectors import overdue_pairings
from tuopin.monitoring.models import Stage
from tuopin.monitoring.selectors import cases_for, clues_for
from tuopin.projects.models import Channel, ProjectFunding
from tuopin.projects.selectors import projects_for
from tuopin.regions.models import Level, Region
from tuopin.registry import codes
from tuopin.registry.models import Household, HouseholdQuerySet, Person, PovertyStatus
from tuopin.registry.selectors import households_for, persons_for
from tuopin.supervision.selectors import problems_for


@dataclass
class Dashboard:
    region: Region
    households: int = 0
    people: int = 0
    by_status: list[dict] = field(default_factory=list)
    by_cause: list[dict] = field(default_factory=list)
    by_colour: list[dict] = field(default_factory=list)
    by_year: list[dict] = field(default_factory=list)
    children: list[dict] = field(default_factory=list)
    monitoring: dict = field(default_factory=dict)
    investment: list[dict] = field(default_factory=list)
    investment_total: Decimal = Decimal(0)
    problems: dict = field(default_factory=dict)
    visits_overdue: int = 0


def region_households(*, user: User, region: Region) -> HouseholdQuerySet:
    """The user's households within ``region`` (a scoped subset, never more than ``households_for``)."""
    return households_for(user).filter(village__path__startswith=region.path)


def dashboard_region(*, user: User, pk: int) -> Region:
    """A county, township or village the user may see, or 404."""
    region = regions_visible(user).filter(pk=pk, level__lte=Level.VILLAGE).first()
    if region is None:
        raise Http404("没有找到该区划，或不在您的辖区内")
    return region


def landing_region(*, user: User) -> Region | None:
    """The user's own level: their region, then down while only one child holds households they see (a
    cadre whose paired households are all in one village lands on that village)."""
    visible = regions_visible(user).filter(level__lte=Level.VILLAGE)
    region = visible.filter(pk=user.region_id).first() if user.region_id else None
    region = region or visible.order_by("level", "path").first()
    while region is not None and region.level < Level.VILLAGE:
        children = _children_with_households(user=user, region=region)
        if len(children) != 1:
            break
        region = children[0]
    return region


def _children_with_households(*, user: User, region: Region) -> list[Region]:
    children = list(Region.objects.filter(parent=region, level__lte=Level.VILLAGE).order_by("path"))
    paths = set(region_households(user=user, region=region).values_list("village__path", flat=True))
    return [child for child in children if any(p.startswith(child.path) for p in paths)]


def _by_status(households: QuerySet[Household], people: QuerySet[Person]) -> list[dict]:
    hh = dict(households.values_list("status").annotate(n=Count("pk")))
    pp = dict(people.values_list("household__status").annotate(n=Count("pk")))
    return [
        {
            "key": status.value,
            "label": str(status.label),
            "households": hh[status.value],
            "people": pp.get(status.value, 0),
        }
        for status in PovertyStatus
        if hh.get(status.value)
    ]


def _by_cause(households: QuerySet[Household], people: QuerySet[Person]) -> list[dict]:
    hh = dict(households.exclude(main_cause="").values_list("main_cause").annotate(n=Count("pk")))
    pp = dict(
        people.exclude(household__main_cause="").values_list("household__main_cause").annotate(n=Count("pk"))
    )
    rows = [
        {"key": key, "label": codes.label("cause", key) or key, "households": n, "people": pp.get(key, 0)}
        for key, n in hh.items()
    ]
    return sorted(rows, key=lambda row: -row["households"])


def colour_run() -> AssessmentRun | None:
    """The run whose stored colours are the households' current 五色卡: the latest county-wide exit run of this
    year, else of last year."""
    year = timezone.localdate().year
    return latest_run(year=year) or latest_run(year=year - 1)


def households_of_colour(*, user: User, colour: str) -> QuerySet[Household]:
    """The user's households whose current colour card (in ``colour_run``) is ``colour``."""
    run = colour_run()
    if run is None:
        return Household.objects.none()
    coloured = run_results(run=run, user=user).filter(colour=colour).values("household_id")
    return households_for(user).filter(pk__in=coloured)


def _by_colour(households: QuerySet[Household]) -> list[dict]:
    """Colour cards of the latest exit run of the current year (the households' current colour)."""
    run = colour_run()
    if run is None:
        return []
    counts = dict(
        HouseholdResult.objects.filter(run=run, household__in=households.values("pk"))
        .exclude(colour="")
        .values_list("colour")
        .annotate(n=Count("pk"))
    )
    return [
        {"key": c.value, "label": str(c.label), "households": counts[c.value]}
        for c in Colour
        if counts.get(c.value)
    ]


def _by_year(households: QuerySet[Household]) -> list[dict]:
    """Per year: households identified, planned to exit (the plan) and exited (progress against it)."""
    identified = dict(
        households.exclude(identification_year=None)
        .values_list("identification_year")
        .annotate(n=Count("pk"))
    )
    planned = dict(
        households.exclude(planned_exit_year=None).values_list("planned_exit_year").annotate(n=Count("pk"))
    )
    exited = dict(
        households.filter(status=PovertyStatus.EXITED)
        .exclude(exit_year=None)
        .values_list("exit_year")
        .annotate(n=Count("pk"))
    )
    years = sorted(set(identified) | set(planned) | set(exited))
    return [
        {
            "year": y,
            "identified": identified.get(y, 0),
            "planned": planned.get(y, 0),
            "exited_households": exited.get(y, 0),
        }
        for y in years
    ]


def _investment(*, user: User, region: Region) -> tuple[list[dict], Decimal]:
    """Planned investment of the user's projects placed in ``region``, by programme, with the funding by
    source and the part no source covers yet (the gap)."""
    projects = projects_for(user).filter(region__path__startswith=region.path)
    planned = {
        row["programme__name"]: row["total"] or Decimal(0)
        for row in projects.values("programme__name").annotate(total=Sum("investment"))
    }
    funded: dict[str, dict[str, Decimal]] = {}
    for row in (
        ProjectFunding.objects.filter(project__in=projects.values("pk"))
        .values("project__programme__name", "channel")
        .annotate(total=Sum("amount"))
    ):
        funded.setdefault(row["project__programme__name"], {})[row["channel"]] = row["total"]
    rows = []
    for name, total in sorted(planned.items(), key=lambda item: -item[1]):
        by_channel = funded.get(name, {})
        sources = {
            str(c.label): by_channel.get(c.value, Decimal(0)) for c in Channel if c != Channel.UNSPECIFIED
        }
        gap = max(total - sum(sources.values(), Decimal(0)), Decimal(0))
        rows.append({"programme": name, "investment": total, "sources": sources, "gap": gap})
    return rows, sum(planned.values(), Decimal(0))


def _monitoring(*, user: User, households: QuerySet[Household]) -> dict:
    cases = cases_for(user).filter(household__in=households.values("pk"))
    clues = clues_for(user).filter(household__in=households.values("pk"))
    return {
        "objects": cases.filter(stage=Stage.OBJECT).count(),
        "in_procedure": cases.exclude(stage__in=(Stage.OBJECT, Stage.DISMISSED)).count(),
        "clues": clues.count(),
    }


def _problems(*, user: User, region: Region) -> dict:
    problems = problems_for(user)
    if (
        region.level > Level.COUNTY
    ):  # at county level the problems found on county bodies (no region) count too
        problems = problems.filter(region__path__startswith=region.path)
    return {
        "region_id": region.pk if region.level > Level.COUNTY else None,
        "open": problems.still_open().count(),
        "overdue": problems.overdue(timezone.localdate()).count(),
    }


def _children(*, user: User, region: Region) -> list[dict]:
    """The next level down (townships of a county, villages of a township), each with households and people by
    exit status and its exit readiness (share of its registered households that have exited)."""
    if region.level >= Level.VILLAGE:
        return []
    rows = []
    for child in _children_with_households(user=user, region=region):
        households = region_households(user=user, region=child).registered()
        total = households.count()
        exited = households.filter(status=PovertyStatus.EXITED).count()
        people = persons_for(user).filter(household__in=households.values("pk")).count()
        rows.append(
            {
                "pk": child.pk,
                "name": child.name,
                "households": total,
                "people": people,
                "exited_households": exited,
                "not_exited": total - exited,
                "readiness": exited / total if total else None,
            }
        )
    return rows


def dashboard(*, user: User, region: Region) -> Dashboard:
    """Every figure of one region's dashboard, for this user."""
    households = region_households(user=user, region=region)
    people = persons_for(user).filter(household__in=households.values("pk"))
    registered = households.registered()
    registered_people = people.filter(household__in=registered.values("pk"))
    investment, total = _investment(user=user, region=region)
    return Dashboard(
        region=region,
        households=registered.count(),
        people=registered_people.count(),
        by_status=_by_status(households, people),
        by_cause=_by_cause(registered, registered_people),
        by_colour=_by_colour(registered),
        by_year=_by_year(registered),
        children=_children(user=user, region=region),
        monitoring=_monitoring(user=user, households=households),
        investment=investment,
        investment_total=total,
        problems=_problems(user=user, region=region),
        visits_overdue=overdue_pairings(user=user)
        .filter(household__village__path__startswith=region.path)
        .count(),
    )
