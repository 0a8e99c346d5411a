"""The person stage of checking a file: the member cells of a row, the registry's person check, and the ID
numbers across rows (repeated in the file, registered in another household or outside the user's area)."""

from collections.abc import Sequence

from tuopin.imports.parsing.cells import CONVERTERS, CodeMap, blank, cell_text, is_blank, put
from tuopin.imports.parsing.errors import Reporter
from tuopin.imports.parsing.layout import Column, Level
from tuopin.imports.parsing.reader import Cell
from tuopin.imports.parsing.result import BadCellError, Context, Values

# Member cells whose emptiness the registry's person check judges (with the same message as the edit page):
# the ID number may be blank for some ID types, sex follows from the ID number.
REGISTRY_JUDGES_BLANK = frozenset({"name", "id_number", "relation", "sex", "health"})
# what the registry derives and the importer stores as derived
DERIVED = ("id_number", "birth_date", "sex", "id_type")


class PersonReader:
    """Reads the member cells of a row and runs the registry's person check on them."""

    def __init__(self, context: Context, columns: Sequence[tuple[int, Column]], absent: Values) -> None:
        self._context = context
        self._columns = columns
        self._absent = absent
        self._blanks = {id(column): blank(column) for _, column in columns}

    def _cells(
        self, raw: list[Cell], row: int, year: int | None, code_map: CodeMap, report: Reporter
    ) -> Values:
        person: Values = {}
        for pos, column in self._columns:
            cell = raw[pos]
            value = self._blanks[id(column)]
            if is_blank(cell):
                if column.required and column.key not in REGISTRY_JUDGES_BLANK:
                    report.add(row, column, cell, f"“{column.header}”不能为空")
            else:
                try:
                    value = CONVERTERS[column.kind](column, cell, year, code_map)
                except BadCellError as bad:
                    report.add(row, column, cell, f"“{cell_text(cell)}”{bad}")
            put(person, column, value)
        return {**self._absent, **person} if self._absent else person

    def __call__(
        self, raw: list[Cell], row: int, year: int | None, code_map: CodeMap, report: Reporter
    ) -> Values:
        """The person of one row, with the ID number, birth date and sex as the registry derives them."""
        person = self._cells(raw, row, year, code_map, report)
        values, messages = self._context.check_person(dict(person), year)
        report.field_messages(messages, row, raw, Level.PERSON)
        for name in DERIVED:
            if name in values:
                person[name] = values[name]
        if person.get("id_number") is None:
            person["id_number"] = ""
        return person


class IdNumbers:
    """ID numbers across the file: each once, none registered in another household or outside the area."""

    def __init__(self, context: Context, report: Reporter) -> None:
        self._context = context
        self._report = report
        self._column = report.column("id_number")
        self._seen: dict[str, int] = {}
        self._flagged: set[int] = set()

    def check(self, id_number: str, row: int, household_no: str) -> None:
        if not id_number:
            return
        report, column, context = self._report, self._column, self._context
        first = self._seen.get(id_number)
        if first is not None:
            report.add(row, column, id_number, f"证件号码与第 {first} 行重复")
            if first not in self._flagged:
                self._flagged.add(first)
                report.add(first, column, id_number, f"证件号码与第 {row} 行重复")
        else:
            self._seen[id_number] = row
        registered_in = context.registered_ids.get(id_number)
        if id_number in context.foreign_ids:
            report.add(row, column, id_number, context.foreign_id_message)
        elif registered_in is not None and registered_in != household_no:
            report.add(
                row,
                column,
                id_number,
                f"该证件号码已登记在另一户（户编号 {registered_in}），同一人不能属于两户",
            )
