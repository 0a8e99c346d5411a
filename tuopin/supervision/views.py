"""Pages of the problem ledger and the reverse notification: thin views over the selectors and services."""

import datetime
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import ChoiceField
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tuopin.accounts.jurisdiction import regions_visible
from tuopin.accounts.permissions import may
from tuopin.core.errors import ApplicationError
from tuopin.core.tables import Column, table_page
from tuopin.projects.selectors import projects_for
from tuopin.regions.models import Level
from tuopin.registry.selectors import households_for
from tuopin.supervision import selectors, services
from tuopin.supervision.forms import (
    EscalateForm,
    EvidenceForm,
    InspectionForm,
    MoveForm,
    ProblemEditForm,
    ProblemForm,
)
from tuopin.supervision.models import PROBLEM_TRANSITIONS, Evidence, ProblemStatus
from tuopin.supervision.services import MOVE_KIND, REVIEW_MOVES

PROBLEM_COLUMNS = (
    Column("title", "问题", ("title", "pk")),
    Column("inspection", "督查检查", ("inspection__held_on", "inspection__title", "pk")),
    Column("unit", "责任单位", ("responsible_unit__name", "deadline", "pk")),
    Column("deadline", "整改期限", ("deadline", "pk")),
    Column("status", "状态", ("status", "deadline", "pk")),
)
REVIEW_ACTION = "supervision.review_problem"
RECTIFY_ACTION = "supervision.rectify_problem"


def _deny_unless(user, name: str, target=None) -> None:
    if not may(user, name, target):
        raise PermissionDenied


def _service_errors(form, error: ApplicationError) -> None:
    if not error.errors:
        form.add_error(None, error.message)
        return
    for field, errors in error.errors.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def problem_list_view(request):
    _deny_unless(request.user, "supervision.view_problems")
    filters = selectors.ProblemFilters(
        status=request.GET.get("status", ""),
        overdue=request.GET.get("overdue") == "1",
        unit_id=_int(request.GET.get("unit")),
        region_id=_int(request.GET.get("region")),
    )
    problems = selectors.problem_list(user=request.user, filters=filters)
    context = {
        "table": table_page(request, problems, columns=PROBLEM_COLUMNS, default="deadline"),
        "filters": filters,
        "units": selectors.problem_units(user=request.user),
        "statuses": [(selectors.STILL_OPEN, "未销号（全部）"), *ProblemStatus.choices],
        "cleared": ProblemStatus.CLEARED,
        "today": timezone.localdate(),
        "can_record": may(request.user, "supervision.record_problem"),
        "can_report": may(request.user, "supervision.view_report"),
    }
    return TemplateResponse(request, "supervision/problem_list.html", context)


@require_http_methods(["GET", "POST"])
def inspection_create(request):
    _deny_unless(request.user, "supervision.record_problem")
    form = InspectionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_create(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "督查检查已登记，可以登记发现的问题")
            return redirect("supervision:create")
    return TemplateResponse(request, "supervision/form.html", {"form": form, "title": "登记督查检查"})


@require_http_methods(["GET", "POST"])
def problem_create(request):
    _deny_unless(request.user, "supervision.record_problem")
    regions = regions_visible(request.user).filter(level__lte=Level.VILLAGE)
    form = ProblemForm(
        request.POST or None,
        regions=regions,
        households=households_for(request.user),
        projects=projects_for(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            problem = services.problem_record(by=request.user, household=data.pop("household_no"), **data)
        except ApplicationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "问题已挂账")
            return redirect("supervision:detail", pk=problem.pk)
    return TemplateResponse(request, "supervision/form.html", {"form": form, "title": "登记督查问题（挂账）"})


def _moves_for(user, problem) -> list[tuple[str, str]]:
    """The next statuses this user may move the problem to (reviewing moves for inspectors, the others for
    the responsible area), asked of the permission module as the service will ask it."""
    source = ProblemStatus(problem.status)
    moves = []
    for target in ProblemStatus:
        if target not in PROBLEM_TRANSITIONS[source]:
            continue
        action = REVIEW_ACTION if MOVE_KIND[(source, target)] in REVIEW_MOVES else RECTIFY_ACTION
        if may(user, action, problem):
            moves.append((target.value, str(target.label)))
    return moves


def _detail_context(request, problem, **forms):
    move_form = forms.get("move_form") or MoveForm(initial={"rectification": problem.rectification})
    cast(ChoiceField, move_form.fields["to"]).choices = _moves_for(request.user, problem)
    return {
        "problem": problem,
        "moves": selectors.problem_moves(problem=problem),
        "evidence": problem.evidence.all(),
        "is_overdue": problem.is_overdue(timezone.localdate()),
        "move_form": move_form,
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
        "edit_form": forms.get("edit_form")
        or ProblemEditForm(instance=problem, initial={"version": problem.version}),
        "can_rectify": may(request.user, RECTIFY_ACTION, problem),
        "can_review": may(request.user, REVIEW_ACTION, problem),
    }


def problem_detail(request, pk: int):
    problem = selectors.problem_get(user=request.user, pk=pk)
    return TemplateResponse(request, "supervision/problem_detail.html", _detail_context(request, problem))


@require_POST
def problem_move(request, pk: int):
    problem = selectors.problem_get(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.problem_move(
                problem=problem,
                to=form.cleaned_data["to"],
                by=request.user,
                note=form.cleaned_data["note"],
                rectification=form.cleaned_data["rectification"] or None,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已保存")
    else:
        messages.error(request, "请选择允许的状态")
    return redirect("supervision:detail", pk=pk)


@require_POST
def evidence_upload(request, pk: int):
    problem = selectors.problem_get(user=request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                problem=problem,
                upload=form.cleaned_data["file"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "佐证材料已上传")
    else:
        messages.error(request, "请选择要上传的文件")
    return redirect("supervision:detail", pk=pk)


@require_POST
def problem_escalate(request, pk: int):
    problem = selectors.problem_get(user=request.user, pk=pk)
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            services.problem_escalate(problem=problem, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "问题已移交")
    else:
        messages.error(request, "请填写移交的部门")
    return redirect("supervision:detail", pk=pk)


@require_POST
def problem_edit(request, pk: int):
    problem = selectors.problem_get(user=request.user, pk=pk)
    form = ProblemEditForm(request.POST, instance=selectors.problem_get(user=request.user, pk=pk))
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        try:
            services.problem_update(
                problem=problem, version=form.cleaned_data["version"], changes=changes, by=request.user
            )
        except ApplicationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "问题已修改")
            return redirect("supervision:detail", pk=pk)
    context = _detail_context(request, problem, edit_form=form)
    return TemplateResponse(request, "supervision/problem_detail.html", context, status=400)


def evidence_download(request, pk: int):
    evidence = get_object_or_404(Evidence, pk=pk)
    selectors.problem_get(user=request.user, pk=evidence.problem_id)
    return FileResponse(evidence.file.open("rb"), filename=evidence.name, as_attachment=True)


def reverse_report(request):
    _deny_unless(request.user, "supervision.view_report")
    try:
        month = datetime.date.fromisoformat(request.GET.get("month", "")).replace(day=1)
    except ValueError:
        month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    context = selectors.reverse_notification(user=request.user, month=month)
    return TemplateResponse(request, "supervision/report.html", context)
