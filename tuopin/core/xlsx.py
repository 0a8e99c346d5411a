"""A page's table as ``.xlsx``: a title row, a bold frozen Chinese header, the rows exactly as the page's
table holds them (its filters and its order, every page), every text cell through ``core.cells`` so no
spreadsheet evaluates it. The standard reports have their own writer with totals (``reports/standard``);
this one is for "export what I see" links on list pages, which any app may use."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tuopin.core.cells import append_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(value: object) -> object:
    if isinstance(value, Promise):  # a lazily translated label
        return str(value)
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    if isinstance(value, list | tuple):
        return "；".join(str(v) for v in value)
    return "" if value is None else value


def table_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> tuple[bytes, int]:
    """The workbook and the number of rows written."""
    book = Workbook()
    sheet = book.active
    if sheet is None:
        raise RuntimeError("openpyxl gave no sheet")
    sheet.title = title[:31]
    append_safe(sheet, [f"{title}（导出日期：{timezone.localdate():%Y年%m月%d日}）"])
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    append_safe(sheet, [str(header) for header in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    count = 0
    for row in rows:
        append_safe(sheet, [_value(value) for value in row])
        count += 1
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, 2 * len(header) + 4))
    sheet.freeze_panes = sheet.cell(3, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    """A download of ``content`` named ``name`` (Chinese file names encoded for every browser)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response
