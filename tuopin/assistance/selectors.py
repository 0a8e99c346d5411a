"""Reads of the assistance structure, coverage, visit plan and team presence. Household reads start from
``registry.selectors.households_for``; region-bound records are limited to the user's area."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.assistance.models import (
    CadrePairing,
    Contribution,
    LeaderPairing,
    LiaisonOfficer,
    Measure,
    Presence,
    SubCommand,
    TeamMember,
    Unit,
    UnitPairing,
    UnitReport,
    Visit,
    WorkTeam,
)
from tuopin.monitoring import selectors as monitoring_selectors
from tuopin.regions.models import Level, Region
from tuopin.registry.models import Household, HouseholdQuerySet
from tuopin.registry.selectors import households_for


def _area(user: User | None) -> str | None:
    """The region path prefix of the user's area ("" = everywhere, None = nothing); the console sees all."""
    if user is None:
        return ""
    scope = scope_for(user)
    if scope.region_path is None:
        return None
    return "" if scope.everything else scope.region_path


def _in_area(qs: QuerySet, path: str | None, field: str = "region__path") -> QuerySet:
    if path is None:
        return qs.none()
    return qs.filter(**{f"{field}__startswith": path}) if path else qs


def covers_county(user: User | None) -> bool:
    """Whether the user's area is the whole county (county-wide figures and lists are shown only then)."""
    path = _area(user)
    return path == "" or (path is not None and Region.objects.filter(path=path, level=Level.COUNTY).exists())


def monitored_households(households: QuerySet[Household]) -> QuerySet[Household]:
    """The households among ``households`` that are monitoring objects (监测对象), from the monitoring app."""
    return monitoring_selectors.monitoring_objects(households)


def open_clue_counts(households: QuerySet[Household]) -> dict[int, int]:
    """Open monitoring clues per household id (a visit that raises a clue hands it to monitoring)."""
    return monitoring_selectors.open_clue_counts(households)


# --- the structure's figures -----------------------------------------------------------------------------


def structure_figures(*, user: User | None = None) -> dict[str, int]:
    """The pairing counts, computed from the current records (``user=None``: the whole county)."""
    path = _area(user)
    units = _in_area(UnitPairing.objects.filter(end_date__isnull=True), path)
    village_ids = {
        pk if level == Level.VILLAGE else parent
        for pk, level, parent in units.values_list("region_id", "region__level", "region__parent_id")
    }
    leaders = _in_area(LeaderPairing.objects.filter(end_date__isnull=True), path)
    households = (
        households_for(user) if user is not None else cast(HouseholdQuerySet, Household.objects.all())
    )
    cadre_pairings = CadrePairing.objects.filter(
        end_date__isnull=True, household__in=households.registered().values("pk")
    )
    teams = _in_area(WorkTeam.objects.all(), path, "villages__path").distinct()
    members = TeamMember.objects.filter(end_date__isnull=True, team__in=teams)
    return {
        "paired_units": units.values("unit_id").distinct().count(),
        "paired_villages": len(village_ids),
        "paired_groups": units.filter(region__level=Level.GROUP).values("region_id").distinct().count(),
        "leaders": leaders.values("leader_id").distinct().count(),
        "leader_natural_villages": leaders.values("region_id").distinct().count(),
        "cadres": cadre_pairings.values("cadre_id").distinct().count(),
        "cadre_households": cadre_pairings.values("household_id").distinct().count(),
        "work_teams": teams.count(),
        "work_team_members": members.count(),
        "work_team_villages": _in_area(
            Region.objects.filter(
                level=Level.VILLAGE, pk__in=WorkTeam.villages.through.objects.values("region_id")
            ),
            path,
            "path",
        ).count(),
        "liaison_officers": _in_area(LiaisonOfficer.objects.all(), path, "township__path").count(),
        "sub_commands": SubCommand.objects.count(),
    }


def units_with_contributions() -> QuerySet[Unit]:
    return Unit.objects.annotate(
        total=Sum("contributions__amount"),
        villages=Count("pairings__region", filter=Q(pairings__end_date__isnull=True), distinct=True),
    ).order_by("name")


def contribution_totals(*, year: int | None = None) -> dict[str, object]:
    qs = Contribution.objects.all()
    if year:
        qs = qs.filter(year=year)
    return {row["kind"]: row["total"] for row in qs.values("kind").annotate(total=Sum("amount"))}


