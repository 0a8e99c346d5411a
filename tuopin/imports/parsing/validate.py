"""Checking every row of a registry file before anything is written.

``validate_table`` turns a ``Table`` into households ready to write plus a list of ``RowError`` (row, column,
value, Chinese message). A household with any bad row is held back whole. Free of Django: what it needs
from the database (code lists, regions, who is registered where) arrives as plain data in a ``Context``.
"""

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tuopin.imports.parsing.layout import (
    FALSE_WORDS,
    HEALTH_FLAGS,
    INCOME_PARTS,
    REGISTRY_COLUMNS,
    REQUIRED_ONE_OF,
    TRUE_WORDS,
    Column,
    Kind,
    Level,
    header_index,
    normalise_header,
)
from tuopin.imports.parsing.reader import Cell, Table, UnreadableFileError

CENT = Decimal("0.01")
MAX_NUMBER_TEXT = 40  # longer number texts are refused before they are parsed
MAX_AMOUNT = Decimal(10) ** 12  # DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal(0)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class Location:
    village_id: int
    group_id: int | None


@dataclass(frozen=True)
class Context:
    """What validation needs to know about the database, as plain data.

    ``code_map(list_name, year)`` maps every accepted text (code, label, alias) to the code;
    ``locate(county, township, village, group)`` returns a ``Location`` or a Chinese refusal (unknown area, or
    outside the user's jurisdiction); ``registered_ids`` maps ID numbers already in the registry to their
    户编号;
    ``foreign_ids`` and ``foreign_households`` hold ID numbers and 户编号 registered outside the user's
    jurisdiction; they are refused with ``foreign_id_message`` / ``foreign_household_message``, which must
    not disclose that the number is registered or where (the caller passes the registry's wording).
    """

    code_map: Callable[[str, int | None], Mapping[str, str]]
    locate: Callable[[str, str, str, str], "Location | str"]
    # The registry's own business checks, the only ones (shared with the edit pages and the API). Each returns
    # {field name: [Chinese messages]}; ``check_person`` also returns the values to store (ID number, birth
    # date and sex as the registry derives them). The parser checks only what spans rows (one head, totals).
    check_person: Callable[[dict, int | None], tuple[dict, Mapping[str, list[str]]]]
    check_household: Callable[[dict], Mapping[str, list[str]]]
    registered_ids: Mapping[str, str] = field(default_factory=dict)
    foreign_households: frozenset[str] = frozenset()
    foreign_ids: frozenset[str] = frozenset()
    foreign_id_message: str = "该证件号码不能使用"
    foreign_household_message: str = "该户编号不能使用"


@dataclass
class ParsedHousehold:
    household_no: str
    rows: list[int]
    location: Location | None
    fields: dict[str, object]
    persons: list[dict[str, object]]


@dataclass
class Header:
    row_index: int  # index into table.rows
    columns: dict[int, Column]  # cell index → column
    names: list[str]  # header texts as in the file
    unknown: list[str]


@dataclass
class Result:
    header: Header
    rows_total: int
    errors: list[RowError]
    households: dict[str, ParsedHousehold]  # valid households, in file order
    held_back: dict[str, list[int]]  # 户编号 → rows of households with an error
    first_row: int

    @property
    def valid_rows(self) -> int:
        return sum(len(h.rows) for h in self.households.values())

    @property
    def error_rows(self) -> set[int]:
        return {error.row for error in self.errors}


class _BadCellError(Exception):
    pass


# --- header -----------------------------------------------------------------------------


