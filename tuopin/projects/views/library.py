"""Pages of the project library: the list, one project, creating and editing it, its status, its
beneficiary households and its fund ledger."""

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tuopin.accounts.jurisdiction import regions_visible
from tuopin.accounts.permissions import may, refusal
from tuopin.core.errors import ApplicationError, StaleEditError
from tuopin.core.forms import stale_context, stale_rebind
from tuopin.core.history import history_entries
from tuopin.core.inputs import query_int
from tuopin.core.tables import Column, table_page
from tuopin.projects import exports, selectors, services
from tuopin.projects.forms import FundEntryForm, HouseholdsForm, ProjectForm, ReverseForm, StatusForm
from tuopin.projects.models import STATUS_TRANSITIONS, FundEntry, Programme, ProjectStatus
from tuopin.projects.views.common import XLSX, current_plan
from tuopin.regions.models import Level
from tuopin.registry.selectors import households_for

PROJECT_COLUMNS = (
    Column("seed", "规划条目", ("programme__order", "id")),
    Column("programme", "工程", ("programme__order", "id")),
    Column("name", "项目名称", ("name", "id")),
    Column("place", "地点", ("region__path", "id")),
    Column("year", "年度", ("year_from", "year_to", "id")),
    Column("investment", "总投资（万元）", ("investment", "id")),
    Column("status", "状态", ("status", "id")),
)


def _list_filters(request, plan) -> selectors.ProjectFilters:
    return selectors.ProjectFilters(
        plan_id=plan.pk,
        programme_id=query_int(request, "programme"),
        region_id=query_int(request, "region"),
        year=query_int(request, "year"),
        status=request.GET.get("status", ""),
        query=request.GET.get("q", "")[:50],
    )


def project_list_view(request):
    plan = current_plan(request)
    filters = _list_filters(request, plan)
    projects = selectors.project_list(user=request.user, filters=filters)
    table = table_page(request, projects, columns=PROJECT_COLUMNS, default="seed")
    context = {
        "plan": plan,
        "table": table,
        "total": sum(projects.values_list("investment", flat=True), Decimal(0)),
        "filters": filters,
        "programmes": plan.programmes.order_by("order"),
        "regions": regions_visible(request.user).filter(level__in=(Level.TOWNSHIP, Level.VILLAGE)),
        "years": range(plan.year_from, plan.year_to + 1),
        "status_choices": ProjectStatus.choices,
        "can_create": may(request.user, "projects.create_project", request.user.region),
    }
    template = "projects/project_list.html#results" if request.htmx else "projects/project_list.html"
    return TemplateResponse(request, template, context)


def project_list_export(request):
    """The list as filtered and sorted on the page (all its pages), as .xlsx."""
    plan = current_plan(request)
    projects = selectors.project_list(user=request.user, filters=_list_filters(request, plan))
    requested = request.GET.get("sort", "")
    column = next((c for c in PROJECT_COLUMNS if c.key == requested.lstrip("-")), PROJECT_COLUMNS[0])
    descending = requested.startswith("-") and column.key == requested.lstrip("-")
    ordered = projects.order_by(*column.ordering(descending))
    content = exports.project_list_workbook(plan=plan, projects=ordered.prefetch_related("fundings"))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E6%B8%85%E5%8D%95.xlsx"
    return response


def _detail_context(request, project, **forms):
    entries = list(selectors.fund_entries(project=project))
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    can_edit = may(request.user, "projects.edit_project", project)
    return {
        "project": project,
        "fundings": project.fundings.all(),
        "entries": entries,
        "reversed_ids": reversed_ids,
        "balances": selectors.fund_balances(projects=[project.pk]).get(project.pk, []),
        "households": selectors.project_households(user=request.user, project=project),
        "history": history_entries(
            list(project.history.select_related("history_user")[:30]), lambda r: r.name
        ),
        "can_edit": can_edit,
        "can_change_status": may(request.user, "projects.change_status", project),
        "can_record_funds": may(request.user, "projects.record_fund_entry", project),
        "can_link_households": may(request.user, "projects.link_households", project),
        "next_statuses": [(s, ProjectStatus(s).label) for s in STATUS_TRANSITIONS.get(project.status, ())],
        "status_form": forms.get("status_form") or StatusForm(),
        "entry_form": forms.get("entry_form") or FundEntryForm(initial={"entry_date": timezone.localdate()}),
        "reverse_form": forms.get("reverse_form") or ReverseForm(),
        "households_form": forms.get("households_form")
        or HouseholdsForm(
            initial={"household_numbers": "\n".join(h.household_no for h in project.households.all())}
        ),
    }


