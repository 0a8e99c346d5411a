"""A monitoring case with its procedure (only the steps the user may take are offered) and the household's
monitoring tab (HTMX). Inspectors and other read-only roles see the record but no form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from tuopin.accounts.permissions import may
from tuopin.core.errors import ApplicationError
from tuopin.monitoring.forms import ClueForm, MeasureForm, StepForm
from tuopin.monitoring.models import RiskType, Stage
from tuopin.monitoring.runs import household_triggers
from tuopin.monitoring.selectors import cases_for, household_cases
from tuopin.monitoring.services import STEP_ACTION, TRANSITIONS, case_advance, clue_raise, measure_add
from tuopin.registry.models import HouseholdYear
from tuopin.registry.selectors import household_get


def _case(request, pk: int):
    case = cases_for(request.user).select_related("household", "village__parent").filter(pk=pk).first()
    if case is None:
        raise Http404("没有找到该监测案卷，或不在您的辖区内")
    return case


def allowed_steps(user, case) -> list[tuple[str, str]]:
    """The next stages the procedure allows from the case's stage and the user may record."""
    return [
        (stage.value, str(stage.label))
        for stage in sorted(TRANSITIONS[Stage(case.stage)])
        if may(user, STEP_ACTION[stage], case)
    ]


def _case_page(request, case, *, step_form=None, measure_form=None, status: int = 200):
    labels = dict(RiskType.choices)
    context = {
        "case": case,
        "risk_labels": [str(labels.get(code, "其他")) for code in case.risk_types or []],
        "clues": case.clues.all(),
        "steps": case.steps.select_related("by"),
        "measures": case.measures.all(),
        "next_stages": allowed_steps(request.user, case),
        "step_form": step_form or StepForm(initial={"version": case.version}),
        "measure_form": measure_form or MeasureForm(),
        "can_measure": case.stage == Stage.OBJECT and may(request.user, "monitoring.record_measure", case),
        "can_print_notice": bool(case.notice_started_on)
        and may(request.user, "monitoring.print_notice", case.village),
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
