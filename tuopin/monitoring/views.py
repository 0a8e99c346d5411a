"""Monitoring pages: the work list and counts (scoped to the user's area), a case with its procedure, the
household's monitoring tab (HTMX), the printed village notice and the ``.xlsx`` list."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tuopin.accounts.permissions import may
from tuopin.core.errors import ApplicationError
from tuopin.monitoring.exports import objects_workbook
from tuopin.monitoring.forms import ClueForm, MeasureForm, StepForm
from tuopin.monitoring.models import Stage
from tuopin.monitoring.risk import risk_model_cached, risk_scores
from tuopin.monitoring.runs import household_triggers
from tuopin.monitoring.selectors import (
    case_worklist,
    cases_for,
    household_cases,
    monitoring_overview,
    notice_cases,
)
from tuopin.monitoring.services import TRANSITIONS, case_advance, clue_raise, measure_add
from tuopin.regions.models import Region
from tuopin.registry.models import Household, HouseholdYear
from tuopin.registry.selectors import household_get, households_for


def _region(request) -> Region | None:
    """The ``?region=`` the user asked for, if it lies in their area (otherwise ignored)."""
    try:
        region = Region.objects.filter(pk=int(request.GET.get("region", ""))).first()
    except ValueError:
        return None
    return region if region is not None and may(request.user, "monitoring.view_lists", region) else None


@require_GET
def index(request):
    region = _region(request)
    path = region.path if region else ""
    stage = request.GET.get("stage", "")
    overdue = request.GET.get("overdue") == "1"
    context = {
        "region": region,
        "visits": _visit_list(request.user, path),
        "overview": monitoring_overview(user=request.user, region_path=path),
        "cases": case_worklist(user=request.user, stage=stage, overdue=overdue, region_path=path)[:200],
        "stage": stage,
        "overdue": overdue,
        "stages": Stage.choices,
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "monitoring/index.html", context)


def _visit_list(user, path: str, limit: int = 20) -> list[dict]:
    """Households in the user's area without an open case, ordered by the risk model (visits only)."""
    model = risk_model_cached()
    latest = HouseholdYear.objects.order_by("-year").values_list("year", flat=True).first()
    if model is None or latest is None:
        return []
    visible = households_for(user).exclude(monitoring_cases__is_open=True)
    if path:
        visible = visible.filter(village__path__startswith=path)
    ids = set(visible.values_list("pk", flat=True))
    scores = risk_scores(model=model, year=latest, household_ids=ids)[:limit]
    households = Household.objects.in_bulk([s.household_id for s in scores])
    return [{"household": households[s.household_id], "score": s, "year": latest} for s in scores]


def _case(request, pk: int):
    case = cases_for(request.user).select_related("household", "village__parent").filter(pk=pk).first()
    if case is None:
        raise Http404("没有找到该监测案卷，或不在您的辖区内")
    return case


def _case_page(request, case, *, step_form=None, measure_form=None, status: int = 200):
    context = {
        "case": case,
        "clues": case.clues.all(),
        "steps": case.steps.select_related("by"),
        "measures": case.measures.all(),
        "next_stages": [(s.value, s.label) for s in sorted(TRANSITIONS[Stage(case.stage)])],
        "step_form": step_form or StepForm(initial={"version": case.version}),
        "measure_form": measure_form or MeasureForm(),
        "can_measure": case.stage == Stage.OBJECT and may(request.user, "monitoring.record_measure", case),
    }
    return TemplateResponse(request, "monitoring/case_detail.html", context, status=status)


@require_GET
def case_detail(request, pk: int):
    return _case_page(request, _case(request, pk))


@require_POST
def case_step(request, pk: int):
    case = _case(request, pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            case_advance(
                case=case,
                to=form.cleaned_data["to"],
                by=request.user,
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                data=form.step_data(),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已办理")
            return redirect("monitoring:case", pk=case.pk)
    return _case_page(request, _case(request, pk), step_form=form, status=400)


@require_POST
def measure_create(request, pk: int):
    case = _case(request, pk)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            measure_add(case=case, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已录入帮扶措施")
            return redirect("monitoring:case", pk=case.pk)
    return _case_page(request, _case(request, pk), measure_form=form, status=400)


def _tab(request, household, *, form=None, status: int = 200):
    latest = HouseholdYear.objects.filter(household=household).order_by("-year").first()
    context = {
        "household": household,
        "cases": household_cases(user=request.user, household_id=household.pk),
        "triggers": household_triggers(household_id=household.pk, year=latest.year) if latest else None,
        "form": form or ClueForm(),
        "can_raise": may(request.user, "monitoring.raise_clue", household),
    }
    return TemplateResponse(request, "monitoring/_household_tab.html", context, status=status)


@require_GET
def household_tab(request, pk: int):
    return _tab(request, household_get(user=request.user, pk=pk))


@require_POST
def clue_create(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    form = ClueForm(request.POST)
    if form.is_valid():
        try:
            clue_raise(
                household=household,
                source=form.cleaned_data["source"],
                reasons=[form.cleaned_data["reason"]],
                evidence=form.cleaned_data["evidence"],
                by=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return _tab(request, household)
    return _tab(request, household, form=form, status=400)


@require_GET
def notice_print(request, pk: int):
    """The village notice (村内公示): household head, group, category and dates only — never an ID number,
    phone, bank account or health detail."""
    village = get_object_or_404(Region, pk=pk)
    if not may(request.user, "monitoring.print_notice", village):
        raise Http404("不在您的辖区内")
    rows = []
    for case in notice_cases(user=request.user, village_id=village.pk):
        head = case.household.members.filter(relation="head").first()
        rows.append({"case": case, "head": head.name if head else "（未登记户主）"})
    context = {"village": village, "rows": rows, "today": timezone.localdate()}
    return TemplateResponse(request, "monitoring/notice_print.html", context)


@require_GET
def objects_export(request):
    region = _region(request)
    if region is None and not may(request.user, "monitoring.view_lists", request.user.region):
        raise Http404("不在您的辖区内")
    content = objects_workbook(user=request.user, region_path=region.path if region else "")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="monitoring-objects.xlsx"'
    return response
