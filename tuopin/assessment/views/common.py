"""What the assessment pages share: the year asked for, the run households table and its export."""

from __future__ import annotations

from django.db.models import Max
from django.http import HttpRequest

from tuopin.assessment.forms import ResultFilterForm
from tuopin.assessment.models import AssessmentRun
from tuopin.assessment.selectors.pages import (
    colour_name,
    criteria_not_met,
    filter_regions,
    outcome_label,
    run_rows,
)
from tuopin.core.inputs import query_int
from tuopin.core.tables import Column, table_page
from tuopin.core.xlsx import table_workbook, xlsx_response
from tuopin.registry import privacy
from tuopin.registry.models import Household, PovertyStatus

RESULT_COLUMNS = (
    Column("no", "户编号", ("household_no",)),
    Column("head", "户主", ("head_name", "household_no")),
    Column("village", "行政村", ("village_path", "household_no")),
    Column("status", "状态", ("status", "household_no")),
    Column("members", "人数", ("member_count", "household_no")),
    Column("colour", "五色卡", ("colour", "household_no")),
    Column("outcome", "结果", ("outcomes", "household_no")),
)
EXPORT_HEADERS = (
    "户编号",
    "户主",
    "乡镇（街道）",
    "行政村",
    "状态",
    "人数",
    "五色卡",
    "结果",
    "未达标或数据缺失的标准",
)


def page_year(request: HttpRequest) -> int:
    """``?year=`` (2000–2100), else the latest assessed year, else the latest data year."""
    year = query_int(request, "year", min_value=2000, max_value=2100)
    if year is not None:
        return year
    latest = AssessmentRun.objects.aggregate(y=Max("year"))["y"]
    return latest or (Household.objects.aggregate(y=Max("data_year"))["y"] or 2018)


def results_table(request, run: AssessmentRun, *, planned: bool = False) -> dict:
    """The run's household table as the request asks for it: the filter form, the page of rows, the count."""
    townships, villages = filter_regions(user=request.user)
    form = ResultFilterForm(request.GET, townships=townships, villages=villages)
    rows = run_rows(run=run, user=request.user, filters=form.filters(planned=planned))
    table = table_page(request, rows, columns=RESULT_COLUMNS, default="no")
    return {"filter_form": form, "table": table}


def described(form) -> str:
    """The chosen filters in words for the access log: 乡镇：小街镇；五色卡：蓝卡 (or 全部)."""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name) if name not in form.errors else None
        if value not in (None, ""):
            label = {str(k): v for k, v in field.choices}.get(str(value), value)
            parts.append(f"{field.label}：{label}")
    return "；".join(parts) or "全部"


def export_results(request, run: AssessmentRun, shown: dict, *, what: str):
    """Every row of ``table`` (its filters and order, all pages) as .xlsx, recorded in the access log."""
    rows = (
        (
            r.household_no,
            r.head_name or "",
            r.township_name or "",
            r.village_name or "",
            str(PovertyStatus(r.status).label) if r.status in PovertyStatus.values else r.status,
            r.member_count,
            colour_name(r.colour),
            outcome_label(r.outcomes),
            criteria_not_met(r.outcomes),
        )
        for r in shown["table"].page.paginator.object_list
    )
    title = f"{run.year}年{what}"
    content, count = table_workbook(title, EXPORT_HEADERS, rows)
    privacy.record_export(
        user=request.user,
        what=title,
        subject=f"评估批次 {run.pk}：{described(shown['filter_form'])}"[:500],
        rows=count,
        is_masked=False,
    )
    return xlsx_response(content, f"{title}-批次{run.pk}.xlsx")
