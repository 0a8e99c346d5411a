"""Writing spreadsheets in the registry layout: exports, the error report and the import template.
Free of Django; code-list labels arrive as plain mappings."""

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tuopin.core.cells import protect_cell, safe_row, text_cell
from tuopin.imports.parsing.layout import (
    CODES_SHEET_NAME,
    HEALTH_FLAGS,
    INCOME_PARTS,
    REGISTRY_COLUMNS,
    SHEET_NAME,
    Column,
    Kind,
    Level,
)

Label = Callable[[str, str], str]  # (code list, code) → Chinese label

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def _decimal(value: object) -> Decimal:
    """A stored amount (Decimal, int or float from the database) as a Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float, str)):
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    raise TypeError(f"not an amount: {value!r}")


def export_cell(column: Column, value: object, label: Label) -> object:
    """The cell value written for a stored value (the inverse of ``validate.convert``)."""
    kind = column.kind
    if value is None:
        return None
    if kind in (Kind.TEXT, Kind.ID):
        return str(value) or None
    if kind == Kind.CODE:
        return label(column.code_list, str(value)) if value else None
    if kind == Kind.CHOICE:
        return dict(column.choices).get(str(value), str(value)) if value else None
    if kind in (Kind.BOOL, Kind.NBOOL):
        return "是" if value else "否"
    if kind in (Kind.INT, Kind.YEAR, Kind.COUNT):
        return value if isinstance(value, int) else int(str(value))
    if kind in (Kind.MONEY, Kind.AREA, Kind.TOTAL):
        return _decimal(value).quantize(Decimal("0.01"))
    if kind == Kind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == Kind.HEALTH:
        flags = value if isinstance(value, Mapping) else {}
        return "，".join(text for name, text in HEALTH_FLAGS if flags.get(name)) or None
    raise AssertionError(kind)  # pragma: no cover


def registry_row(
    location: Sequence[str],
    household: Mapping[str, object],
    person: Mapping[str, object],
    member_count: int,
    label: Label,
) -> list[object]:
    """One person's row in the registry layout."""
    place = dict(zip(("county", "township", "village", "group"), location, strict=True))
    gross = None
    parts = [household.get(name) for name in INCOME_PARTS]
    if all(part is not None for part in parts):
        gross = sum((_decimal(part) for part in parts), Decimal(0))
    expense = household.get("business_expense")
    derived = {
        "member_count": member_count,
        "gross_income": gross,
        "net_income": gross - _decimal(expense) if gross is not None and expense is not None else None,
    }
    row: list[object] = []
    for column in REGISTRY_COLUMNS:
        if column.level == Level.LOCATION:
            value: object = place.get(column.key) or None
        elif column.kind in (Kind.COUNT, Kind.TOTAL):
            value = derived[column.key]
        elif column.kind == Kind.HEALTH:
            value = person
        elif column.level == Level.PERSON:
            value = person.get(column.key)
        else:
            value = household.get(column.key)
        row.append(export_cell(column, value, label))
    return row


