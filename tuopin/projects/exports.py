"""The seed's tables as .xlsx: the investment summary (四、投资规模), the project lists of each programme (三),
the targets, and the plan audit. Amounts in 万元 as the plan writes them."""

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tuopin.accounts.models import User
from tuopin.core.cells import append_safe
from tuopin.projects import audit
from tuopin.projects.models import Plan, Project
from tuopin.projects.selectors import declared_totals, plan_audit, projects_for, township_of, village_of

WAN = Decimal(10_000)
BOLD = Font(bold=True)


def _wan(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else (amount / WAN).quantize(Decimal("0.0001")).normalize()


def _sheet(wb: Workbook, title: str, heading: str, columns: list[tuple[str, int]]):
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


PROJECT_COLUMNS = [
    ("序号", 6),
    ("规划条目", 10),
    ("项目名称", 40),
    ("乡镇（街道）", 12),
    ("行政村", 12),
    ("村民小组/自然村", 14),
    ("地点（原文）", 18),
    ("建设规模", 10),
    ("单位", 8),
    ("单价（万元）", 10),
    ("投资（万元）", 12),
    ("资金来源", 24),
    ("起始年度", 8),
    ("完成年度", 8),
    ("状态", 8),
    ("责任单位", 14),
    ("原文", 60),
]


def _project_row(n: int, p: Project) -> list:
    township = township_of(p.region)
    village = village_of(p.region)
    group = p.region.name if p.region is not None and p.region.level == 4 else ""
    funding = "；".join(
        f"{f.get_channel_display()}/{f.get_tier_display()}{_wan(f.amount)}万元" for f in p.fundings.all()
    )
    return [
        n,
        p.seed_key,
        p.name,
        township.name if township else "",
        village.name if village else "",
        group,
        p.place_text,
        p.quantity,
        p.unit,
        _wan(p.unit_cost),
        _wan(p.investment),
        funding,
        p.year_from,
        p.year_to,
        p.get_status_display(),
        p.responsible_unit,
        p.quote,
    ]


def plan_workbook(*, plan: Plan, user: User) -> bytes:
    """The workbook; with ``user`` only the projects the user may see (the audit and totals stay county-wide
    figures of the plan text)."""
    qs = projects_for(user)
    projects = list(
        qs.filter(programme__plan=plan)
        .select_related("programme", "region__parent__parent")
        .prefetch_related("fundings")
        .order_by("programme__order", "id")
    )
    wb = Workbook()
    wb.remove(wb.active)

    # 四、投资规模
    declared = declared_totals(plan)
    ws = _sheet(
        wb,
        "投资规模",
        f"{plan.title} 投资规模（万元）",
        [
            ("序号", 6),
            ("工程", 22),
            ("项目数", 8),
            ("项目逐项合计", 14),
            ("规划原文所写", 14),
            ("原文位置", 10),
            ("差额", 10),
        ],
    )
    grand_computed = Decimal(0)
    for n, programme in enumerate(plan.programmes.order_by("order"), start=1):
        own = [p for p in projects if p.programme_id == programme.pk]
        computed = sum((p.investment for p in own), Decimal(0))
        grand_computed += computed
        figure = declared.get(programme.code)
        append_safe(
            ws,
            [
                n,
                programme.name,
                len(own),
                _wan(computed),
                figure.stated_value.normalize() if figure else "涉及对象不固定",
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
            grand.stated_value.normalize() if grand else None,
            grand.ref if grand else "",
            _wan(grand.value - grand_computed) if grand else None,
        ],
    )
    for cell in ws[ws.max_row]:
        cell.font = BOLD

    # 项目清单: all, then one sheet per programme with projects (the plan's own lists)
    ws = _sheet(wb, "项目清单", f"{plan.title} 县级项目库", PROJECT_COLUMNS)
    for n, project in enumerate(projects, start=1):
        append_safe(ws, _project_row(n, project))
    for programme in plan.programmes.order_by("order"):
        own = [p for p in projects if p.programme_id == programme.pk]
        if not own:
            continue
        ws = _sheet(wb, programme.name, f"{programme.ref} {programme.name}项目表", PROJECT_COLUMNS)
        for n, project in enumerate(own, start=1):
            append_safe(ws, _project_row(n, project))
        append_safe(
            ws,
            ["", "", "合计", "", "", "", "", "", "", "", _wan(sum((p.investment for p in own), Decimal(0)))],
        )
        for cell in ws[ws.max_row]:
            cell.font = BOLD

    # 目标任务
    ws = _sheet(
        wb,
        "目标任务",
        f"{plan.title} 目标任务",
        [
            ("指标", 30),
            ("工程", 18),
            ("目标值", 10),
            ("单位", 8),
            ("地区", 10),
            ("起止年度", 12),
            ("计算口径", 24),
            ("原文", 60),
        ],
    )
    for t in plan.targets.select_related("programme", "region", "figure").order_by("programme__order", "id"):
        append_safe(
            ws,
            [
                t.name,
                t.programme.name if t.programme else "总体目标",
                t.value.normalize(),
                t.unit,
                t.region.name if t.region else "全县",
                f"{t.year_from}—{t.year_to}",
                t.metric or "责任单位填报",
                t.figure.quote,
            ],
        )

    # 规划核对
    ws = _sheet(
        wb,
        "规划核对",
        f"{plan.title} 规划核对结果",
        [
            ("结果", 8),
            ("类型", 12),
            ("核对内容", 40),
            ("规划所写", 20),
            ("位置", 10),
            ("对照", 40),
            ("位置", 16),
            ("差额", 10),
            ("说明", 40),
        ],
    )
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

    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
