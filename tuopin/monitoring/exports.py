"""The monitoring-object list as ``.xlsx`` in the column layout of the national monitoring system's export
(监测对象 list: area, household, category, risks 1–5, identification and elimination, assistance measures).

Every row goes through ``core.cells.append_safe`` (text cells no spreadsheet evaluates), the ID number through
``registry.privacy`` (in full only for roles that may export personal data). The layout keeps the header in the
first row as the national system's file does, so it is not a standard report with title rows."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from tuopin.accounts.models import User
from tuopin.core.cells import append_safe
from tuopin.monitoring.models import MeasureKind, RiskType, Stage
from tuopin.monitoring.selectors import cases_for
from tuopin.registry.models import PovertyStatus
from tuopin.registry.privacy import shown_id_number

MEASURE_COLUMNS = (
    ("产业帮扶", MeasureKind.INDUSTRY),
    ("就业帮扶", MeasureKind.EMPLOYMENT),
    ("金融帮扶", MeasureKind.FINANCE),
    ("公益岗位帮扶", MeasureKind.PUBLIC_JOB),
    ("健康帮扶", MeasureKind.HEALTH),
    ("教育帮扶", MeasureKind.EDUCATION),
    ("住房安全保障", MeasureKind.HOUSING),
    ("饮水安全保障", MeasureKind.WATER),
    ("社会帮扶", MeasureKind.SOCIAL),
    ("综合保障", MeasureKind.SOCIAL_SECURITY),
    ("搬迁", MeasureKind.RELOCATION),
)
COLUMNS = (
    "县",
    "乡",
    "村",
    "户编号",
    "户主姓名",
    "户主证件号码",
    "户类型",
    "监测对象类别",
    *(f"致贫/返贫风险{n}" for n in range(1, 6)),
    "识别监测时间",
    "风险是否已消除",
    "风险消除方式",
    "风险消除时间",
    "实施开发式帮扶措施情况",
    *(name for name, _ in MEASURE_COLUMNS),
)
IDENTIFIED = (
    Stage.OBJECT,
    Stage.ELIMINATION_REVIEWED,
    Stage.ELIMINATION_NOTICED,
    Stage.ELIMINATION_CHECKED,
    Stage.ELIMINATED,
)
DEVELOPMENTAL = {MeasureKind.INDUSTRY, MeasureKind.EMPLOYMENT, MeasureKind.FINANCE, MeasureKind.PUBLIC_JOB}


def objects_workbook(*, user: User, region_path: str = "", full: bool = False) -> tuple[bytes, int]:
    """The workbook and its number of rows (for the access log)."""
    cases = (
        cases_for(user)
        .filter(stage__in=IDENTIFIED)
        .select_related("household", "village__parent__parent")
        .prefetch_related("measures", "household__members")
        .order_by("village__path", "household__household_no")
    )
    if region_path:
        cases = cases.filter(village__path__startswith=region_path)
    wb = Workbook()
    ws = wb.active
    if ws is None:
        raise RuntimeError("openpyxl gave no sheet")
    ws.title = "监测对象"
    append_safe(ws, COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    labels = dict(RiskType.choices)
    rows = 0
    for case in cases:
        rows += 1
        village = case.village
        township = village.parent
        county = township.parent if township else None
        head = next((m for m in case.household.members.all() if m.relation == "head"), None)
        risks = [str(labels.get(code, code)) for code in case.risk_types][:5]
        kinds = {m.kind for m in case.measures.all()}
        append_safe(
            ws,
            [
                county.name if county else "",
                township.name if township else "",
                village.name,
                case.household.household_no,
                head.name if head else "",
                shown_id_number(head.id_number if head else "", full=full),
                "一般农户" if case.household.status == PovertyStatus.UNREGISTERED else "脱贫户",
                case.get_category_display(),
                *(risks + [""] * (5 - len(risks))),
                case.identified_on.isoformat() if case.identified_on else "",
                "是" if case.stage == Stage.ELIMINATED else "否",
                case.get_elimination_kind_display() if case.stage == Stage.ELIMINATED else "",
                case.eliminated_on.isoformat() if case.eliminated_on else "",
                "已实施" if kinds & DEVELOPMENTAL else "尚未实施",
                *("是" if kind in kinds else "否" for _, kind in MEASURE_COLUMNS),
            ],
        )
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), rows
