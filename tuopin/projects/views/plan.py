"""Pages over the whole plan: the budget, the plan's own audit, the township roadmaps and village
construction plans with their 公示, the targets, the need-driven plan with its cost table, and the export."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tuopin.accounts.permissions import may, refusal
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import query_int
from tuopin.core.tables import Column, table_page
from tuopin.projects import audit, exports, selectors, services
from tuopin.projects.forms import CostItemForm, TargetActualForm
from tuopin.projects.models import Channel, CostItem, Target, Tier
from tuopin.projects.needs import CRITERIA, need_proposal
from tuopin.projects.views.common import XLSX, current_plan
from tuopin.regions.models import Level

# --- budget, audit --------------------------------------------------------------------------------------


def budget_view(request):
    plan = current_plan(request)
    summary = selectors.budget_summary(user=request.user, plan=plan)
    context = {
        "plan": plan,
        "summary": summary,
        "channels": Channel.choices,
        "tiers": Tier.choices,
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
    plan = current_plan(request)
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
    plan = current_plan(request)
    townships = selectors.regions_for(request.user, level=Level.TOWNSHIP)
    villages = selectors.villages_with_projects(user=request.user, plan=plan)
    context = {"plan": plan, "townships": townships, "villages": villages}
    return TemplateResponse(request, "projects/roadmap_index.html", context)


def roadmap_view(request, pk: int):
    plan = current_plan(request)
    township = selectors.region_for(request.user, pk, level=Level.TOWNSHIP)
    roadmap = selectors.township_roadmap(user=request.user, township=township, plan=plan)
    return TemplateResponse(request, "projects/roadmap.html", {"plan": plan, "roadmap": roadmap})


HOUSEHOLD_COLUMNS = (
    Column("no", "户编号", ("household_no",)),
    Column("head", "户主", ("head", "household_no")),
    Column("group", "组", ("group", "household_no")),
    Column("status", "状态", ("status", "household_no")),
)


def construction_view(request, pk: int):
    plan = current_plan(request)
    village = selectors.region_for(request.user, pk, level=Level.VILLAGE)
    construction = selectors.village_construction_plan(user=request.user, village=village, plan=plan)
    table = table_page(request, construction.households, columns=HOUSEHOLD_COLUMNS, default="no")
    context = {"plan": plan, "construction": construction, "table": table}
    return TemplateResponse(request, "projects/construction.html", context)


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
    plan = current_plan(request)
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
    plan = current_plan(request)
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
    plan = current_plan(request)
    response = HttpResponse(exports.plan_workbook(plan=plan, user=request.user), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E8%A7%84%E5%88%92%E9%A1%B9%E7%9B%AE%E8%A1%A8.xlsx"
    )
    return response
