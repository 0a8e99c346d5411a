"""Monitoring pages of an area (county, township, village): the figures, each a link to the work list behind
it; the work list (sortable, paged, filters kept); the visit ranking with the risk model's held-out figures;
the village notice (the shared printed document) and the national-layout ``.xlsx``. The case pages and the
household tab are in ``case_views``."""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tuopin.accounts.permissions import may
from tuopin.core.inputs import query_int
from tuopin.core.tables import Column, table_page
from tuopin.monitoring.exports import objects_workbook
from tuopin.monitoring.models import Category, ClueSource, RiskType, Stage
from tuopin.monitoring.selectors import (
    CaseFilters,
    area_breakdown,
    case_worklist,
    monitoring_overview,
    visit_ranking,
)
from tuopin.regions.models import Level, Region
from tuopin.registry import privacy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASE_COLUMNS = (
    Column("severity", "风险等级", ("severity", "waited")),
    Column("due", "认定时限", ("due_on", "pk")),
    Column("no", "户编号", ("household__household_no",)),
    Column("village", "乡镇、村", ("village__path", "household__household_no")),
    Column("people", "人数", ("people", "household__household_no")),
    Column("stage", "环节", ("stage", "due_on")),
    Column("opened", "发现线索", ("opened_on", "pk")),
)
VISIT_COLUMNS = (
    Column("probability", "估计可能性", ("probability",)),
    Column("no", "户编号", ("household_no",)),
    Column("village", "乡镇、村", ("village_path", "household_no")),
)


def _region(request) -> Region | None:
    """The ``?region=`` the user asked for, if it lies in their area (otherwise ignored)."""
    pk = query_int(request, "region")
    region = Region.objects.filter(pk=pk).select_related("parent").first() if pk else None
    return region if region is not None and may(request.user, "monitoring.view_lists", region) else None


def _area(request, region: Region | None) -> Region | None:
    """The area the page is about: the chosen region, else the user's own region."""
    return region or request.user.region


def _parent_link(request, area: Region | None) -> Region | None:
    """The area one level up, when the user may see it (the "back up" link of the drill-down)."""
    parent = area.parent if area is not None else None
    return parent if parent is not None and may(request.user, "monitoring.view_lists", parent) else None


def case_filters(request, region: Region | None) -> CaseFilters:
    return CaseFilters(
        region_path=region.path if region else "",
        stage=request.GET.get("stage", "")[:30],
        objects=request.GET.get("objects") == "1",
        category=request.GET.get("category", "")[:30],
        risk_type=request.GET.get("risk_type", "")[:30],
        source=request.GET.get("source", "")[:30],
        overdue=request.GET.get("overdue") == "1",
        eliminated_year=query_int(request, "eliminated", min_value=2000, max_value=2100),
    )


@require_GET
def index(request):
    region = _region(request)
    area = _area(request, region)
    filters = case_filters(request, region)
    table = table_page(
        request, case_worklist(user=request.user, filters=filters), columns=CASE_COLUMNS, default="-severity"
    )
    context = {
        "region": region,
        "area": area,
        "up": _parent_link(request, area),
        "areas": area_breakdown(user=request.user, parent=area),
        "child_level": "乡镇（街道）" if area is not None and area.level == Level.COUNTY else "行政村",
        "overview": monitoring_overview(user=request.user, region_path=filters.region_path),
        "filters": filters,
        "table": table,
        "cases": table.rows,
        "region_query": f"region={region.pk}&" if region else "",
        "stages": Stage.choices,
        "categories": Category.choices,
        "risk_types": RiskType.choices,
        "sources": ClueSource.choices,
        "can_export": may(request.user, "monitoring.view_lists", area) if area else False,
        "can_print_notice": (
            area is not None
            and area.level == Level.VILLAGE
            and may(request.user, "monitoring.print_notice", area)
        ),
        "today": timezone.localdate(),
    }
    template = "monitoring/index.html#worklist" if request.htmx else "monitoring/index.html"
    return TemplateResponse(request, template, context)


@require_GET
def risk(request):
    """The visit ranking and the model's held-out figures (scoped: the area's held-out households)."""
    region = _region(request)
    ranking = visit_ranking(user=request.user, region_path=region.path if region else "")
    context = {
        "region": region,
        "area": _area(request, region),
        "ranking": ranking,
        "table": table_page(request, ranking.rows, columns=VISIT_COLUMNS, default="-probability"),
    }
    return TemplateResponse(request, "monitoring/risk.html", context)


@require_GET
def notice_print(request, pk: int):
    """The village notice (村内公示) is the shared printed document of the reports app (PDF): household head,
    group, category and dates only — never an ID number, phone, bank account or health detail."""
    village = get_object_or_404(Region, pk=pk, level=Level.VILLAGE)
    if not may(request.user, "monitoring.print_notice", village):
        raise Http404("不在您的辖区内")
    return redirect("reports:monitoring_notice", pk=village.pk)


@require_GET
def objects_export(request):
    """The monitoring objects in the national system's layout; ID numbers in full only for roles that may
    export them (``registry.privacy``), every export recorded in the access log."""
    region = _region(request)
    area = _area(request, region)
    if area is None or not may(request.user, "monitoring.view_lists", area):
        raise Http404("不在您的辖区内")
    full = may(request.user, "registry.export_personal_data")
    content, rows = objects_workbook(user=request.user, region_path=region.path if region else "", full=full)
    privacy.record_export(
        user=request.user, what="防返贫监测对象名单", subject=area.name, rows=rows, is_masked=not full
    )
    response = HttpResponse(content, content_type=XLSX)
    filename = quote(f"{area.name}防返贫监测对象名单.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"monitoring-objects.xlsx\"; filename*=UTF-8''{filename}"
    )
    response["Cache-Control"] = "no-store"
    return response