def _text_cell(
    sheet: Worksheet, value: object, *, fill: PatternFill | None = None, bold: bool = False
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    protect_cell(cell)
    if fill is not None:
        cell.fill = fill
    if bold:
        cell.font = HEADER_FONT
    return cell


def write_rows(
    stream: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet_name: str = SHEET_NAME,
) -> int:
    """A one-sheet workbook (write-only, constant memory). Returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(30, len(header) * 2 + 2))
    sheet.freeze_panes = "A2"
    sheet.append([_text_cell(sheet, header, bold=True) for header in headers])
    count = 0
    try:
        for row in rows:
            sheet.append(safe_row(sheet, row))
            count += 1
    except BaseException:
        with contextlib.suppress(Exception):  # finish the sheet's temporary part; the error is what matters
            sheet.close()
        raise
    workbook.save(stream)
    return count


def write_report(
    stream: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[tuple[int, Sequence[object]]],
    errors_by_row: Mapping[int, Sequence[tuple[int, str]]],
    held_back_rows: set[int],
) -> None:
    """The file as received plus a 行号, a 状态 and an 错误说明 column; bad cells are filled red.

    ``errors_by_row`` maps a row number to (column position or -1, message) pairs.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("校验报告")
    sheet.freeze_panes = "D2"
    sheet.append([_text_cell(sheet, text, bold=True) for text in ("行号", "状态", "错误说明", *headers)])
    for row_no, cells in rows:
        row_errors = errors_by_row.get(row_no, ())
        bad_positions = {position for position, _ in row_errors}
        if row_errors:
            status = "有错误"
        elif row_no in held_back_rows:
            status = "同户其他行有错误，整户暂不导入"
        else:
            status = "通过"
        message = "；".join(message for _, message in row_errors)
        out = [
            row_no,
            _text_cell(sheet, status),
            _text_cell(sheet, message, fill=ERROR_FILL if message else None),
        ]
        for position, value in enumerate(cells):
            if position in bad_positions:
                out.append(_text_cell(sheet, value, fill=ERROR_FILL))
            else:
                out.append(text_cell(sheet, value))
        sheet.append(out)
    workbook.save(stream)


class _CodeSheet:
    """The hidden sheet of drop-down lists; each list is written once and named by its cell range."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.ranges: dict[str, str] = {}

    def range_of(self, name: str, values: Sequence[str]) -> str:
        if name not in self.ranges:
            column = len(self.ranges) + 1
            letter = get_column_letter(column)
            self.sheet.cell(row=1, column=column, value=name)
            for index, value in enumerate(values, start=2):
                self.sheet.cell(row=index, column=column, value=value)
            self.ranges[name] = f"'{CODES_SHEET_NAME}'!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[name]


def _choices(column: Column, options: Mapping[str, Sequence[str]]) -> tuple[str, Sequence[str]]:
    """The drop-down list of a column (its name on the code sheet and its labels); no labels: no list."""
    if column.kind == Kind.CODE:
        return column.code_list, options.get(column.code_list, ())
    if column.kind == Kind.CHOICE:
        return column.key, [label for _, label in column.choices]
    if column.kind in (Kind.BOOL, Kind.NBOOL):
        return "是否", ["是", "否"]
    return "", ()


def _template_header(sheet: Worksheet, index: int, column: Column) -> None:
    cell = sheet.cell(row=1, column=index, value=column.header)
    cell.font = HEADER_FONT
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if column.required:
        cell.fill = REQUIRED_FILL
    sheet.column_dimensions[get_column_letter(index)].width = max(10, min(30, len(column.header) * 2 + 2))


def _template_column(
    sheet: Worksheet,
    codes: _CodeSheet,
    index: int,
    column: Column,
    options: Mapping[str, Sequence[str]],
    rows: int,
) -> None:
    letter = get_column_letter(index)
    _template_header(sheet, index, column)
    name, values = _choices(column, options)
    if not name:
        if column.kind in (Kind.ID, Kind.TEXT, Kind.DATE):
            for row in range(2, rows + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        return
    source = codes.range_of(name, values)
    if not values:
        return
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle="取值无效",
        error=f"请从下拉列表中选择“{column.header}”",
    )
    validation.add(f"{letter}2:{letter}{rows + 1}")
    sheet.add_data_validation(validation)


TEMPLATE_NOTES = (
    "每行一人，同一户的各行户编号相同，户的各项（年度、脱贫状态、收入等）在本户每一行重复填写且必须一致。",
    "黄色表头为必填列。证件号码请按文本填写（不要存成数字）。",
    "带下拉列表的列请从列表中选择；健康状况可填多项，用“，”分隔，如“长期慢性病，残疾”。",
    "家庭人口数、年收入、纯收入可不填；填写时须与本户人数、各项收入之和一致。",
    "请只在“人员信息”工作表中填写数据，导入时只读取该工作表。",
    "除黄色必填列外，其他列都可以整列省略；省略的列按未填写处理。文化程度与在校生状况两列至少要有一列。",
)


def _template_notes(notes: Worksheet) -> None:
    notes.append(["说明"])
    for line in TEMPLATE_NOTES:
        notes.append([line])
    for column in REGISTRY_COLUMNS:
        if column.blank_words:
            words = "、".join(f"“{word}”" for word in column.blank_words)
            notes.append([f"“{column.header}”写作 {words} 时按未填写处理（全国系统导出文件的常见写法）。"])
    notes.sheet_state = "hidden"


def write_template(stream: IO[bytes], options: Mapping[str, Sequence[str]], *, rows: int = 2000) -> None:
    """An empty file in the registry layout, with drop-downs for code lists, choices and 是/否 columns.

    ``options`` maps a code-list name to its labels (for the data year the template is made for). The lists
    live on a hidden sheet ``代码表`` that the reader ignores.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its first sheet
    sheet.title = SHEET_NAME
    codes = _CodeSheet(workbook.create_sheet(CODES_SHEET_NAME))
    codes.sheet.sheet_state = "hidden"
    for index, column in enumerate(REGISTRY_COLUMNS, start=1):
        _template_column(sheet, codes, index, column, options, rows)
    for column in REGISTRY_COLUMNS:  # the accepted spellings of "none", listed beside the code lists
        if column.blank_words:
            codes.range_of(f"{column.header}（以下写法视为未填）", column.blank_words)
    sheet.freeze_panes = "A2"
    _template_notes(workbook.create_sheet("填写说明"))
    workbook.save(stream)


def column_positions(columns: Mapping[int, Column]) -> dict[str, int]:
    return {column.header: position for position, column in columns.items()}
