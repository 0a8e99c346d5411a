"""The project library: the current plan, the projects a user may see, one project, the filtered list, and
the regions of the user's area the project pages name. Projects are scoped by place with the same
jurisdiction as households (``accounts.jurisdiction.scope_for``)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.projects.models import CostItem, Plan, Programme, Project, ProjectQuerySet
from tuopin.regions.models import Level, Region
from tuopin.registry.models import Household
from tuopin.registry.selectors import households_for


def plan_current(version: str | None = None) -> Plan | None:
    qs = Plan.objects.all()
    if version:
        return qs.filter(version=version).first()
    return qs.order_by("-loaded_at").first()


def projects_for(user: User) -> ProjectQuerySet:
    """All projects the user may see: those placed within the user's area. Projects placed at county level
    or not placed in the region tree are seen by county users only. An assistance cadre sees the projects
    placed in the villages of their paired households and those linked to a paired household (none when
    nothing is paired); township-level projects are not theirs to see."""
    scope = scope_for(user)
    qs: ProjectQuerySet = Project.objects.all()
    if scope.region_path is None:
        return qs.none()
    if scope.cadre_id is not None:
        paired = households_for(user)
        places = Q(households__in=paired.values("pk"))
        for path in set(paired.values_list("village__path", flat=True)):
            places |= Q(region__path__startswith=path)
        return qs.filter(pk__in=qs.filter(places).values("pk"))
    if scope.everything or scope.region_path == "":
        return qs
    return qs.in_region_path(scope.region_path)


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


def project_list(*, user: User, filters: ProjectFilters | None = None) -> ProjectQuerySet:
    filters = filters or ProjectFilters()
    qs = projects_for(user)
    if filters.plan_id:
        qs = qs.filter(programme__plan_id=filters.plan_id)
    if filters.programme_id:
        qs = qs.filter(programme_id=filters.programme_id)
    if filters.region_id:
        region = Region.objects.filter(pk=filters.region_id).first()
        qs = qs.in_region_path(region.path) if region else qs.none()
    if filters.year:
        qs = qs.active_in(filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.query:
        text = filters.query.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(place_text__icontains=text) | Q(seed_key__icontains=text))
    return qs.select_related("programme", "region__parent__parent").order_by("programme__order", "id")


def project_households(*, user: User, project: Project) -> QuerySet[Household]:
    """The registry households linked to a project, as far as the user may see them."""
    return (
        households_for(user)
        .filter(projects=project)
        .select_related("village", "group")
        .order_by("household_no")
    )


def township_of(region: Region | None) -> Region | None:
    return region.ancestor_at(Level.TOWNSHIP) if region is not None else None


def village_of(region: Region | None) -> Region | None:
    return region.ancestor_at(Level.VILLAGE) if region is not None else None


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


def cost_items() -> QuerySet[CostItem]:
    return CostItem.objects.all()


def programme_by_code(plan: Plan) -> dict[str, Programme]:
    return {p.code: p for p in plan.programmes.all()}
