"""Sortable, paged tables for every list page: one helper, one pager, one sort header.

A view declares its sortable columns and hands the rows (a queryset or a list) to :func:`table_page`::

    COLUMNS = (Column("code", "户编号", ("household_code",)), Column("size", "人数", ("size", "household_code")))
    table = table_page(request, rows, columns=COLUMNS, default="code")
    # context: {"table": table}; template: {% include "components/sort_header.html" with column=... %}
    #          {% include "components/pager.html" with table=table target="#results" %}

The sort key comes from ``?sort=size`` or ``?sort=-size`` (descending) and is checked against the declared
columns, so a request cannot order by an arbitrary field. The page number is bounded by Django's paginator.
Every link keeps the other query parameters (the filters), so an export link built from
``table.query_string`` exports exactly the rows shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 50
PAGE_SIZES = (20, 50, 100, 200)


@dataclass(frozen=True)
class Column:
    """A sortable column: its key in the URL, its Chinese header and the fields (or a key function) it orders by."""

    key: str
    label: str
    order_by: tuple[str, ...] = ()
    sort_key: Callable[[Any], Any] | None = None  # for plain lists

    def ordering(self, descending: bool) -> list[str]:
        fields = self.order_by or (self.key,)
        return [f"-{f}" if descending else f for f in fields]


@dataclass(frozen=True)
class SortLink:
    column: Column
    active: bool
    descending: bool
    href: str

    @property
    def arrow(self) -> str:
        if not self.active:
            return ""
        return "↓" if self.descending else "↑"


@dataclass(frozen=True)
class TablePage:
    page: Page
    sort: str
    descending: bool
    query_string: str  # every parameter except page, for export links and page links
    links: dict[str, SortLink]
    page_numbers: list[int | str]

    @property
    def rows(self) -> Sequence[Any]:
        return self.page.object_list  # type: ignore[return-value]

    @property
    def count(self) -> int:
        return int(self.page.paginator.count)

    def page_href(self, number: int) -> str:
        prefix = f"{self.query_string}&" if self.query_string else ""
        return f"?{prefix}page={number}"


def _sorted(rows: Any, column: Column, descending: bool) -> Any:
    if isinstance(rows, QuerySet):
        return rows.order_by(*column.ordering(descending))
    key = column.sort_key or attrgetter(*(column.order_by or (column.key,)))

    def safe(row: Any) -> tuple[int, Any]:
        value = key(row)
        return (value is None, value) if not descending else (value is not None, value)

    return sorted(rows, key=safe, reverse=descending)


def _links(query: QueryDict, columns: Sequence[Column], sort: str, descending: bool) -> dict[str, SortLink]:
    links = {}
    for column in columns:
        active = column.key == sort
        params = query.copy()
        params.pop("page", None)
        params["sort"] = column.key if (active and descending) or not active else f"-{column.key}"
        links[column.key] = SortLink(column, active, descending, f"?{params.urlencode()}")
    return links


def _page_size(request: HttpRequest, default: int) -> int:
    raw = request.GET.get("size", "")
    return int(raw) if raw.isdigit() and int(raw) in PAGE_SIZES else default


def table_page(
    request: HttpRequest,
    rows: Any,
    *,
    columns: Sequence[Column],
    default: str,
    page_size: int = PAGE_SIZE,
) -> TablePage:
    """Sort ``rows`` by the requested column (or ``default``, ``-key`` for descending) and return one page."""
    by_key = {c.key: c for c in columns}
    requested = request.GET.get("sort", "") or default
    descending = requested.startswith("-")
    sort = requested.lstrip("-")
    if sort not in by_key:
        descending, sort = default.startswith("-"), default.lstrip("-")
    paginator = Paginator(_sorted(rows, by_key[sort], descending), _page_size(request, page_size))
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return TablePage(
        page=page,
        sort=sort,
        descending=descending,
        query_string=query.urlencode(),
        links=_links(request.GET, columns, sort, descending),
        page_numbers=[n if isinstance(n, int) else "…" for n in numbers],
    )
