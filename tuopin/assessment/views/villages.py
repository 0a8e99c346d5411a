"""A village's exit status and records, and the county indicators."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tuopin.accounts.permissions import may, refusal
from tuopin.assessment.forms import SamplingForm, SurveyForm, VillageRecordForm, first_error
from tuopin.assessment.selectors import (
    county_indicators,
    latest_run,
    run_summary_for,
    village_scorecard,
    village_status,
    village_worklist,
    villages_in_scope,
)
from tuopin.assessment.selectors.pages import ResultFilters, run_rows
from tuopin.assessment.services import sampling_check_record, satisfaction_survey_record, village_record_set
from tuopin.assessment.views.common import RESULT_COLUMNS, page_year
from tuopin.core.errors import ApplicationError
from tuopin.core.tables import table_page
from tuopin.regions.models import Level, Region

WORKLIST_SHOWN = 50


def _village(request, pk: int) -> Region:
    village = get_object_or_404(Region, pk=pk, level=Level.VILLAGE)
    if not villages_in_scope(user=request.user).filter(pk=pk).exists():
        raise Http404("没有找到该村，或不在您的辖区内")
    return village


def _forms(request, village: Region) -> dict:
    """The record forms this user may use here (none for a read-only role)."""
    return {
        "record_form": VillageRecordForm()
        if may(request.user, "assessment.record_village_year", village)
        else None,
        "sampling_form": SamplingForm()
        if may(request.user, "assessment.record_sampling_check", village)
        else None,
        "survey_form": SurveyForm()
        if may(request.user, "assessment.record_satisfaction_survey", village)
        else None,
    }


@require_GET
def village_detail(request, pk: int):
    village = _village(request, pk)
    year = page_year(request)
    run = latest_run(year=year)
    context: dict = {"village": village, "year": year, "run": run, **_forms(request, village)}
    if run:
        summary = run_summary_for(run=run, user=request.user)
        rows = run_rows(
            run=run, user=request.user, filters=ResultFilters(village_id=village.pk, status="not_exited")
        )
        worklist = village_worklist(run=run, village=village, user=request.user)
        table = table_page(request, rows, columns=RESULT_COLUMNS, default="no")
        fixed = urlencode(
            {"village": village.pk, "status": "not_exited", "sort": request.GET.get("sort", "")[:20]}
        )
        context |= {
            "status": village_status(run=run, village=village, user=request.user, summary=summary),
            "table": table,
            "export_query": fixed,
            "scorecard": village_scorecard(run=run, village=village, summary=summary),
            "worklist": worklist[:WORKLIST_SHOWN],
            "worklist_total": len(worklist),
            "colours": summary.get("villages", {}).get(str(village.pk), {}).get("colours", {}),
        }
    template = "assessment/village.html#results" if request.htmx else "assessment/village.html"
    return TemplateResponse(request, template, context)


@require_GET
def county(request):
    if not may(request.user, "assessment.view_county_indicators"):
        raise Http404(refusal("assessment.view_county_indicators"))
    year = page_year(request)
    run = latest_run(year=year)
    context = {"year": year, "run": run, "indicators": county_indicators(run=run) if run else []}
    return TemplateResponse(request, "assessment/county.html", context)


def _record(request, village: Region, year: int) -> str:
    """Record what the POST names (``kind``); the Chinese message to show, raises ``ApplicationError``."""
    kind = request.POST.get("kind")
    if kind == "village_record":
        form = VillageRecordForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(first_error(form))
        village_record_set(village=village, year=year, by=request.user, **form.values())
        return "已登记村年度情况"
    if kind == "sampling":
        sampling = SamplingForm(request.POST)
        if not sampling.is_valid():
            raise ApplicationError(first_error(sampling))
        sampling_check_record(
            village=village,
            year=year,
            by=request.user,
            checked_on=sampling.cleaned_data["on_date"],
            **sampling.counts(),
        )
        return "已登记抽查结果"
    if kind == "survey":
        survey = SurveyForm(request.POST)
        if not survey.is_valid():
            raise ApplicationError(first_error(survey))
        data = survey.cleaned_data
        satisfaction_survey_record(
            village=village,
            year=year,
            by=request.user,
            surveyed_on=data["on_date"],
            surveyed=data["surveyed"],
            satisfied=data["satisfied"],
        )
        return "已登记满意度调查"
    raise ApplicationError("未知的登记类型")


@require_POST
def village_records(request, pk: int):
    """Record the village's year figures, a sampling check or a satisfaction survey (county/township users)."""
    village = _village(request, pk)
    year = page_year(request)
    try:
        done = _record(request, village, year)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(f"{reverse('assessment:village', args=[pk])}?year={year}")
