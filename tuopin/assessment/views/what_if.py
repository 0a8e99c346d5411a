"""What-if: proposed standards evaluated without saving."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tuopin.accounts.permissions import may
from tuopin.assessment.forms import WhatIfForm
from tuopin.assessment.selectors import NOT_EXITED, latest_run, outcome_changes
from tuopin.assessment.services import what_if
from tuopin.assessment.tasks import what_if_from_json, what_if_task
from tuopin.assessment.views.common import page_year
from tuopin.jobs.models import JobKind, JobStatus
from tuopin.jobs.selectors import jobs_for
from tuopin.jobs.services import job_enqueue
from tuopin.policy.models import StandardKey
from tuopin.policy.selectors import standards_resolve
from tuopin.registry.models import Household
from tuopin.registry.selectors import households_for

WHAT_IF_KEYS = (
    StandardKey.INCOME_LINE,
    StandardKey.MEDICAL_SELF_PAID_LIMIT,
    StandardKey.RELOCATION_SELF_FUNDING_CAP,
)


@require_http_methods(["GET", "POST"])
def what_if_view(request):
    """Proposed standards evaluated without saving. Over more than ``WHAT_IF_SYNC_HOUSEHOLDS`` households the
    evaluation is queued; the page then shows the job and, when it is done, the same result (``?job=``)."""
    year = page_year(request)
    base = latest_run(year=year)
    resolved = standards_resolve(year=year)
    fields = [
        {"key": k.value, "label": k.label, "current": resolved[k.value].value, "unit": resolved[k.value].unit}
        for k in WHAT_IF_KEYS
    ]
    posted = request.method == "POST"
    form = WhatIfForm(request.POST if posted else None, fields=fields)
    context = {
        "year": year,
        "base": base,
        "fields": [{**f, "field": form[str(f["key"])]} for f in fields],
        "form": form,
        "may_try": may(request.user, "assessment.what_if"),
        "result": None,
        "error": "",
        "job": None,
    }
    job_id = request.GET.get("job", "")
    if not posted and job_id.isdigit() and len(job_id) < 10:
        job = get_object_or_404(jobs_for(request.user).filter(kind=JobKind.WHAT_IF), pk=int(job_id))
        context["job"] = job
        if job.status == JobStatus.DONE:
            _what_if_result(request, context, what_if_from_json(job.result))
        return TemplateResponse(request, "assessment/what_if.html", context)
    if not posted:
        return TemplateResponse(request, "assessment/what_if.html", context)
    if base is None:
        context["error"] = f"{year}年还没有正式评估，请先运行评估"
        return TemplateResponse(request, "assessment/what_if.html", context, status=400)
    if not form.is_valid():
        return TemplateResponse(request, "assessment/what_if.html", context, status=400)
    overrides = form.cleaned_data["overrides"]
    if Household.objects.count() > settings.WHAT_IF_SYNC_HOUSEHOLDS:
        job = job_enqueue(
            kind=JobKind.WHAT_IF,
            owner=request.user,
            task=what_if_task,
            permission="assessment.what_if",
            params={
                "year": year,
                "base_run": base.pk,
                "overrides": {k: str(v) for k, v in overrides.items()},
            },
        )
        return redirect(reverse("assessment:what_if") + f"?year={year}&job={job.pk}")
    _what_if_result(request, context, what_if(year=year, overrides=overrides, base_run=base, by=request.user))
    return TemplateResponse(request, "assessment/what_if.html", context)


def _what_if_result(request, context: dict, result) -> None:
    """The changed households the user may see, with the rules that changed (scoped by ``households_for``)."""
    visible = set(
        households_for(request.user)
        .filter(pk__in=[c.household_id for c in result.changes])
        .values_list("pk", flat=True)
    )
    context["result"] = result
    context["changes"] = [
        {
            "change": c,
            "before": c.old_outcomes == 0 and c.status in NOT_EXITED,
            "after": c.new_outcomes == 0 and c.status in NOT_EXITED,
            "rules": _changed_rules(c.old_outcomes, c.new_outcomes),
        }
        for c in result.changes
        if c.household_id in visible
    ]


def _changed_rules(old: int | None, new: int) -> list[str]:
    if old is None:
        return ["（基准评估中无此户）"]
    return outcome_changes(old, new)
