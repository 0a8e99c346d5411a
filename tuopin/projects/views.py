"""Pages of the project library: thin views over the selectors and services."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
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
from tuopin.projects import audit, exports, selectors, services
from tuopin.projects.forms import (
    CostItemForm,
    FundEntryForm,
    HouseholdsForm,
    ProjectForm,
    ReverseForm,
    StatusForm,
    TargetActualForm,
)
from tuopin.projects.models import STATUS_TRANSITIONS, CostItem, FundEntry, ProjectStatus, Target
from tuopin.projects.needs import CRITERIA, need_proposal
from tuopin.regions.models import Level
from tuopin.registry.selectors import households_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan(request):
    plan = selectors.plan_current(request.GET.get("plan") or None)
    if plan is None:
        raise Http404("还没有载入规划（运行 tuopin plan load）")
    return plan


# --- project library ----------------------------------------------------------------------------------


PROJECT_COLUMNS = (
    Column("seed", "规划条目", ("programme__order", "id")),
    Column("programme", "工程", ("programme__order", "id")),
    Column("name", "项目名称", ("name", "id")),
    Column("place", "地点", ("region__path", "id")),
    Column("year", "年度", ("year_from", "year_to", "id")),
    Column("investment", "总投资（万元）", ("investment", "id")),
    Column("status", "状态", ("status", "id")),
)


def project_list_view(request):
    plan = _plan(request)
    filters = selectors.ProjectFilters(
        plan_id=plan.pk,
        programme_id=query_int(request, "programme"),
        region_id=query_int(request, "region"),
        year=query_int(request, "year"),
        status=request.GET.get("status", ""),
        query=request.GET.get("q", "")[:50],
    )
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
    programmes = plan.programmes.order_by("order") if plan else selectors.Programme.objects.none()
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


# --- budget, audit --------------------------------------------------------------------------------------


def budget_view(request):
    plan = _plan(request)
    summary = selectors.budget_summary(user=request.user, plan=plan)
    context = {
        "plan": plan,
        "summary": summary,
        "channels": selectors.Channel.choices,
        "tiers": selectors.Tier.choices,
    }
    return TemplateResponse(request, "projects/budget.html", context)


AUDIT_COLUMNS = (
    Column("status", "结果", ("status", "kind", "label")),
    Column("kind", "类型", ("kind", "label")),
    Column("label", "核对内容", ("label",)),
)


def audit_view(request):
    if not may(request.user, "projects.view_plan_audit"):
        raise Http404(refusal("projects.view_plan_audit"))
    plan = _plan(request)
    findings = selectors.plan_audit(plan=plan)
    counts = audit.summary_counts(findings)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    shown = [f for f in findings if (not status or f.status == status) and (not kind or f.kind == kind)]
    table = table_page(request, shown, columns=AUDIT_COLUMNS, default="kind")
    context = {
        "plan": plan,
        "table": table,
        "counts": counts,
        "total": len(findings),
        "status": status,
        "kind": kind,
        "statuses": [(s.value, audit.STATUS_LABELS[s]) for s in audit.Status],
        "kinds": [(k.value, audit.KIND_LABELS[k]) for k in audit.Kind],
    }
    return TemplateResponse(request, "projects/audit.html", context)


# --- roadmap, construction plan, publicity --------------------------------------------------------------


def roadmap_index(request):
    plan = _plan(request)
    townships = selectors.regions_for(request.user, level=Level.TOWNSHIP)
    villages = selectors.villages_with_projects(user=request.user, plan=plan)
    context = {"plan": plan, "townships": townships, "villages": villages}
    return TemplateResponse(request, "projects/roadmap_index.html", context)


def roadmap_view(request, pk: int):
    plan = _plan(request)
    township = selectors.region_for(request.user, pk, level=Level.TOWNSHIP)
    roadmap = selectors.township_roadmap(user=request.user, township=township, plan=plan)
    return TemplateResponse(request, "projects/roadmap.html", {"plan": plan, "roadmap": roadmap})


def construction_view(request, pk: int):
    plan = _plan(request)
    village = selectors.region_for(request.user, pk, level=Level.VILLAGE)
    construction = selectors.village_construction_plan(user=request.user, village=village, plan=plan)
    return TemplateResponse(
        request, "projects/construction.html", {"plan": plan, "construction": construction}
    )


def publicity_view(request, pk: int):
    village = selectors.region_for(request.user, pk, level=Level.VILLAGE)
    rows = selectors.village_publicity(user=request.user, village=village)
    context = {
        "village": village,
        "rows": rows,
        "total_investment": sum((r.project.investment for r in rows), 0),
        "total_allocated": sum((r.allocated for r in rows), 0),
        "total_disbursed": sum((r.disbursed for r in rows), 0),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "projects/publicity.html", context)


# --- targets --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def targets_view(request):
    plan = _plan(request)
    year = query_int(request, "year") or plan.year_from
    regions = selectors.regions_for(request.user, level=Level.TOWNSHIP) | selectors.regions_for(
        request.user, level=Level.COUNTY
    )
    form = TargetActualForm(request.POST or None, regions=regions, initial={"year": year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            target = Target.objects.filter(plan=plan, pk=form.cleaned_data["target"]).first()
            if target is None:
                form.add_error(None, "没有找到该目标")
            else:
                try:
                    services.target_actual_record(
                        target=target,
                        region=form.cleaned_data["region"],
                        year=form.cleaned_data["year"],
                        value=form.cleaned_data["value"],
                        note=form.cleaned_data["note"],
                        by=request.user,
                    )
                except ApplicationError as error:
                    form.add_service_errors(error)
                else:
                    messages.success(request, f"已填报：{target.name}")
                    return redirect(f"{request.path}?year={form.cleaned_data['year']}")
        status = 400
    progress, townships = selectors.target_progress(user=request.user, plan=plan, year=year)
    context = {
        "plan": plan,
        "year": year,
        "years": range(plan.year_from, plan.year_to + 1),
        "progress": progress,
        "townships": townships,
        "form": form,
        "can_record": any(may(request.user, "projects.record_target_actual", r) for r in regions),
        "whole_county": may(request.user, "projects.view_county_targets"),
    }
    return TemplateResponse(request, "projects/targets.html", context, status=status)


# --- need-driven plan -----------------------------------------------------------------------------------


def needs_view(request):
    plan = _plan(request)
    year = query_int(request, "year") or plan.year_from
    proposal = need_proposal(user=request.user, plan=plan, year=year)
    context = {"plan": plan, "proposal": proposal, "years": range(plan.year_from, plan.year_to + 1)}
    return TemplateResponse(request, "projects/needs.html", context)


def _programme_names() -> dict[str, str]:
    plan = selectors.plan_current()
    if plan is None:
        return {}
    return {code: programme.name for code, programme in selectors.programme_by_code(plan).items()}


@require_http_methods(["GET", "POST"])
def costs_view(request):
    form = CostItemForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            item = CostItem.objects.filter(pk=form.cleaned_data["item"]).first()
            if item is None:
                form.add_error(None, "没有找到该措施")
            else:
                try:
                    services.cost_item_update(
                        item=item, unit_cost=form.cleaned_data["unit_cost"], by=request.user
                    )
                except ApplicationError as error:
                    form.add_service_errors(error)
                else:
                    messages.success(request, f"已修改单价：{item.name}")
                    return redirect("projects:costs")
        status = 400
    context = {
        "items": selectors.cost_items(),
        "programmes": _programme_names(),
        "form": form,
        "criteria": CRITERIA,
        "can_edit_costs": may(request.user, "projects.edit_cost_table"),
    }
    return TemplateResponse(request, "projects/costs.html", context, status=status)


# --- exports --------------------------------------------------------------------------------------------


def export_plan(request):
    plan = _plan(request)
    response = HttpResponse(exports.plan_workbook(plan=plan, user=request.user), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E8%A7%84%E5%88%92%E9%A1%B9%E7%9B%AE%E8%A1%A8.xlsx"
    )
    return response
