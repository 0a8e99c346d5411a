"""The assessment's overview, runs, their household tables (with export), comparisons, and the drill-down
county → township → village."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tuopin.accounts.permissions import may, refusal
from tuopin.assessment.engine.rules import EXIT_RULESET
from tuopin.assessment.forms import RunForm, first_error
from tuopin.assessment.models import AssessmentRun
from tuopin.assessment.selectors import latest_run, run_diff, run_list, run_summary_for
from tuopin.assessment.selectors.pages import (
    RULE_TITLES,
    rule_versions,
    township_figures,
    township_in_scope,
    village_figures,
)
from tuopin.assessment.tasks import assessment_run_task
from tuopin.assessment.views.common import export_results, page_year, results_table
from tuopin.core.tables import Column, table_page
from tuopin.jobs.models import Job, JobKind, JobStatus
from tuopin.jobs.selectors import jobs_for
from tuopin.jobs.services import job_enqueue

RUNS_SHOWN = 20
DIFF_COLUMNS = (
    Column("no", "户编号", ("household_no",)),
    Column("status", "状态", ("new_status", "household_no")),
)


def _last_run_job(user) -> Job | None:
    return jobs_for(user).filter(kind=JobKind.ASSESSMENT_RUN).first()


def _with_figures(runs, user) -> list[AssessmentRun]:
    """Each run with ``figures``: its summary as the user may see it."""
    runs = list(runs)
    for run in runs:
        run.figures = run_summary_for(run=run, user=user)
    return runs


def criteria_rows(summary: dict) -> list[dict]:
    rows = []
    for c in EXIT_RULESET.criteria:
        counts = summary["criteria"][c.code]
        rules = [{"title": r.title, **summary["rules"][r.code]} for r in EXIT_RULESET.rules_of(c.code)]
        rows.append({"code": c.code, "title": c.title, **counts, "rules": rules})
    return rows


def _partial(request, template: str) -> str:
    return f"{template}#results" if request.htmx else template


@require_GET
def index(request):
    """The year's latest run: its figures, the households planned to exit (a table), the runs."""
    year = page_year(request)
    run = latest_run(year=year)
    summary = run_summary_for(run=run, user=request.user) if run else None
    context = {
        "year": year,
        "run": run,
        "summary": summary,
        "runs": _with_figures(run_list()[:RUNS_SHOWN], request.user),
        "can_run": may(request.user, "assessment.run"),
        "job": _last_run_job(request.user),
        "criteria": criteria_rows(summary) if summary else [],
        "townships": township_figures(run=run, user=request.user, summary=summary) if run else [],
        **(results_table(request, run, planned=True) if run else {}),
    }
    return TemplateResponse(request, _partial(request, "assessment/index.html"), context)


@require_GET
def plan_export(request):
    """The households planned to exit in the year, as the index page's table shows them, as .xlsx."""
    year = page_year(request)
    run = latest_run(year=year)
    if run is None:
        raise Http404(f"{year}年还没有评估")
    return export_results(request, run, results_table(request, run, planned=True), what="脱贫计划户评估结果")


@require_POST
def run_create(request):
    """Queue a county run; the assessment page shows it 排队中 / 运行中 / 完成 / 失败 until it is done."""
    if not may(request.user, "assessment.run"):
        raise Http404(refusal("assessment.run"))
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("assessment:index")
    year = form.cleaned_data["year"]
    job = job_enqueue(
        kind=JobKind.ASSESSMENT_RUN,
        owner=request.user,
        task=assessment_run_task,
        permission="assessment.run",
        params={"year": year},
    )
    if job.status == JobStatus.DONE:
        messages.success(request, job.message)
        return redirect(job.result["url"])
    if job.status == JobStatus.FAILED:
        messages.error(request, job.message)
    else:
        messages.info(request, f"{year}年全县评估已排队，由后台任务运行，完成后本页显示结果")
    return redirect(reverse("assessment:index") + f"?year={year}")


@require_GET
def run_detail(request, pk: int):
    run = get_object_or_404(AssessmentRun, pk=pk)
    summary = run_summary_for(run=run, user=request.user)
    others = run_list(year=run.year).exclude(pk=run.pk)
    context = {
        "run": run,
        "summary": summary,
        "criteria": criteria_rows(summary),
        "townships": township_figures(run=run, user=request.user, summary=summary),
        "previous": run_list(year=run.year).filter(pk__lt=run.pk).first(),
        "runs": others[:RUNS_SHOWN],
        "rule_versions": rule_versions(run),
        "versions_alike": len({v["version"] for v in rule_versions(run)}) == 1,
    }
    return TemplateResponse(request, "assessment/run_detail.html", context)


@require_GET
def run_households(request, pk: int):
    """Every household of the run the user may see: filter, sort, page, export."""
    run = get_object_or_404(AssessmentRun, pk=pk)
    context = {"run": run, **results_table(request, run)}
    return TemplateResponse(request, _partial(request, "assessment/run_households.html"), context)


@require_GET
def run_households_export(request, pk: int):
    run = get_object_or_404(AssessmentRun, pk=pk)
    return export_results(request, run, results_table(request, run), what="农户评估结果")


@require_GET
def township(request, pk: int):
    """One township's villages in the year's latest run (figures link to the households behind them)."""
    region = township_in_scope(user=request.user, pk=pk)
    year = page_year(request)
    run = latest_run(year=year)
    context = {
        "township": region,
        "year": year,
        "run": run,
        "villages": village_figures(run=run, user=request.user, township=region) if run else [],
    }
    return TemplateResponse(request, "assessment/township.html", context)


@require_GET
def run_compare(request, pk: int, other: int):
    new = get_object_or_404(AssessmentRun, pk=pk)
    old = get_object_or_404(AssessmentRun, pk=other)
    rows = run_diff(old=old, new=new, user=request.user)
    standards_changed = [
        {
            "label": item.get("label") or "（未命名的标准）",
            "unit": item.get("unit", ""),
            "old": old.standards.get(key, {}).get("value"),
            "new": item.get("value"),
        }
        for key, item in new.standards.items()
        if old.standards.get(key, {}).get("value") != item.get("value")
    ]
    rules_changed = [
        RULE_TITLES.get(code, "（已删除的判定项）")
        for code, v in new.rule_versions.items()
        if old.rule_versions.get(code) != v
    ]
    context = {
        "new": new,
        "old": old,
        "table": table_page(request, rows, columns=DIFF_COLUMNS, default="no"),
        "standards_changed": standards_changed,
        "rules_changed": rules_changed,
    }
    return TemplateResponse(request, "assessment/run_compare.html", context)
