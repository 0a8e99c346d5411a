"""Reads of households and people. Every read that serves a user starts from ``households_for`` or
``persons_for``: the one place where a user's jurisdiction (area, or paired households) is applied."""

import datetime
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from tuopin.accounts.jurisdiction import Scope, scope_for
from tuopin.accounts.models import User
from tuopin.core.history import history_entries
from tuopin.regions.models import Region
from tuopin.registry import codes
from tuopin.registry.models import (
    NOT_EXITED_STATUSES,
    REGISTERED_STATUSES,
    Household,
    HouseholdQuerySet,
    MemberChange,
    Person,
    PovertyStatus,
    ProcedureCase,
    ProcedureStep,
)
from tuopin.registry.validation import HOUSEHOLD_CODED, PERSON_CODED

#: the household list's status filters beyond the statuses themselves
REGISTERED = "registered"  # 建档立卡: every status but 卡外 (the list's default)
NOT_EXITED = "not_exited"  # 未脱贫 and 返贫
ALL = "all"  # 卡外 included
#: the 与户主关系 codes that lead the member list (code list ``relation``)
HEAD, SPOUSE = "head", "spouse"
EXITED, RELAPSED, UNREGISTERED = PovertyStatus.EXITED, PovertyStatus.RELAPSED, PovertyStatus.UNREGISTERED


def _scoped_households(scope: Scope) -> HouseholdQuerySet:
    if scope.region_path is None:
        return cast(HouseholdQuerySet, Household.objects.none())
    qs = cast(HouseholdQuerySet, Household.objects.all())
    if not scope.everything and scope.region_path:
        qs = qs.filter(village__path__startswith=scope.region_path)
    if scope.cadre_id is not None:
        qs = qs.filter(responsible_cadre_id=scope.cadre_id)
    return qs


def households_for(user: User) -> HouseholdQuerySet:
    """All households the user may see."""
    return _scoped_households(scope_for(user))


def persons_for(user: User) -> QuerySet[Person]:
    """All people the user may see (members of the households the user may see)."""
    return Person.objects.filter(household__in=households_for(user).values("pk"))


def household_get(*, user: User, pk: int) -> Household:
    """One household within the user's jurisdiction, or 404 (never 403: existence is not disclosed)."""
    household = (
        households_for(user)
        .select_related("village__parent", "group", "responsible_cadre")
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise Http404("没有找到该农户，或不在您的辖区内")
    return household


def person_get(*, user: User, pk: int) -> Person:
    person = persons_for(user).select_related("household").filter(pk=pk).first()
    if person is None:
        raise Http404("没有找到该人员，或不在您的辖区内")
    return person


@dataclass(frozen=True)
class HouseholdFilters:
    region_id: int | None = None
    status: str = ""
    cause: str = ""
    attribute: str = ""
    query: str = ""
    planned_exit_year: int | None = None


def household_list(*, user: User, filters: HouseholdFilters | None = None) -> HouseholdQuerySet:
    """The household list as shown: scoped, filtered, with member counts, ordered by 户编号."""
    filters = filters or HouseholdFilters()
    qs = households_for(user)
    if filters.region_id:
        region = Region.objects.filter(pk=filters.region_id).first()
        qs = qs.filter(village__path__startswith=region.path) if region else qs.none()
    if filters.status == REGISTERED:
        qs = qs.registered()
    elif filters.status == NOT_EXITED:
        qs = qs.filter(status__in=NOT_EXITED_STATUSES)
    elif filters.status and filters.status != ALL:
        qs = qs.filter(status=filters.status)
    if filters.cause:
        qs = qs.filter(main_cause=filters.cause)
    if filters.attribute:
        qs = qs.filter(attribute=filters.attribute)
    if filters.planned_exit_year:
        qs = qs.filter(planned_exit_year=filters.planned_exit_year)
    if filters.query:
        text = filters.query.strip()
        qs = qs.filter(
            Q(household_no__icontains=text)
            | Q(members__name__icontains=text)
            | Q(members__id_number__icontains=text)
        ).distinct()
    return (
        qs.select_related("village__parent", "group")
        .annotate(
            member_count=Count("members", distinct=True),
            head_name=Subquery(
                Person.objects.filter(household=OuterRef("pk"), relation=HEAD).values("name")[:1]
            ),
        )
        .order_by("household_no")
    )


def registry_figures(households: QuerySet[Household], *, plan_year: int) -> dict[str, int]:
    """Households and people by status, in two aggregate queries (no loop over households)."""
    not_exited = Q(status__in=NOT_EXITED_STATUSES)
    registered = Q(status__in=REGISTERED_STATUSES)
    planned = not_exited & Q(planned_exit_year=plan_year)
    h = households.aggregate(
        registered_households=Count("pk", filter=registered),
        exited_households=Count("pk", filter=Q(status=EXITED)),
        not_exited_households=Count("pk", filter=not_exited),
        relapsed_households=Count("pk", filter=Q(status=RELAPSED)),
        planned_exit_households=Count("pk", filter=planned),
        unregistered_households=Count("pk", filter=Q(status=UNREGISTERED)),
    )
    people = Person.objects.filter(household__in=households.values("pk"))

    p = people.aggregate(
        registered_people=Count("pk", filter=Q(household__status__in=REGISTERED_STATUSES)),
        exited_people=Count("pk", filter=Q(household__status=EXITED)),
        not_exited_people=Count("pk", filter=Q(household__status__in=NOT_EXITED_STATUSES)),
        relapsed_people=Count("pk", filter=Q(household__status=RELAPSED)),
        planned_exit_people=Count(
            "pk", filter=Q(household__status__in=NOT_EXITED_STATUSES, household__planned_exit_year=plan_year)
        ),
        unregistered_people=Count("pk", filter=Q(household__status=UNREGISTERED)),
    )
    return {"plan_year": plan_year, **h, **p}


def latest_data_year(households: QuerySet[Household]) -> int | None:
    return households.aggregate(year=Max("data_year"))["year"]


def household_history(*, household: Household) -> list:
    """Changes of the household and of its members (including removed members), newest first."""
    records = list(household.history.select_related("history_user").order_by("-history_date", "-history_id"))
    member_records = list(
        Person.history.filter(household_id=household.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )

    def label_in(coded):
        return lambda field, value: codes.label(coded[field], value) if field in coded else None

    entries = history_entries(records, lambda r: "农户信息", label_in(HOUSEHOLD_CODED)) + history_entries(
        member_records, lambda r: f"成员 {r.name}", label_in(PERSON_CODED)
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def household_members(*, household: Household) -> list[Person]:
    """Members in the order of the national form: head, spouse, then the others by age."""
    relation_order = {HEAD: 0, SPOUSE: 1}
    members = list(household.members.all())
    members.sort(key=lambda p: (relation_order.get(p.relation, 2), p.birth_date or datetime.date.min))
    return members


def household_procedures(*, household: Household) -> list:
    """The household's 纳入 / 返贫 / 历史数据迁入 records, newest first, each with its steps and who took them."""
    steps = ProcedureStep.objects.select_related("by").order_by("id")
    return list(
        ProcedureCase.objects.filter(household=household)
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("-created_at", "-id")
    )


def household_member_changes(*, household: Household) -> list:
    return list(
        MemberChange.objects.filter(household=household).select_related("by").order_by("-on_date", "-id")
    )
