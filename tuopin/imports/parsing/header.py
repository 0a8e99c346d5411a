"""Finding the header row of a registry file and mapping its cells to the layout's columns."""

from tuopin.imports.parsing.layout import (
    REGISTRY_COLUMNS,
    REQUIRED_ONE_OF,
    Column,
    header_index,
    normalise_header,
)
from tuopin.imports.parsing.reader import Cell, Table, UnreadableFileError
from tuopin.imports.parsing.result import Header

HEADER_SEARCH_ROWS = 10  # the header is one of the first rows
MIN_KNOWN_HEADERS = 3


def _header_row(table: Table, index: dict[str, Column]) -> tuple[int, list[Cell]]:
    for row_index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        keys = [normalise_header(cell) for cell in row]
        if sum(1 for key in keys if key in index) >= MIN_KNOWN_HEADERS:
            return row_index, row
    raise UnreadableFileError(
        "找不到表头：前 10 行中没有一行含有“户编号”“姓名”“证件号码”等列名，请使用导入模板"
    )


def _map_columns(names: list[str], index: dict[str, Column]) -> tuple[dict[int, Column], list[str]]:
    mapped: dict[int, Column] = {}
    seen: dict[int, str] = {}
    unknown = []
    for position, name in enumerate(names):
        key = normalise_header(name)
        if not key:
            continue
        column = index.get(key)
        if column is None:
            unknown.append(name)
            continue
        if id(column) in seen:
            raise UnreadableFileError(f"列“{name}”与列“{seen[id(column)]}”是同一项，表头重复，请删除其中一列")
        seen[id(column)] = name
        mapped[position] = column
    return mapped, unknown


def find_header(table: Table, columns: tuple[Column, ...] = REGISTRY_COLUMNS) -> Header:
    index = header_index(columns)
    row_index, row = _header_row(table, index)
    names = ["" if cell is None else str(cell).strip() for cell in row]
    mapped, unknown = _map_columns(names, index)
    present = {id(column) for column in mapped.values()}
    missing = [column.header for column in columns if column.required and id(column) not in present]
    headers_present = {column.header for column in mapped.values()}
    for group in REQUIRED_ONE_OF:
        if columns is REGISTRY_COLUMNS and not headers_present.intersection(group):
            missing.append("或".join(group))
    if missing:
        raise UnreadableFileError("缺少必需的列：" + "、".join(missing))
    return Header(row_index=row_index, columns=mapped, names=names, unknown=unknown)
