"""The seed's tables as .xlsx: the investment summary (四、投资规模), the project lists of each programme (三),
the targets and the plan audit; and the project library's list as filtered on the page. Amounts in 万元 with
two decimals (``core.money.yuan_to_wan``), shown with thousand separators; unit costs in yuan."""

from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tuopin.accounts.models import User
from tuopin.core.cells import append_safe
from tuopin.core.money import to_cents, yuan_to_wan
from tuopin.core.templatetags.numbers import wan
from tuopin.projects import audit
from tuopin.projects.models import Plan, Project
from tuopin.projects.selectors import (
    METRICS,
    declared_totals,
    plan_audit,
    projects_for,
    township_of,
    village_of,
)
from tuopin.projects.templatetags.projects_tags import group_place, years

BOLD = Font(bold=True)
WAN_FORMAT = "#,##0.00"
ZERO = Decimal(0)
Columns = list[tuple[str, int]]


def _wan(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else yuan_to_wan(amount)


def _sheet(wb: Workbook, title: str, heading: str, columns: Columns) -> Worksheet:
    ws = wb.create_sheet(title[:31])
    append_safe(ws, [heading])
    ws["A1"].font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    append_safe(ws, [name for name, _ in columns])
    for i, (_, width) in enumerate(columns, start=1):
        ws.cell(row=2, column=i).font = BOLD
        ws.cell(row=2, column=i).alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    return ws


def _money_formats(ws: Worksheet, columns: Iterable[int]) -> None:
    """Money columns (1-based) show two decimals with thousand separators."""
    for column in columns:
        for (cell,) in ws.iter_rows(min_row=3, min_col=column, max_col=column):
            cell.number_format = WAN_FORMAT


def _bold_last_row(ws: Worksheet) -> None:
    for cell in ws[ws.max_row]:
        cell.font = BOLD


PROJECT_COLUMNS: Columns = [
    ("序号", 6),
    ("规划条目", 10),
    ("项目名称", 40),
    ("乡镇（街道）", 12),
    ("行政村", 12),
    ("村民小组/自然村", 14),
    ("地点（原文）", 18),
    ("建设规模", 10),
    ("单位", 8),
    ("单价（元）", 10),
    ("投资（万元）", 12),
    ("资金来源", 24),
    ("起始年度", 8),
    ("完成年度", 8),
    ("状态", 8),
    ("责任单位", 14),
    ("原文", 60),
]
PROJECT_MONEY = (10, 11)  # 单价（元）, 投资（万元）
INVESTMENT_COLUMN = 11


def _project_row(n: int, p: Project) -> list[Any]:
    township = township_of(p.region)
    village = village_of(p.region)
    funding = "；".join(
        f"{f.get_channel_display()}/{f.get_tier_display()}{wan(f.amount)}万元" for f in p.fundings.all()
    )
    return [
        n,
        p.seed_key,
        p.name,
        township.name if township else "",
        village.name if village else "",
        group_place(p.region, ""),
        p.place_text,
        p.quantity,
        p.unit,
        to_cents(p.unit_cost) if p.unit_cost is not None else None,
        _wan(p.investment),
        funding,
        p.year_from,
        p.year_to,
        p.get_status_display(),
        p.responsible_unit,
        p.quote,
    ]


def _project_sheet(wb: Workbook, title: str, heading: str, projects: list[Project]) -> None:
    ws = _sheet(wb, title, heading, PROJECT_COLUMNS)
    for n, project in enumerate(projects, start=1):
        append_safe(ws, _project_row(n, project))
    total = ["", "", "合计"] + [""] * (INVESTMENT_COLUMN - 4)
    append_safe(ws, [*total, _wan(sum((p.investment for p in projects), ZERO))])
    _bold_last_row(ws)
    _money_formats(ws, PROJECT_MONEY)


SCALE_COLUMNS: Columns = [
    ("序号", 6),
    ("工程", 22),
    ("项目数", 8),
    ("项目逐项合计（万元）", 14),
    ("规划原文所写（万元）", 14),
    ("原文位置", 10),
    ("差额（万元）", 10),
]


def _scale_sheet(wb: Workbook, plan: Plan, projects: list[Project]) -> None:
    """四、投资规模: per programme, the sum of its projects beside the total the plan declares."""
    declared = declared_totals(plan)
    ws = _sheet(wb, "投资规模", f"{plan.title} 投资规模（万元）", SCALE_COLUMNS)
    grand_computed = ZERO
    for n, programme in enumerate(plan.programmes.order_by("order"), start=1):
        own = [p for p in projects if p.programme_id == programme.pk]
        computed = sum((p.investment for p in own), ZERO)
        grand_computed += computed
        figure = declared.get(programme.code)
        append_safe(
            ws,
            [
                n,
                programme.name,
                len(own),
                _wan(computed),
                _wan(figure.value) if figure else "涉及对象不固定",
                figure.ref if figure else "",
                _wan(figure.value - computed) if figure else None,
            ],
        )
    grand = plan.figures.filter(is_grand_total=True).first()
    append_safe(
        ws,
        [
            "",
            "合计",
            len(projects),
            _wan(grand_computed),
            _wan(grand.value) if grand else None,
            grand.ref if grand else "",
            _wan(grand.value - grand_computed) if grand else None,
        ],
    )
    _bold_last_row(ws)
    _money_formats(ws, (4, 5, 7))


def _targets_sheet(wb: Workbook, plan: Plan) -> None:
    columns = [
        ("指标", 30),
        ("工程", 18),
        ("目标值", 10),
        ("单位", 8),
        ("地区", 10),
        ("起止年度", 12),
        ("计算口径", 24),
        ("原文", 60),
    ]
    ws = _sheet(wb, "目标任务", f"{plan.title} 目标任务", columns)
    for t in plan.targets.select_related("programme", "region", "figure").order_by("programme__order", "id"):
        append_safe(
            ws,
            [
                t.name,
                t.programme.name if t.programme else "总体目标",
                t.value.normalize(),
                t.unit,
                t.region.name if t.region else "全县",
                years(t.year_from, t.year_to),
                METRICS.get(t.metric, "责任单位填报") if t.metric else "责任单位填报",
                t.figure.quote,
            ],
        )


def _audit_sheet(wb: Workbook, plan: Plan) -> None:
    columns = [
        ("结果", 8),
        ("类型", 12),
        ("核对内容", 40),
        ("规划所写", 20),
        ("位置", 10),
        ("对照", 40),
        ("位置", 16),
        ("差额", 10),
        ("说明", 40),
    ]
    ws = _sheet(wb, "规划核对", f"{plan.title} 规划核对结果", columns)
    for f in plan_audit(plan=plan):
        append_safe(
            ws,
            [
                audit.STATUS_LABELS[f.status],
                audit.KIND_LABELS[f.kind],
                f.label,
                f.left.text,
                f.left.place,
                f.right.text,
                f.right.place,
                f.difference_text,
                f.note,
            ],
        )


def _save(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plan_workbook(*, plan: Plan, user: User) -> bytes:
    """The workbook; with ``user`` only the projects the user may see (the audit and totals stay county-wide
    figures of the plan text)."""
    projects = list(
        projects_for(user)
        .filter(programme__plan=plan)
        .select_related("programme", "region__parent__parent")
        .prefetch_related("fundings")
        .order_by("programme__order", "id")
    )
    wb = Workbook()
    wb.remove(wb.active)
    _scale_sheet(wb, plan, projects)
    # 项目清单: all, then one sheet per programme with projects (the plan's own lists)
    _project_sheet(wb, "项目清单", f"{plan.title} 县级项目库", projects)
    for programme in plan.programmes.order_by("order"):
        own = [p for p in projects if p.programme_id == programme.pk]
        if own:
            _project_sheet(wb, programme.name, f"{programme.ref} {programme.name}项目表", own)
    _targets_sheet(wb, plan)
    _audit_sheet(wb, plan)
    return _save(wb)


def project_list_workbook(*, plan: Plan, projects: Iterable[Project]) -> bytes:
    """The project library as filtered and sorted on the page: every matching row, with the total."""
    wb = Workbook()
    wb.remove(wb.active)
    rows = list(projects)
    _project_sheet(wb, "项目清单", f"{plan.title} 县级项目库（筛选结果）", rows)
    return _save(wb)
