"""What checking a registry file produces and needs: row errors, the parsed households, the context.

Free of Django: what checking needs from the database (code lists, regions, the registry's own checks, who is
registered where) arrives as plain data and callables in a ``Context``.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tuopin.imports.parsing.layout import Column

#: a field's values as the parser builds them (text, number, date, flag) before they are written
Values = dict[str, object]
#: {field name: [Chinese messages]}, the registry checks' answer
FieldMessages = Mapping[str, list[str]]


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
    check_person: Callable[[Values, int | None], tuple[Values, FieldMessages]]
    check_household: Callable[[Values], FieldMessages]
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
    fields: Values
    persons: list[Values]


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


class BadCellError(Exception):
    """A cell that cannot be read as its column's kind; the message says why (Chinese)."""
