"""One household's criteria (a page, or the HTMX part of the household page) and its exit procedure."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tuopin.accounts.permissions import may
from tuopin.assessment.forms import ExitStepForm, first_error
from tuopin.assessment.models import ExitStatus
from tuopin.assessment.selectors import (
    NOT_EXITED,
    exit_cases,
    household_explanation,
    household_indicators,
    household_latest_result,
    matches,
)
from tuopin.assessment.services import EXIT_TRANSITIONS, STEP_ACTIONS, exit_case_advance, exit_case_propose
from tuopin.assessment.views.common import page_year
from tuopin.core.errors import ApplicationError
from tuopin.policy.models import StandardKey
from tuopin.policy.selectors import standards_resolve
from tuopin.registry.selectors import household_get

WARNED_STANDARDS = (StandardKey.INCOME_LINE, StandardKey.MEDICAL_SELF_PAID_LIMIT)


@require_GET
def household_criteria(request, pk: int):
    """The criteria of one household (HTMX fragment on the household page, or a page of its own)."""
    household = household_get(user=request.user, pk=pk)
    year = page_year(request)
    explanation = household_explanation(user=request.user, household=household, year=year)
    stored = household_latest_result(household=household, year=year)
    resolved = standards_resolve(year=year, region=household.village)
    exit_context = _exit_context(request.user, household)
    context = {
        "household": household,
        "year": year,
        "explanation": explanation,
        "stored": stored,
        "stored_matches": stored is not None and matches(stored, explanation.outcomes),
        "eligible": explanation.all_pass and household.status in NOT_EXITED,
        "standard_warnings": [s for s in resolved.values() if s.warning and s.key in WARNED_STANDARDS],
        "indicators": household_indicators(user=request.user, household=household, year=year),
        **exit_context,
        "exit_form": ExitStepForm(choices=exit_context["exit_choices"])
        if exit_context["exit_choices"]
        else None,
    }
    template = "assessment/_criteria.html" if request.htmx else "assessment/household.html"
    return TemplateResponse(request, template, context)


def _exit_context(user, household) -> dict:
    """The household's exit cases, the open one, and the steps this user may record next (none for a
    read-only role: the page then shows no form)."""
    cases = list(exit_cases(household=household))
    open_case = next((c for c in cases if c.status not in (ExitStatus.WITHDRAWN, ExitStatus.RELAPSED)), None)
    if open_case is None:
        choices = (
            [(ExitStatus.PROPOSED.value, ExitStatus.PROPOSED.label)] if household.status in NOT_EXITED else []
        )
    else:
        choices = [
            (s, ExitStatus(s).label) for s in ExitStatus.values if s in EXIT_TRANSITIONS[open_case.status]
        ]
    choices = [(status, label) for status, label in choices if may(user, STEP_ACTIONS[status], household)]
    return {"exit_cases": cases, "open_case": open_case, "exit_choices": choices}


@require_POST
def exit_step(request, pk: int):
    """Record the next step of the household's exit procedure (or propose it)."""
    household = household_get(user=request.user, pk=pk)
    year = page_year(request)
    back = redirect(f"{reverse('assessment:household', args=[pk])}?year={year}")
    context = _exit_context(request.user, household)
    # every status is offered to the form: the service refuses a move that is not allowed, with its reason
    form = ExitStepForm(request.POST, choices=ExitStatus.choices)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back
    data = form.cleaned_data
    fields = {
        "by": request.user,
        "on_date": data["on_date"],
        "document": data["document"],
        "note": data["note"],
    }
    to_status = data["to_status"]
    try:
        if context["open_case"] is None and to_status == ExitStatus.PROPOSED:
            exit_case_propose(household=household, year=year, **fields)
        elif context["open_case"] is not None:
            exit_case_advance(case=context["open_case"], to_status=to_status, **fields)
        else:
            raise ApplicationError("该户当前不能办理退出程序")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已记录：{ExitStatus(to_status).label}")
    return back