def find_header(table: Table, columns: tuple[Column, ...] = REGISTRY_COLUMNS) -> Header:
    index = header_index(columns)
    for row_index, row in enumerate(table.rows[:10]):  # noqa: B007 - the loop leaves row_index set
        keys = [normalise_header(cell) for cell in row]
        known = sum(1 for key in keys if key in index)
        if known >= 3:
            break
    else:
        raise UnreadableFileError(
            "找不到表头：前 10 行中没有一行含有“户编号”“姓名”“证件号码”等列名，请使用导入模板"
        )
    mapped: dict[int, Column] = {}
    seen: dict[int, str] = {}
    unknown = []
    names = ["" if cell is None else str(cell).strip() for cell in row]
    for position, key in enumerate(keys):
        if not key:
            continue
        column = index.get(key)
        if column is None:
            unknown.append(names[position])
            continue
        if id(column) in seen:
            raise UnreadableFileError(
                f"列“{names[position]}”与列“{seen[id(column)]}”是同一项，表头重复，请删除其中一列"
            )
        seen[id(column)] = names[position]
        mapped[position] = column
    present = {id(column) for column in mapped.values()}
    missing = [column.header for column in columns if column.required and id(column) not in present]
    headers_present = {column.header for column in mapped.values()}
    for group in REQUIRED_ONE_OF:
        if columns is REGISTRY_COLUMNS and not headers_present.intersection(group):
            missing.append("或".join(group))
    if missing:
        raise UnreadableFileError("缺少必需的列：" + "、".join(missing))
    return Header(row_index=row_index, columns=mapped, names=names, unknown=unknown)


# --- cells ------------------------------------------------------------------------------


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


def _to_int(cell: Cell) -> int:
    if isinstance(cell, bool):
        raise _BadCellError("应为整数")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        if cell.is_integer():
            return int(cell)
        raise _BadCellError("应为整数")
    text = cell_text(cell)
    if len(text) > MAX_NUMBER_TEXT:
        raise _BadCellError("数值过长")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.0+", text):
        return int(text.split(".")[0])
    raise _BadCellError("应为整数")


def _to_decimal(cell: Cell) -> Decimal:
    """A finite amount below 10^12 (the 14-digit, 2-place columns it is stored in) with at most two places."""
    if isinstance(cell, bool):
        raise _BadCellError("应为数字")
    try:
        if isinstance(cell, int):
            value = Decimal(cell)
        elif isinstance(cell, float):
            value = Decimal(repr(cell))
        else:
            text = cell_text(cell).replace(",", "").replace("，", "")
            if len(text) > MAX_NUMBER_TEXT:
                raise _BadCellError("数值过长")
            value = Decimal(text)
        if not value.is_finite():
            raise _BadCellError("应为有限的数字（不接受 NaN、Infinity）")
        if abs(value) >= MAX_AMOUNT:
            raise _BadCellError(f"超出范围（绝对值应小于 {MAX_AMOUNT:,}）")
        if isinstance(cell, float):
            return value.quantize(CENT, rounding=ROUND_HALF_UP)
        if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
            raise _BadCellError("最多保留两位小数")
        return value.quantize(CENT)
    except (InvalidOperation, ValueError):
        raise _BadCellError("应为数字") from None


