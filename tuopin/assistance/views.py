"""Pages of the assistance structure: thin views over the selectors and services."""

import datetime
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import ModelChoiceField
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tuopin.accounts.models import Role, User
from tuopin.accounts.permissions import may
from tuopin.assistance import selectors, services
from tuopin.assistance.forms import (
    MeasureDoneForm,
    MeasureForm,
    MonthForm,
    PairForm,
    PresenceForm,
    UnitReportForm,
    VisitForm,
)
from tuopin.assistance.models import ContributionKind, Measure, Visit
from tuopin.core.errors import ApplicationError
from tuopin.core.tables import Column, table_page
from tuopin.registry.selectors import household_get

OVERDUE_COLUMNS = (
    Column("no", "户编号", ("household__household_no",)),
    Column("village", "行政村", ("household__village__path", "household__household_no")),
    Column("cadre", "帮扶责任人", ("cadre__full_name", "cadre__username", "household__household_no")),
    Column("last_visit", "最近走访", ("last_visit", "household__household_no")),
)


def _deny_unless(user: User, name: str, target=None) -> None:
    if not may(user, name, target):
        raise PermissionDenied


def _service_errors(form, error: ApplicationError) -> None:
    if not error.errors:
        form.add_error(None, error.message)
        return
    for field, errors in error.errors.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def _month(request) -> datetime.date:
    form = MonthForm(request.GET)
    month = form.cleaned_data.get("month") if form.is_valid() else None
    today = timezone.localdate()
    return (month or (today.replace(day=1) - datetime.timedelta(days=1))).replace(day=1)


def structure(request):
    _deny_unless(request.user, "assistance.view_structure")
    context = {"figures": selectors.structure_figures(user=request.user), "county_wide": False}
    if selectors.covers_county(request.user):  # county-wide lists only for county-wide users
        totals = selectors.contribution_totals()
        context.update(
            county_wide=True,
            units=selectors.units_with_contributions(),
            totals=[(kind.label, totals.get(kind.value)) for kind in ContributionKind],
            sub_commands=selectors.sub_commands(),
        )
    return TemplateResponse(request, "assistance/structure.html", context)


def coverage(request):
    _deny_unless(request.user, "assistance.view_structure")
    return TemplateResponse(request, "assistance/coverage.html", selectors.coverage(user=request.user))


def overdue(request):
    _deny_unless(request.user, "assistance.view_structure")
    pairings = selectors.overdue_pairings(user=request.user)
    context = {
        "summary": selectors.overdue_summary(user=request.user),
        "table": table_page(request, pairings, columns=OVERDUE_COLUMNS, default="village"),
    }
    return TemplateResponse(request, "assistance/overdue.html", context)


def my_households(request):
    _deny_unless(request.user, "assistance.view_own_households")
    context = {
        "households": selectors.my_households(cadre=request.user),
        "overdue_ids": set(
            selectors.overdue_pairings(user=request.user).values_list("household_id", flat=True)
        ),
    }
    return TemplateResponse(request, "assistance/mine.html", context)


def household_visits(request, pk: int):
    """The household page's section: pairing history, visits and the assistance plan (HTMX partial)."""
    household = household_get(user=request.user, pk=pk)
    _deny_unless(request.user, "assistance.view_visits", household)
    context = {
        "household": household,
        "visits": selectors.household_visits(household=household),
        "measures": selectors.household_measures(household=household),
        "pairings": selectors.household_pairings(household=household),
        "can_visit": may(request.user, "assistance.record_visit", household),
        "can_measure": may(request.user, "assistance.manage_measures", household),
        "can_pair": may(request.user, "assistance.manage_pairings", household),
        "measure_form": MeasureForm(),
    }
    return TemplateResponse(request, "assistance/_household_visits.html", context)


@require_http_methods(["GET", "POST"])
def visit_create(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    _deny_unless(request.user, "assistance.record_visit", household)
    form = VisitForm(
        request.POST or None, request.FILES or None, initial={"visited_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(
                household=household,
                by=request.user,
                visited_on=data["visited_on"],
                met=data["met"],
                findings=data["findings"],
                measures_agreed=data["measures_agreed"],
                follow_up_on=data["follow_up_on"],
                photo=data["photo"] or None,
                raises_clue=data["raises_clue"],
                clue_reason=data["clue_reason"],
            )
        except ApplicationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "走访记录已保存")
            return redirect("registry:detail", pk=household.pk)
    return TemplateResponse(request, "assistance/visit_form.html", {"form": form, "household": household})


def visit_photo(request, pk: int):
    visit = get_object_or_404(Visit.objects.select_related("household"), pk=pk)
    household = household_get(user=request.user, pk=visit.household_id)
    _deny_unless(request.user, "assistance.view_visits", household)
    if not visit.photo:
        raise Http404
    return FileResponse(visit.photo.open("rb"), filename=(visit.photo.name or "").rsplit("/", 1)[-1])


@require_POST
def measure_create(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            services.measure_create(household=household, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "帮扶措施已添加")
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    return redirect("registry:detail", pk=household.pk)


@require_POST
def measure_done(request, pk: int):
    measure = get_object_or_404(Measure, pk=pk)
    household = household_get(user=request.user, pk=measure.household_id)
    form = MeasureDoneForm(request.POST)
    if form.is_valid():
        try:
            services.measure_set_done(
                measure=measure,
                version=form.cleaned_data["version"],
                is_done=form.cleaned_data["is_done"],
                by=request.user,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
    return redirect("registry:detail", pk=household.pk)


@require_http_methods(["GET", "POST"])
def household_pair(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    _deny_unless(request.user, "assistance.manage_pairings", household)
    cadres = User.objects.filter(role=Role.CADRE, is_active=True).order_by("username")
    form = PairForm(request.POST or None, cadres=cadres, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_pair(household=household, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "结对帮扶已保存")
            return redirect("registry:detail", pk=household.pk)
    return TemplateResponse(request, "assistance/pair_form.html", {"form": form, "household": household})


@require_http_methods(["GET", "POST"])
def presence(request):
    _deny_unless(request.user, "assistance.view_structure")
    month = _month(request)
    form = PresenceForm(request.POST or None, initial={"month": month})
    cast(ModelChoiceField, form.fields["member"]).queryset = selectors.team_members_for(user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.presence_record(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "在村天数已登记")
            return redirect(f"{request.path}?month={form.cleaned_data['month']:%Y-%m-%d}")
    context = {
        "month": month,
        "required": settings.ASSISTANCE_TEAM_DAYS_PER_MONTH,
        "shortfalls": selectors.presence_shortfalls(user=request.user, month=month),
        "form": form,
        "can_record": may(request.user, "assistance.record_presence", request.user.region),
    }
    return TemplateResponse(request, "assistance/presence.html", context)


@require_http_methods(["GET", "POST"])
def unit_reports(request):
    _deny_unless(request.user, "assistance.view_structure")
    if not selectors.covers_county(request.user):
        raise PermissionDenied
    month = _month(request)
    form = UnitReportForm(request.POST or None, initial={"month": month, "received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_report_record(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "月报已登记")
            return redirect(f"{request.path}?month={form.cleaned_data['month']:%Y-%m-%d}")
    context = {
        "month": month,
        "missing": selectors.units_missing_report(month=month),
        "form": form,
        "can_record": may(request.user, "assistance.record_unit_report"),
    }
    return TemplateResponse(request, "assistance/unit_reports.html", context)