def sub_commands() -> QuerySet[SubCommand]:
    return SubCommand.objects.select_related("lead_unit").prefetch_related("programmes", "targets")


# --- coverage --------------------------------------------------------------------------------------------


@dataclass
class VillageGaps:
    township: str
    village: str
    households_without_cadre: int = 0
    monitored_without_cadre: int = 0
    without_team: bool = False
    without_unit: bool = False


def _current_pairing(household_ref: str = "pk"):
    return CadrePairing.objects.filter(household_id=OuterRef(household_ref), end_date__isnull=True)


def coverage(*, user: User) -> dict[str, object]:
    """Where the pairing leaves gaps, per township and village, and cadres carrying too many households."""
    path = _area(user)
    scoped = households_for(user)
    unpaired = scoped.registered().filter(~Exists(_current_pairing()))
    gaps: dict[int, VillageGaps] = {}

    def gap(village: Region) -> VillageGaps:
        if village.pk not in gaps:
            township = village.parent.name if village.parent else ""
            gaps[village.pk] = VillageGaps(township=township, village=village.name)
        return gaps[village.pk]

    counts = unpaired.values("village_id").annotate(n=Count("pk"))
    villages = {v.pk: v for v in Region.objects.filter(level=Level.VILLAGE).select_related("parent")}
    for row in counts:
        gap(villages[row["village_id"]]).households_without_cadre = row["n"]
    for row in (
        monitored_households(scoped.filter(~Exists(_current_pairing())))
        .values("village_id")
        .annotate(n=Count("pk"))
    ):
        gap(villages[row["village_id"]]).monitored_without_cadre = row["n"]
    poor = _in_area(Region.objects.filter(level=Level.VILLAGE, is_poor_village=True), path, "path")
    teamed = set(WorkTeam.villages.through.objects.values_list("region_id", flat=True))
    unit_regions = UnitPairing.objects.filter(end_date__isnull=True).values_list(
        "region_id", "region__parent_id"
    )
    with_unit = {r for pair in unit_regions for r in pair}
    for village in poor.select_related("parent"):
        if village.pk not in teamed:
            gap(village).without_team = True
        if village.pk not in with_unit:
            gap(village).without_unit = True
    limit = settings.ASSISTANCE_MAX_HOUSEHOLDS_PER_CADRE
    overloaded = (
        CadrePairing.objects.filter(end_date__isnull=True, household__in=scoped.values("pk"))
        .values("cadre_id", "cadre__full_name", "cadre__username", "cadre__work_unit")
        .annotate(n=Count("household_id"))
        .filter(n__gt=limit)
        .order_by("-n")
    )
    county_wide = covers_county(user)
    return {
        "villages": sorted(gaps.values(), key=lambda g: (g.township, g.village)),
        "households_without_cadre": unpaired.count(),
        "overloaded": list(overloaded),
        "max_households": limit,
        "sub_commands_without_lead": list(SubCommand.objects.filter(lead_unit__isnull=True))
        if county_wide
        else [],
    }


# --- the visit plan --------------------------------------------------------------------------------------