def _to_date(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if not match:
        raise _BadCellError("应为日期，如 1980-05-03")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise _BadCellError("不是有效的日期") from None


def _to_bool(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = cell_text(cell)
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise _BadCellError("应填“是”或“否”")


_HEALTH_BY_LABEL = {label: name for name, label in HEALTH_FLAGS}
_HEALTH_SPLIT = re.compile(r"[，,、;；/\s]+")


def _to_health(text: str) -> dict[str, bool]:
    flags = dict.fromkeys(_HEALTH_BY_LABEL.values(), False)
    for part in _HEALTH_SPLIT.split(text):
        if not part:
            continue
        name = _HEALTH_BY_LABEL.get(part)
        if name is None:
            raise _BadCellError("只能是“健康”“长期慢性病”“患有大病”“残疾”中的一项或几项")
        flags[name] = True
    if flags["is_healthy"] and sum(flags.values()) > 1:
        raise _BadCellError("“健康”不能与疾病或残疾同时填写")
    return flags


def _text(column, cell, year, code_map):
    text = cell.strip() if type(cell) is str else cell_text(cell)
    if column.max_length and len(text) > column.max_length:
        raise _BadCellError(f"不能超过 {column.max_length} 个字")
    return text


def _code(column, cell, year, code_map):
    text = cell.strip() if type(cell) is str else cell_text(cell)
    if text in column.blank_words:
        return ""
    code = code_map(column.code_list, year).get(text)
    if code is None:
        when = f"{year}年度" if year else ""
        raise _BadCellError(f"不是{when}“{column.header}”代码表中的有效取值")
    return code


def _choice(column, cell, year, code_map):
    text = cell_text(cell)
    for code, label in column.choices:
        if text in (code, label):
            return code
    raise _BadCellError("只能是" + "、".join(f"“{label}”" for _, label in column.choices))


def _count(column, cell, year, code_map):
    value = _to_int(cell)
    if value < 0:
        raise _BadCellError("不能为负数")
    return value


def _year(column, cell, year, code_map):
    value = _to_int(cell)
    if not 1949 <= value <= 2100:
        raise _BadCellError("应为四位年份")
    return value


def _area(column, cell, year, code_map):
    value = _to_decimal(cell)
    if value < 0:
        raise _BadCellError("不能为负数")
    return value


def _id(column, cell, year, code_map):
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        raise _BadCellError("被存成了数字（末几位可能已丢失），请把该列设为文本格式后重新填写")
    return cell_text(cell).upper().replace(" ", "")


_CONVERTERS = {
    Kind.TEXT: _text,
    Kind.CODE: _code,
    Kind.CHOICE: _choice,
    Kind.BOOL: lambda column, cell, year, code_map: _to_bool(cell),
    Kind.NBOOL: lambda column, cell, year, code_map: _to_bool(cell),
    Kind.INT: _count,
    Kind.COUNT: _count,
    Kind.YEAR: _year,
    Kind.MONEY: lambda column, cell, year, code_map: _to_decimal(cell),
    Kind.TOTAL: lambda column, cell, year, code_map: _to_decimal(cell),
    Kind.AREA: _area,
    Kind.DATE: lambda column, cell, year, code_map: _to_date(cell),
    Kind.HEALTH: lambda column, cell, year, code_map: _to_health(cell_text(cell)),
    Kind.ID: _id,
}


def convert(column: Column, cell: Cell, year: int | None, code_map) -> object:
    """The stored value of one non-blank cell, or ``_BadCellError`` with the reason."""
    return _CONVERTERS[column.kind](column, cell, year, code_map)


def _blank(column: Column) -> object:
    if column.kind == Kind.BOOL:
        return False
    if column.kind in (Kind.TEXT, Kind.CODE, Kind.CHOICE, Kind.ID):
        return ""
    if column.kind == Kind.HEALTH:
        return dict.fromkeys(_HEALTH_BY_LABEL.values(), False)
    return None


_BLANKS = {kind: _blank(Column("", "", Level.PERSON, kind)) for kind in Kind}


def _absent_defaults(columns: Mapping[int, Column]) -> tuple[dict[str, object], dict[str, object]]:
    """Blank values for the layout's columns a file does not have (any optional column may be left out)."""
    present = {id(column) for column in columns.values()}
    person: dict[str, object] = {}
    household: dict[str, object] = {}
    for column in REGISTRY_COLUMNS:
        if id(column) in present or column.kind in (Kind.COUNT, Kind.TOTAL):
            continue
        if column.level == Level.PERSON:
            if column.kind == Kind.HEALTH:
                person.update(_blank(column))  # type: ignore[arg-type]
            else:
                person[column.key] = _blank(column)
        elif column.level == Level.HOUSEHOLD:
            household[column.key] = _blank(column)
    return person, household


# --- rows -------------------------------------------------------------------------------


def validate_table(
    table: Table, context: Context, *, on_progress: Callable[[int, int], None] | None = None
) -> Result:
    header = find_header(table)
    columns = header.columns
    names = header.names
    first = header.row_index + 1
    data_rows = table.rows[first:]
    total = len(data_rows)
    if not any(raw.count(None) + raw.count("") != len(raw) for raw in data_rows):
        raise UnreadableFileError("文件只有表头，没有数据行")
    errors: list[RowError] = []

    row_error_columns: dict[int, set[int]] = {}

    def err(row: int, column: Column | None, value: object, message: str) -> None:
        if column is not None:
            row_error_columns.setdefault(row, set()).add(id(column))
        label = (
            names[_position(columns, column)]
            if column is not None and _position(columns, column) >= 0
            else ""
        )
        errors.append(RowError(row, label or (column.header if column else ""), cell_text(value), message))

    code_cache: dict[tuple[str, int | None], Mapping[str, str]] = {}

    def code_map(list_name: str, year: int | None) -> Mapping[str, str]:
        key = (list_name, year)
        if key not in code_cache:
            code_cache[key] = context.code_map(list_name, year)
        return code_cache[key]

    pos_of = {id(column): pos for pos, column in columns.items()}
    household_no_pos = pos_of[id(_col(columns, "household_no", Level.HOUSEHOLD))]
    year_pos = pos_of[id(_col(columns, "data_year", Level.HOUSEHOLD))]
    person_cols = [(pos, c) for pos, c in sorted(columns.items()) if c.level == Level.PERSON]
    household_cols = [(pos, c) for pos, c in sorted(columns.items()) if c.level == Level.HOUSEHOLD]
    location_cols = [(pos, c) for pos, c in sorted(columns.items()) if c.level == Level.LOCATION]
    shared_positions = [pos for pos, _ in location_cols + household_cols]
    shared_of = operator.itemgetter(*shared_positions)
    blanks = {id(column): _blank(column) for column in columns.values()}
    width = max(columns) + 1
    absent_person, absent_household = _absent_defaults(columns)

    households: dict[str, ParsedHousehold] = {}
    household_first_raw: dict[str, tuple[int, tuple]] = {}
    household_raw: dict[str, list] = {}
    bad_households: dict[str, list[int]] = {}
    household_order: list[str] = []
    household_rows: dict[str, list[int]] = {}
    seen_ids: dict[str, int] = {}
    flagged_duplicates: set[int] = set()
    location_cache: dict[tuple[str, ...], Location | str] = {}
    error_rows: set[int] = set()
    step = max(total // 100, 500)

    for offset, raw in enumerate(data_rows):
        row_no = table.first_row + first + offset
        if on_progress is not None and offset % step == 0:
            on_progress(offset, total)
        if len(raw) < width:
            raw = [*raw, *([None] * (width - len(raw)))]
        if raw.count(None) + raw.count("") == len(raw):
            continue
        before = len(errors)
        household_no = cell_text(raw[household_no_pos])
        if not household_no:
            err(row_no, columns[household_no_pos], "", "户编号不能为空")
        year = None
        year_cell = raw[year_pos]
        if year_cell not in (None, ""):
            try:
                year = convert(columns[year_pos], year_cell, None, code_map)
            except _BadCellError:
                year = None

        person: dict[str, object] = {}
        for pos, column in person_cols:
            cell = raw[pos]
            if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
                if column.required:
                    err(row_no, column, cell, f"“{column.header}”不能为空")
                value = blanks[id(column)]
            else:
                try:
                    value = _CONVERTERS[column.kind](column, cell, year, code_map)
                except _BadCellError as bad:
                    err(row_no, column, cell, f"“{cell_text(cell)}”{bad}")
                    value = blanks[id(column)]
            if column.kind == Kind.HEALTH:
                person.update(value)  # type: ignore[arg-type]
            else:
                person[column.key] = value
        if absent_person:
            person = {**absent_person, **person}
        done = row_error_columns.get(row_no, set())
        person = _registry_person_check(context, person, year, row_no, raw, pos_of, columns, err, done)

        id_number = person.get("id_number") or ""
        if id_number:
            if id_number in seen_ids:
                first_seen = seen_ids[id_number]
                err(row_no, _col(columns, "id_number"), id_number, f"证件号码与第 {first_seen} 行重复")
                if first_seen not in flagged_duplicates:
                    flagged_duplicates.add(first_seen)
                    err(first_seen, _col(columns, "id_number"), id_number, f"证件号码与第 {row_no} 行重复")
            else:
                seen_ids[id_number] = row_no
            registered_in = context.registered_ids.get(id_number)
            if id_number in context.foreign_ids:
                err(row_no, _col(columns, "id_number"), id_number, context.foreign_id_message)
            elif registered_in is not None and registered_in != household_no:
                err(
                    row_no,
                    _col(columns, "id_number"),
                    id_number,
                    f"该证件号码已登记在另一户（户编号 {registered_in}），同一人不能属于两户",
                )

        if household_no:
            shared = shared_of(raw)
            if household_no not in household_first_raw:
                household_first_raw[household_no] = (row_no, shared)
                household_raw[household_no] = raw
                household_order.append(household_no)
                household_rows[household_no] = []
                fields = _household_fields(
                    raw, row_no, year, household_cols, location_cols, code_map, err, context, location_cache
                )
                location = fields.pop("__location__")
                households[household_no] = ParsedHousehold(
                    household_no,
                    [],
                    location,
                    {**absent_household, **fields},
                    [],  # type: ignore[arg-type]
                )
                if household_no in context.foreign_households:
                    err(
                        row_no,
                        columns[household_no_pos],
                        household_no,
                        context.foreign_household_message,
                    )
            else:
                first_row, first_shared = household_first_raw[household_no]
                if shared != first_shared:
                    for (_pos, column), a, b in zip(
                        location_cols + household_cols, shared, first_shared, strict=True
                    ):
                        if cell_text(a) != cell_text(b):
                            err(
                                row_no,
                                column,
                                a,
                                f"同一户的“{column.header}”应与本户第 {first_row} 行一致"
                                f"（该行为“{cell_text(b)}”）",
                            )
            household_rows[household_no].append(row_no)
            households[household_no].persons.append(person)
            households[household_no].rows.append(row_no)
        if len(errors) > before:
            error_rows.add(row_no)
            if household_no:
                bad_households.setdefault(household_no, [])

    if on_progress is not None:
        on_progress(total, total)

    for household_no in household_order:
        household = households[household_no]
        _check_household(household, columns, err)
        if household.location is not None:
            messages = context.check_household(dict(household.fields))
            raw_first = household_raw[household.household_no]
            _report_field_messages(
                messages, household.rows[0], raw_first, pos_of, columns, err, Level.HOUSEHOLD
            )

    for error in errors:
        error_rows.add(error.row)
    row_household: dict[int, str] = {}
    for household_no, rows in household_rows.items():
        for row in rows:
            row_household[row] = household_no
    for row in error_rows:
        if row in row_household:
            bad_households.setdefault(row_household[row], [])
    held_back = {}
    for household_no in list(households):
        if household_no in bad_households:
            held_back[household_no] = households.pop(household_no).rows
    errors.sort(key=lambda e: (e.row, pos_of_header(names, e.column)))
    rows_total = sum(1 for raw in data_rows if raw.count(None) + raw.count("") != len(raw))
    return Result(
        header=header,
        rows_total=rows_total,
        errors=errors,
        households=households,
        held_back=held_back,
        first_row=table.first_row + first,
    )


def pos_of_header(names: list[str], label: str) -> int:
    try:
        return names.index(label)
    except ValueError:
        return len(names)


def _position(columns: dict[int, Column], column: Column) -> int:
    for pos, candidate in columns.items():
        if candidate is column:
            return pos
    return -1


def _col(columns: dict[int, Column], key: str, level: Level = Level.PERSON) -> Column | None:
    for column in columns.values():
        if column.key == key and column.level == level:
            return column
    return None


_FIELD_ALIASES = {
    "is_healthy": "health",
    "has_chronic_disease": "health",
    "has_serious_disease": "health",
    "is_disabled": "health",
    "group": "group",
    "village": "village",
}


def _column_for_field(columns: dict[int, Column], name: str, level: Level) -> Column | None:
    key = _FIELD_ALIASES.get(name, name)
    matches = [column for column in columns.values() if column.key == key]
    preferred = [column for column in matches if column.level == level]
    return (preferred or matches or [None])[0]


def _report_field_messages(
    messages, row_no, raw, pos_of, columns, err, level: Level, done=frozenset()
) -> None:
    """Report {field: [messages]} on the field's column, unless that cell was already reported as unreadable."""
    for name, texts in messages.items():
        column = _column_for_field(columns, name, level)
        if column is None and name in ("id_number", "relation", "name", "sex"):
            continue
        value = raw[pos_of[id(column)]] if column is not None else ""
        if column is not None and id(column) in done:
            continue
        for text in texts:
            err(row_no, column, value, text)


def _registry_person_check(context, person, year, row_no, raw, pos_of, columns, err, done) -> dict:
    """Run the registry's person checks; take the ID number, birth date and sex as it derives them."""
    values, messages = context.check_person(dict(person), year)
    _report_field_messages(messages, row_no, raw, pos_of, columns, err, Level.PERSON, done)
    for name in ("id_number", "birth_date", "sex", "id_type"):
        if name in values:
            person[name] = values[name]
    if person.get("id_number") is None:
        person["id_number"] = ""
    return person


def _household_fields(
    raw, row_no, year, household_cols, location_cols, code_map, err, context, location_cache
):
    fields: dict[str, object] = {}
    for pos, column in household_cols:
        cell = raw[pos]
        if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
            if column.required:
                err(row_no, column, cell, f"“{column.header}”不能为空")
            fields[column.key] = _BLANKS[column.kind]
            continue
        try:
            fields[column.key] = _CONVERTERS[column.kind](column, cell, year, code_map)
        except _BadCellError as bad:
            err(row_no, column, cell, f"“{cell_text(cell)}”{bad}")
            fields[column.key] = _BLANKS[column.kind]
    place = {column.key: cell_text(raw[pos]) for pos, column in location_cols}
    key = (
        place.get("county", ""),
        place.get("township", ""),
        place.get("village", ""),
        place.get("group", ""),
    )
    if key not in location_cache:
        location_cache[key] = context.locate(*key)
    located = location_cache[key]
    if isinstance(located, str):
        village_col = next((c for _, c in location_cols if c.key == "village"), None)
        err(row_no, village_col, "/".join(part for part in key if part), located)
        fields["__location__"] = None
    else:
        fields["__location__"] = located
    return fields


def _check_household(household: ParsedHousehold, columns: dict[int, Column], err) -> None:
    """The checks across a household's rows; the per-field rules are the registry's (``check_household``)."""
    rows = household.rows
    persons = household.persons
    relation_col = _col(columns, "relation")
    heads = [row for row, person in zip(rows, persons, strict=True) if person.get("relation") == "head"]
    spouses = [row for row, person in zip(rows, persons, strict=True) if person.get("relation") == "spouse"]
    if not heads and all(person.get("relation") for person in persons):
        for row in rows:
            err(row, relation_col, "", f"户 {household.household_no} 没有户主（每户必须有且只有一名户主）")
    for row in heads[1:]:
        err(row, relation_col, "户主", f"户 {household.household_no} 有多名户主（第 {heads[0]} 行已是户主）")
    for row in spouses[1:]:
        err(
            row, relation_col, "配偶", f"户 {household.household_no} 有多名配偶（第 {spouses[0]} 行已是配偶）"
        )
    if len(heads) == 1 and len(spouses) == 1:
        head = persons[rows.index(heads[0])]
        spouse = persons[rows.index(spouses[0])]
        if head.get("sex") and head.get("sex") == spouse.get("sex"):
            err(spouses[0], _col(columns, "sex"), "", "户主与配偶的性别相同，请核对")
    fields = household.fields
    first = rows[0]
    count = fields.pop("member_count", None)
    if count is not None and count != len(rows):
        err(
            first,
            _col(columns, "member_count", Level.HOUSEHOLD),
            count,
            f"家庭人口数为 {count}，但文件中本户有 {len(rows)} 人",
        )
    gross_stated = fields.pop("gross_income", None)
    net_stated = fields.pop("net_income", None)
    parts = [fields.get(name) for name in INCOME_PARTS]
    gross = sum(parts, ZERO) if all(part is not None for part in parts) else None  # type: ignore[arg-type]
    if gross_stated is not None:
        if gross is None:
            err(
                first,
                _col(columns, "gross_income", Level.HOUSEHOLD),
                gross_stated,
                "填写了年收入，但四项收入不全",
            )
        elif gross != gross_stated:
            err(
                first,
                _col(columns, "gross_income", Level.HOUSEHOLD),
                gross_stated,
                f"年收入应等于工资性、生产经营性、财产性、转移性收入之和（{gross}）",
            )
    if net_stated is not None:
        expense = fields.get("business_expense")
        if gross is None or expense is None:
            err(
                first,
                _col(columns, "net_income", Level.HOUSEHOLD),
                net_stated,
                "填写了纯收入，但收入或生产经营性支出不全",
            )
        elif gross - expense != net_stated:  # type: ignore[operator]
            err(
                first,
                _col(columns, "net_income", Level.HOUSEHOLD),
                net_stated,
                f"纯收入应等于年收入减生产经营性支出（{gross - expense}）",  # type: ignore[operator]
            )