def project_detail(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    return TemplateResponse(request, "projects/project_detail.html", _detail_context(request, project))


def _project_form(request, data=None, initial=None):
    return ProjectForm(data, initial=initial, **_form_choices(request))


@require_http_methods(["GET", "POST"])
def project_create(request):
    if not may(request.user, "projects.create_project", request.user.region):
        messages.error(request, refusal("projects.create_project"))
        return redirect("projects:list")
    form = _project_form(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(data=form.project_data(), by=request.user)
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"已新建项目：{project.name}")
            return redirect("projects:detail", pk=project.pk)
    return TemplateResponse(request, "projects/project_form.html", {"form": form, "project": None})


def _form_choices(request) -> dict:
    plan = selectors.plan_current()
    programmes = plan.programmes.order_by("order") if plan else Programme.objects.none()
    return {"programmes": programmes, "regions": regions_visible(request.user)}


@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    if not may(request.user, "projects.edit_project", project):
        messages.error(request, refusal("projects.edit_project"))
        return redirect("projects:detail", pk=pk)
    form = ProjectForm.for_record(project, request.POST or None, **_form_choices(request))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                project=project,
                data=form.project_data(),
                by=request.user,
                version=form.version,
                seen=form.seen(),
                changed=form.changed_fields(),
            )
        except StaleEditError as error:
            stale = stale_context(error, form)
            fresh = selectors.project_get(user=request.user, pk=pk)
            form = stale_rebind(
                ProjectForm,
                fresh=fresh,
                posted=request.POST,
                changed=form.changed_data,
                **_form_choices(request),
            )
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "项目已保存")
            return redirect("projects:detail", pk=pk)
    context = {"form": form, "project": project, "stale": stale}
    return TemplateResponse(request, "projects/project_form.html", context)


@require_POST
def project_status(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.project_status_change(
                project=project,
                status=form.cleaned_data["status"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "项目状态已变更")
            return redirect("projects:detail", pk=pk)
    context = _detail_context(request, project, status_form=form)
    return TemplateResponse(request, "projects/project_detail.html", context, status=400)


@require_POST
def fund_entry_create(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = FundEntryForm(request.POST)
    if form.is_valid():
        try:
            services.fund_entry_add(project=project, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "资金分录已登记")
            return redirect("projects:detail", pk=pk)
    context = _detail_context(request, project, entry_form=form)
    return TemplateResponse(request, "projects/project_detail.html", context, status=400)


@require_POST
def project_households(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = HouseholdsForm(request.POST)
    if form.is_valid():
        numbers = form.numbers()
        found = dict(
            households_for(request.user).filter(household_no__in=numbers).values_list("household_no", "pk")
        )
        unknown = [n for n in numbers if n not in found]
        if unknown:
            form.add_error(
                "household_numbers", f"以下户编号不存在或不在您的辖区内：{'、'.join(unknown[:10])}"
            )
        else:
            try:
                services.project_households_set(
                    project=project, household_ids=list(found.values()), by=request.user
                )
            except ApplicationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"受益农户已更新（{len(found)}户）")
                return redirect("projects:detail", pk=pk)
    context = _detail_context(request, project, households_form=form)
    return TemplateResponse(request, "projects/project_detail.html", context, status=400)


@require_POST
def fund_entry_reverse(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        entry = FundEntry.objects.filter(project=project, pk=form.cleaned_data["entry"]).first()
        if entry is None:
            form.add_error(None, "没有找到该分录")
        else:
            try:
                services.fund_entry_reverse(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
            except ApplicationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "已登记冲销分录，原分录保留")
                return redirect("projects:detail", pk=pk)
    context = _detail_context(request, project, reverse_form=form)
    return TemplateResponse(request, "projects/project_detail.html", context, status=400)
