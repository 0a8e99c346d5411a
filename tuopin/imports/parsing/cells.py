"""Reading one cell as its column's kind: text, code, choice, number, amount, date, 是/否, 健康状况, ID number.

Each converter returns the value to store or raises ``BadCellError`` with the reason (Chinese).
"""

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tuopin.imports.parsing.layout import (
    FALSE_WORDS,
    HEALTH_FLAGS,
    REGISTRY_COLUMNS,
    TRUE_WORDS,
    Column,
    Kind,
    Level,
)
from tuopin.imports.parsing.reader import Cell
from tuopin.imports.parsing.result import BadCellError, Values

CENT = Decimal("0.01")
MAX_NUMBER_TEXT = 40  # longer number texts are refused before they are parsed
MAX_AMOUNT = Decimal(10) ** 12  # DecimalField(max_digits=14, decimal_places=2)
FIRST_YEAR, LAST_YEAR = 1949, 2100

CodeMap = Callable[[str, int | None], Mapping[str, str]]
Converter = Callable[[Column, Cell, int | None, CodeMap], object]


def cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def is_blank(cell: Cell) -> bool:
    return cell is None or cell == "" or (isinstance(cell, str) and not cell.strip())


def to_int(cell: Cell) -> int:
    if isinstance(cell, bool):
        raise BadCellError("应为整数")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        if cell.is_integer():
            return int(cell)
        raise BadCellError("应为整数")
    text = cell_text(cell)
    if len(text) > MAX_NUMBER_TEXT:
        raise BadCellError("数值过长")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.0+", text):
        return int(text.split(".")[0])
    raise BadCellError("应为整数")


def _decimal_of(cell: Cell) -> Decimal:
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        return Decimal(repr(cell))
    text = cell_text(cell).replace(",", "").replace("，", "")
    if len(text) > MAX_NUMBER_TEXT:
        raise BadCellError("数值过长")
    return Decimal(text)


def to_decimal(cell: Cell) -> Decimal:
    """A finite amount below 10^12 (the 14-digit, 2-place columns it is stored in) with at most two places."""
    if isinstance(cell, bool):
        raise BadCellError("应为数字")
    try:
        value = _decimal_of(cell)
        if not value.is_finite():
            raise BadCellError("应为有限的数字（不接受 NaN、Infinity）")
        if abs(value) >= MAX_AMOUNT:
            raise BadCellError(f"超出范围（绝对值应小于 {MAX_AMOUNT:,}）")
        if isinstance(cell, float):
            return value.quantize(CENT, rounding=ROUND_HALF_UP)
        if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
            raise BadCellError("最多保留两位小数")
        return value.quantize(CENT)
    except (InvalidOperation, ValueError):
        raise BadCellError("应为数字") from None


def to_date(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if not match:
        raise BadCellError("应为日期，如 1980-05-03")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise BadCellError("不是有效的日期") from None


def to_bool(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = cell_text(cell)
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise BadCellError("应填“是”或“否”")


HEALTH_BY_LABEL = {label: name for name, label in HEALTH_FLAGS}
_HEALTH_SPLIT = re.compile(r"[，,、;；/\s]+")


def no_health_flags() -> dict[str, bool]:
    return dict.fromkeys(HEALTH_BY_LABEL.values(), False)


def to_health(text: str) -> dict[str, bool]:
    flags = no_health_flags()
    for part in _HEALTH_SPLIT.split(text):
        if not part:
            continue
        name = HEALTH_BY_LABEL.get(part)
        if name is None:
            raise BadCellError("只能是“健康”“长期慢性病”“患有大病”“残疾”中的一项或几项")
        flags[name] = True
    if flags["is_healthy"] and sum(flags.values()) > 1:
        raise BadCellError("“健康”不能与疾病或残疾同时填写")
    return flags


def _text(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> str:
    text = cell.strip() if type(cell) is str else cell_text(cell)
    if column.max_length and len(text) > column.max_length:
        raise BadCellError(f"不能超过 {column.max_length} 个字")
    return text


def _code(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> str:
    text = cell.strip() if type(cell) is str else cell_text(cell)
    if text in column.blank_words:
        return ""
    code = code_map(column.code_list, year).get(text)
    if code is None:
        when = f"{year}年度" if year else ""
        raise BadCellError(f"不是{when}“{column.header}”代码表中的有效取值")
    return code


def _choice(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> str:
    text = cell_text(cell)
    for code, label in column.choices:
        if text in (code, label):
            return code
    raise BadCellError("只能是" + "、".join(f"“{label}”" for _, label in column.choices))


def _count(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> int:
    value = to_int(cell)
    if value < 0:
        raise BadCellError("不能为负数")
    return value


def _year(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> int:
    value = to_int(cell)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise BadCellError("应为四位年份")
    return value


def _area(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> Decimal:
    value = to_decimal(cell)
    if value < 0:
        raise BadCellError("不能为负数")
    return value


def _id(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> str:
    """The ID number as typed (the registry's check normalises and judges it); never a spreadsheet number."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        raise BadCellError("被存成了数字（末几位可能已丢失），请把该列设为文本格式后重新填写")
    return cell_text(cell)


def _bool(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> bool:
    return to_bool(cell)


def _money(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> Decimal:
    return to_decimal(cell)


def _date(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> date:
    return to_date(cell)


def _health(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> dict[str, bool]:
    return to_health(cell_text(cell))


CONVERTERS: dict[Kind, Converter] = {
    Kind.TEXT: _text,
    Kind.CODE: _code,
    Kind.CHOICE: _choice,
    Kind.BOOL: _bool,
    Kind.NBOOL: _bool,
    Kind.INT: _count,
    Kind.COUNT: _count,
    Kind.YEAR: _year,
    Kind.MONEY: _money,
    Kind.TOTAL: _money,
    Kind.AREA: _area,
    Kind.DATE: _date,
    Kind.HEALTH: _health,
    Kind.ID: _id,
}


def convert(column: Column, cell: Cell, year: int | None, code_map: CodeMap) -> object:
    """The stored value of one non-blank cell, or ``BadCellError`` with the reason."""
    return CONVERTERS[column.kind](column, cell, year, code_map)


def blank(column: Column) -> object:
    """The value stored for an empty cell of ``column``."""
    if column.kind == Kind.BOOL:
        return False
    if column.kind in (Kind.TEXT, Kind.CODE, Kind.CHOICE, Kind.ID):
        return ""
    if column.kind == Kind.HEALTH:
        return no_health_flags()
    return None


BLANK_OF: dict[Kind, object] = {kind: blank(Column("", "", Level.PERSON, kind)) for kind in Kind}


def put(values: Values, column: Column, value: object) -> None:
    """Store a converted value: 健康状况 as its four flags, any other column under its key."""
    if isinstance(value, dict):
        values.update(value)
    else:
        values[column.key] = value


def absent_defaults(columns: Mapping[int, Column]) -> tuple[Values, Values]:
    """Blank values for the layout's columns a file does not have (any optional column may be left out)."""
    present = {id(column) for column in columns.values()}
    person: Values = {}
    household: Values = {}
    for column in REGISTRY_COLUMNS:
        if id(column) in present or column.kind in (Kind.COUNT, Kind.TOTAL):
            continue
        if column.level == Level.PERSON:
            put(person, column, blank(column))
        elif column.level == Level.HOUSEHOLD:
            household[column.key] = blank(column)
    return person, household
