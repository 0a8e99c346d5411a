"""Reading the year-versioned code lists (代码表). Values live in ``CodeValue`` rows, loaded from
``data/codelists.json`` by a data migration; nothing here hard-codes a value."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tuopin.registry.models import CodeValue

DATA_FILE = Path(__file__).parent / "data" / "codelists.json"


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    aliases: tuple[str, ...]
    valid_from: int
    valid_to: int | None

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


@cache
def _lists() -> dict[str, tuple[Code, ...]]:
    result: dict[str, list[Code]] = {}
    for row in CodeValue.objects.order_by("list_name", "sort_order", "code"):
        result.setdefault(row.list_name, []).append(
            Code(row.code, row.label, tuple(row.aliases or ()), row.valid_from, row.valid_to)
        )
    return {name: tuple(codes) for name, codes in result.items()}


def clear_cache() -> None:
    _lists.cache_clear()
    _valid_codes.cache_clear()


@cache
def _valid_codes(list_name: str, year: int | None) -> frozenset[str]:
    return frozenset(code.code for code in codes(list_name, year))


def codes(list_name: str, year: int | None = None) -> tuple[Code, ...]:
    return tuple(code for code in _lists().get(list_name, ()) if code.valid_in(year))


def choices(list_name: str, year: int | None = None, *, blank: bool = True) -> list[tuple[str, str]]:
    options = [(code.code, code.label) for code in codes(list_name, year)]
    return ([("", "——")] if blank else []) + options


def label(list_name: str, code: str) -> str:
    if not code:
        return ""
    for item in _lists().get(list_name, ()):
        if item.code == code:
            return item.label
    return code


def is_valid(list_name: str, code: str, year: int | None = None) -> bool:
    # Cached as a set: imports call this for every coded cell of every row.
    return code in _valid_codes(list_name, year)


def lookup(list_name: str, text: str, year: int | None = None) -> str | None:
    """The code whose code, label or alias equals ``text`` (for imports of Chinese labels)."""
    text = text.strip()
    for item in codes(list_name, year):
        if text in (item.code, item.label, *item.aliases):
            return item.code
    return None


def load_rows() -> list[dict]:
    """The shipped code lists as rows, for the data migration and ``tuopin codes reload``."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return [{"list_name": name, **row} for name, rows in data.items() for row in rows]
