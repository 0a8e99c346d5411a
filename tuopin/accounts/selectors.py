"""Reads for the account pages: users, failed logins (django-axes) and the access log."""

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import Q, QuerySet
from django.utils import timezone

from tuopin.accounts.models import AccessRecord, Role, User, UserChange
from tuopin.regions.models import Region


@dataclass(frozen=True)
class UserFilters:
    role: str = ""
    region: Region | None = None
    active: str = ""  # "", "1", "0"
    query: str = ""


def user_list(*, filters: UserFilters | None = None) -> QuerySet[User]:
    """Real accounts (not the console actor), filtered; a region filter includes the regions below it."""
    filters = filters or UserFilters()
    qs = User.objects.exclude(role=Role.CONSOLE).select_related("region")
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.region is not None:
        qs = qs.filter(region__path__startswith=filters.region.path)
    if filters.active in ("0", "1"):
        qs = qs.filter(is_active=filters.active == "1")
    if filters.query:
        qs = qs.filter(Q(username__icontains=filters.query) | Q(full_name__icontains=filters.query))
    return qs.order_by("role", "username")


def user_get(*, pk: int) -> User | None:
    return User.objects.exclude(role=Role.CONSOLE).select_related("region").filter(pk=pk).first()


def user_changes(*, user: User) -> QuerySet[UserChange]:
    return user.changes.select_related("by").order_by("-at", "-pk")


def login_failures(*, username: str = "") -> QuerySet[AccessFailureLog]:
    """Every failed login kept by django-axes (kept after a lockout ends), newest first."""
    qs = AccessFailureLog.objects.order_by("-attempt_time")
    if username:
        qs = qs.filter(username__iexact=username)
    return qs


def current_lockouts() -> list[AccessAttempt]:
    """Username + address combinations with failures counted now (a lock applies to that combination only)."""
    return list(AccessAttempt.objects.order_by("-attempt_time"))


@dataclass(frozen=True)
class AccessFilters:
    username: str = ""
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def access_records(*, filters: AccessFilters | None = None) -> QuerySet[AccessRecord]:
    """The access log, newest first; dates are local calendar days (Asia/Shanghai)."""
    filters = filters or AccessFilters()
    qs = AccessRecord.objects.select_related("user")
    if filters.username:
        qs = qs.filter(user__username__iexact=filters.username)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(at__gte=datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=zone))
    if filters.date_to:
        end = datetime.datetime.combine(
            filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        qs = qs.filter(at__lt=end)
    return qs.order_by("-at", "-pk")