def _last_visit() -> Subquery:
    return Subquery(
        Visit.objects.filter(household_id=OuterRef("household_id"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )


def overdue_pairings(*, user: User, today: datetime.date | None = None) -> QuerySet[CadrePairing]:
    """Current pairings whose household has not been visited within the period (monitoring objects: within
    the shorter period); the period counts from the last visit, or from the pairing's start."""
    today = today or timezone.localdate()
    scoped = households_for(user)
    normal = today - datetime.timedelta(days=settings.ASSISTANCE_VISIT_PERIOD_DAYS)
    short = today - datetime.timedelta(days=settings.ASSISTANCE_MONITORED_VISIT_PERIOD_DAYS)
    monitored = monitored_households(scoped).values("pk")
    qs = (
        CadrePairing.objects.filter(end_date__isnull=True, household__in=scoped.values("pk"))
        .annotate(last_visit=_last_visit())
        .select_related("cadre", "unit", "household__village__parent")
    )
    since_normal = Q(last_visit__lt=normal) | Q(last_visit__isnull=True, start_date__lt=normal)
    since_short = Q(last_visit__lt=short) | Q(last_visit__isnull=True, start_date__lt=short)
    return qs.filter(since_normal | (Q(household__in=monitored) & since_short)).order_by(
        "household__village__path", "household__household_no"
    )


def overdue_summary(*, user: User, today: datetime.date | None = None) -> dict[str, list[dict]]:
    """Overdue households counted per cadre, per unit (the cadre's unit) and per village."""
    overdue = overdue_pairings(user=user, today=today)
    per_cadre = overdue.values("cadre__full_name", "cadre__username").annotate(n=Count("pk")).order_by("-n")
    per_unit = (
        overdue.annotate(unit_name=F("cadre__work_unit"))
        .values("unit_name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    per_village = (
        overdue.values("household__village__parent__name", "household__village__name")
        .annotate(n=Count("pk"))
        .order_by("household__village__parent__name", "household__village__name")
    )
    return {
        "cadres": [dict(r) for r in per_cadre],
        "units": [dict(r) for r in per_unit],
        "villages": [dict(r) for r in per_village],
    }


# --- a household and a cadre -----------------------------------------------------------------------------


def household_visits(*, household: Household) -> QuerySet[Visit]:
    return household.visits.select_related("cadre")


def household_measures(*, household: Household) -> QuerySet[Measure]:
    return household.measures.all()


def household_pairings(*, household: Household) -> QuerySet[CadrePairing]:
    return household.cadre_pairings.select_related("cadre", "unit").order_by("-start_date", "-pk")


#: supervision's ``ProblemStatus.CLEARED``: that app sits above this one, so its value is named here
PROBLEM_CLEARED = "cleared"


def my_households(*, cadre: User) -> list[Household]:
    """The cadre's paired households with last visit, open measures, open clues and open problems."""
    households = (
        households_for(cadre)
        .filter(
            Exists(
                CadrePairing.objects.filter(household_id=OuterRef("pk"), cadre=cadre, end_date__isnull=True)
            )
        )
        .select_related("village__parent")
        .annotate(
            last_visit=Max("visits__visited_on"),
            member_count=Count("members", distinct=True),
            open_measures=Count("measures", filter=Q(measures__is_done=False), distinct=True),
            # problems of the supervision ledger found on the household (reverse relation, no import upward)
            open_problems=Count(
                "supervision_problems", filter=~Q(supervision_problems__status=PROBLEM_CLEARED), distinct=True
            ),
        )
        .order_by("household_no")
    )
    clues = open_clue_counts(cast(QuerySet[Household], households))
    rows: list[Household] = list(households)
    for household in rows:
        household.open_clues = clues.get(household.pk, 0)  # type: ignore[attr-defined]  # an annotation
    return rows


# --- team presence and unit reports ----------------------------------------------------------------------


def presence_shortfalls(*, user: User, month: datetime.date) -> dict[str, list[dict]]:
    """Current team members below the required days in ``month``, per township (no record = 0 days)."""
    path = _area(user)
    first = month.replace(day=1)
    required = settings.ASSISTANCE_TEAM_DAYS_PER_MONTH
    days = Presence.objects.filter(member_id=OuterRef("pk"), month=first).values("days")[:1]
    members = (
        TeamMember.objects.filter(end_date__isnull=True, start_date__lt=first + datetime.timedelta(days=28))
        .annotate(days=Subquery(days))
        .filter(Q(days__lt=required) | Q(days__isnull=True))
        .select_related("team", "unit")
        .prefetch_related("team__villages__parent")
        .order_by("team__name", "name")
    )
    per_township: dict[str, list[dict]] = defaultdict(list)
    for member in members:
        villages = [v for v in member.team.villages.all() if path is not None and v.path.startswith(path)]
        if not villages:
            continue
        township = villages[0].parent.name if villages[0].parent else ""
        per_township[township].append(
            {"member": member, "days": member.days or 0, "villages": "、".join(v.name for v in villages)}
        )
    return dict(sorted(per_township.items()))


def team_members_for(*, user: User) -> QuerySet[TeamMember]:
    """Current team members of the teams in the user's area."""
    path = _area(user)
    teams = _in_area(WorkTeam.objects.all(), path, "villages__path").values("pk")
    return TeamMember.objects.filter(end_date__isnull=True, team__in=teams).select_related("team")


def units_missing_report(*, month: datetime.date) -> QuerySet[Unit]:
    """Pairing units (with a current village pairing) that have not sent their material for ``month``."""
    first = month.replace(day=1)
    return (
        Unit.objects.filter(Exists(UnitPairing.objects.filter(unit_id=OuterRef("pk"), end_date__isnull=True)))
        .exclude(Exists(UnitReport.objects.filter(unit_id=OuterRef("pk"), month=first)))
        .order_by("name")
    )
