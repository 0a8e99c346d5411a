"""Collecting row errors on the file's own column headers."""

from collections.abc import Mapping

from tuopin.imports.parsing.cells import cell_text
from tuopin.imports.parsing.layout import Column, Level
from tuopin.imports.parsing.reader import Cell
from tuopin.imports.parsing.result import FieldMessages, Header, RowError

# registry field names that are not a column key of their own
_FIELD_ALIASES = {
    "is_healthy": "health",
    "has_chronic_disease": "health",
    "has_serious_disease": "health",
    "is_disabled": "health",
}
# fields whose messages are dropped when the file has no column for them (the file's header already says so)
_NEEDS_COLUMN = frozenset({"id_number", "relation", "name", "sex"})


class Reporter:
    """The errors of one file, each named by the header text of its column as written in the file."""

    def __init__(self, header: Header) -> None:
        self.header = header
        self.errors: list[RowError] = []
        self._position = {id(column): pos for pos, column in header.columns.items()}
        self._bad_columns: dict[int, set[int]] = {}  # row → ids of columns with an error

    def add(self, row: int, column: Column | None, value: object, message: str) -> None:
        label = ""
        if column is not None:
            self._bad_columns.setdefault(row, set()).add(id(column))
            position = self._position.get(id(column))
            label = (self.header.names[position] if position is not None else "") or column.header
        self.errors.append(RowError(row, label, cell_text(value), message))

    def position(self, column: Column) -> int:
        return self._position[id(column)]

    def column(self, key: str, level: Level = Level.PERSON) -> Column | None:
        """The file's column for ``key`` at ``level``, if the file has it."""
        for column in self.header.columns.values():
            if column.key == key and column.level == level:
                return column
        return None

    def _column_for_field(self, name: str, level: Level) -> Column | None:
        key = _FIELD_ALIASES.get(name, name)
        matches = [column for column in self.header.columns.values() if column.key == key]
        preferred = [column for column in matches if column.level == level]
        found = preferred or matches
        return found[0] if found else None

    def field_messages(self, messages: FieldMessages, row: int, raw: list[Cell], level: Level) -> None:
        """Report the registry's {field: [messages]} on the field's column, unless that cell already has an
        error of its own (unreadable or empty)."""
        done = self._bad_columns.get(row, set())
        for name, texts in messages.items():
            column = self._column_for_field(name, level)
            if column is None and name in _NEEDS_COLUMN:
                continue
            if column is not None and id(column) in done:
                continue
            value = raw[self.position(column)] if column is not None else ""
            for text in texts:
                self.add(row, column, value, text)

    def sorted_errors(self) -> list[RowError]:
        names = self.header.names
        order: Mapping[str, int] = {name: index for index, name in reversed(list(enumerate(names)))}
        return sorted(self.errors, key=lambda e: (e.row, order.get(e.column, len(names))))
