"""Spreadsheet cells that no spreadsheet evaluates (docs/adr/0042-safe-export-cells.md). Free of Django:
the import-file writers (``imports/parsing``) and every other export use it.

A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel and
LibreOffice when it is typed — or when it is written as a formula cell, which openpyxl does for any text
starting with ``=``. In ``.xlsx`` such a text is written as an explicit string cell (``t="s"``/inline string,
never ``<f>``) with the *quotePrefix* style, which keeps the value unchanged and tells the spreadsheet to
treat the cell as text even when it is edited. In ``.csv``, which has no cell types, a leading apostrophe is
added; ``csv_value_in`` takes it off again on import, so an export imports back to the same value.
"""

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def protect_cell(cell) -> None:
    """Make an openpyxl cell holding text a plain string cell that no spreadsheet evaluates."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True


def text_cell(sheet, value: object) -> object:
    """The value to append to a write-only sheet: text as a protected ``WriteOnlyCell``, others unchanged."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    protect_cell(cell)
    return cell


def safe_row(sheet, values: Iterable[object]) -> list[object]:
    """A row for ``sheet.append`` on a write-only sheet."""
    return [value if isinstance(value, Cell) else text_cell(sheet, value) for value in values]


def append_safe(sheet, values: Iterable[object]) -> None:
    """``sheet.append`` for an ordinary (not write-only) sheet, then every text cell of the row protected."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        protect_cell(cell)


def csv_value_out(value: object) -> object:
    """A value for a CSV cell: a formula-looking text gets a leading apostrophe."""
    if looks_like_formula(value):
        return "'" + value  # type: ignore[operator]
    return "" if value is None else value


def csv_value_in(text: str) -> str:
    """The inverse of ``csv_value_out`` for text read from a CSV file."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
