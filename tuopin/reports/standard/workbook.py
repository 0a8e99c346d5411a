"""The one writer of the standard reports: a merged title row (report, area, year, date made), a units and
notes row, a frozen Chinese header, column widths, the rows, and a totals row computed here in Python.

No cell holds a formula: totals are values, and every text goes through ``core.cells.protect_cell`` so a
name such as ``=1+1`` stays text in any spreadsheet program."""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tuopin.core.cells import append_safe

HEADER_ROW = 3  # 1 title, 2 units and notes, 3 header, 4… rows, then the totals row
TOTAL_LABEL = "合计"


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 12
    summed: bool = False  # the totals row adds this column up


@dataclass
class Report:
    name: str
    area: str
    year: int | None
    units: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]] = field(default_factory=list)
    notes: str = ""
    row_unit: str = "户"  # what one row counts, for the totals row: 合计（12户）
    made_on: date | None = None

    @property
    def title(self) -> str:
        year = f"{self.year}年度" if self.year else ""
        return f"{self.area}{year}{self.name}"

    def totals(self) -> list[object]:
        """The totals row: the sum of every summed column, the label in the first column."""
        out: list[object] = []
        for index, column in enumerate(self.columns):
            if column.summed:
                values: list[int | Decimal] = [
                    v for row in self.rows if isinstance(v := row[index], int | Decimal)
                ]
                decimal = any(isinstance(v, Decimal) for v in values)
                out.append(sum(values, Decimal(0)) if decimal else sum(values, 0))
            else:
                out.append(f"{TOTAL_LABEL}（{len(self.rows)}{self.row_unit}）" if index == 0 else None)
        return out


def _cell_value(value: object) -> object:
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    return "" if value is None else value


def write_report(report: Report) -> bytes:
    """The report as ``.xlsx`` bytes."""
    made_on = report.made_on or timezone.localdate()
    book = Workbook()
    sheet = book.active
    if sheet is None:
        raise RuntimeError("openpyxl gave no sheet")
    sheet.title = report.name[:31]
    width = len(report.columns)
    append_safe(sheet, [f"{report.title}（制表日期：{made_on:%Y年%m月%d日}）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    append_safe(sheet, [f"单位：{report.units}" + (f"。{report.notes}" if report.notes else "")])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    append_safe(sheet, [column.header for column in report.columns])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in report.rows:
        append_safe(sheet, [_cell_value(value) for value in row])
    append_safe(sheet, [_cell_value(value) for value in report.totals()])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for index, column in enumerate(report.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
