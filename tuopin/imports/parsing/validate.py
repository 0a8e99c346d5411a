"""Checking every row of a registry file before anything is written.

``validate_table`` turns a ``Table`` into households ready to write plus a list of ``RowError`` (row, column,
value, Chinese message). A household with any bad row is held back whole. Free of Django: what it needs
from the database (code lists, regions, who is registered where) arrives as plain data in a ``Context``.

The stages live in their own modules: ``header`` (the header row), ``cells`` (one cell as its column's kind),
``persons`` (member cells, the registry's person check, ID numbers across rows), ``households`` (household
cells, location, repeated cells, checks across a household's rows). This module runs them over the rows.
"""

import operator
from collections.abc import Callable, Mapping

from tuopin.imports.parsing.cells import absent_defaults, cell_text, convert
from tuopin.imports.parsing.errors import Reporter
from tuopin.imports.parsing.header import find_header
from tuopin.imports.parsing.households import Locator, check_household, check_repeated, household_values
from tuopin.imports.parsing.layout import Level
from tuopin.imports.parsing.persons import IdNumbers, PersonReader
from tuopin.imports.parsing.reader import Cell, Table, UnreadableFileError
from tuopin.imports.parsing.result import (
    BadCellError,
    Context,
    Header,
    Location,
    ParsedHousehold,
    Result,
    RowError,
    Values,
)

__all__ = [
    "BadCellError",
    "Context",
    "Header",
    "Location",
    "ParsedHousehold",
    "Result",
    "RowError",
    "cell_text",
    "convert",
    "find_header",
    "validate_table",
]

Progress = Callable[[int, int], None]


def _is_empty_row(raw: list[Cell]) -> bool:
    return raw.count(None) + raw.count("") == len(raw)


class _FirstRow:
    """A household's first row: its number, raw cells and the cells every later row must repeat."""

    def __init__(self, row: int, raw: list[Cell], shared: tuple[Cell, ...]) -> None:
        self.row, self.raw, self.shared = row, raw, shared


class _Validation:
    """One pass over a file's data rows; holds what spans rows (households, ID numbers, caches)."""

    def __init__(self, header: Header, context: Context) -> None:
        self.context = context
        self.report = Reporter(header)
        columns = header.columns
        by_level = {
            level: [(pos, c) for pos, c in sorted(columns.items()) if c.level == level] for level in Level
        }
        self.household_cols = by_level[Level.HOUSEHOLD]
        self.location_cols = by_level[Level.LOCATION]
        self.shared_cols = self.location_cols + self.household_cols
        self.shared_of = operator.itemgetter(*(pos for pos, _ in self.shared_cols))
        self.width = max(columns) + 1
        self.household_no_pos = self._position("household_no")
        self.year_pos = self._position("data_year")
        self.year_column = columns[self.year_pos]
        absent_person, self.absent_household = absent_defaults(columns)
        self.persons = PersonReader(context, by_level[Level.PERSON], absent_person)
        self.ids = IdNumbers(context, self.report)
        self.locate = Locator(context.locate, self.location_cols)
        self.households: dict[str, ParsedHousehold] = {}
        self.first_rows: dict[str, _FirstRow] = {}
        self._codes: dict[tuple[str, int | None], Mapping[str, str]] = {}

    def _position(self, key: str) -> int:
        column = self.report.column(key, Level.HOUSEHOLD)
        assert column is not None  # noqa: S101 - find_header refuses a file without the required columns
        return self.report.position(column)

    def code_map(self, list_name: str, year: int | None) -> Mapping[str, str]:
        key = (list_name, year)
        if key not in self._codes:
            self._codes[key] = self.context.code_map(list_name, year)
        return self._codes[key]

    def _year(self, raw: list[Cell]) -> int | None:
        cell = raw[self.year_pos]
        if cell in (None, ""):
            return None
        try:
            year = convert(self.year_column, cell, None, self.code_map)
        except BadCellError:
            return None
        return year if isinstance(year, int) else None

    def row(self, row: int, raw: list[Cell]) -> None:
        report = self.report
        household_no = cell_text(raw[self.household_no_pos])
        if not household_no:
            report.add(row, self.report.header.columns[self.household_no_pos], "", "户编号不能为空")
        year = self._year(raw)
        person = self.persons(raw, row, year, self.code_map, report)
        id_number = person.get("id_number")
        self.ids.check(id_number if isinstance(id_number, str) else "", row, household_no)
        if household_no:
            household = self._household(household_no, row, raw, year)
            household.persons.append(person)
            household.rows.append(row)

    def _household(self, household_no: str, row: int, raw: list[Cell], year: int | None) -> ParsedHousehold:
        shared = self.shared_of(raw)
        shared = shared if isinstance(shared, tuple) else (shared,)
        first = self.first_rows.get(household_no)
        if first is not None:
            if shared != first.shared:
                check_repeated(row, shared, first.row, first.shared, self.shared_cols, self.report)
            return self.households[household_no]
        self.first_rows[household_no] = _FirstRow(row, raw, shared)
        fields = household_values(raw, row, year, self.household_cols, self.code_map, self.report)
        location: Location | None = self.locate(raw, row, self.report)
        household = ParsedHousehold(household_no, [], location, {**self.absent_household, **fields}, [])
        self.households[household_no] = household
        if household_no in self.context.foreign_households:
            column = self.report.header.columns[self.household_no_pos]
            self.report.add(row, column, household_no, self.context.foreign_household_message)
        return household

    def check_households(self) -> None:
        for household_no, household in self.households.items():
            check_household(household, self.report)
            if household.location is not None:
                fields: Values = dict(household.fields)
                messages = self.context.check_household(fields)
                raw = self.first_rows[household_no].raw
                self.report.field_messages(messages, household.rows[0], raw, Level.HOUSEHOLD)

    def held_back(self) -> dict[str, list[int]]:
        """Households with an error on any of their rows, taken out of ``households``."""
        error_rows = {error.row for error in self.report.errors}
        bad = [no for no, household in self.households.items() if error_rows.intersection(household.rows)]
        return {no: self.households.pop(no).rows for no in bad}


def validate_table(table: Table, context: Context, *, on_progress: Progress | None = None) -> Result:
    header = find_header(table)
    first = header.row_index + 1
    data_rows = table.rows[first:]
    total = len(data_rows)
    if all(_is_empty_row(raw) for raw in data_rows):
        raise UnreadableFileError("文件只有表头，没有数据行")
    run = _Validation(header, context)
    step = max(total // 100, 500)
    rows_total = 0
    for offset, raw in enumerate(data_rows):
        if on_progress is not None and offset % step == 0:
            on_progress(offset, total)
        if len(raw) < run.width:
            raw = [*raw, *([None] * (run.width - len(raw)))]
        if _is_empty_row(raw):
            continue
        rows_total += 1
        run.row(table.first_row + first + offset, raw)
    if on_progress is not None:
        on_progress(total, total)
    run.check_households()
    held_back = run.held_back()
    return Result(
        header=header,
        rows_total=rows_total,
        errors=run.report.sorted_errors(),
        households=run.households,
        held_back=held_back,
        first_row=table.first_row + first,
    )
