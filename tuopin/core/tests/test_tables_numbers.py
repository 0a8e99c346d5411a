from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tuopin.core.money import MoneyField, to_cents, yuan_to_wan
from tuopin.core.tables import Column, table_page
from tuopin.core.templatetags import numbers

COLUMNS = (Column("name", "姓名"), Column("size", "人数", ("size", "name")))
ROWS = [SimpleNamespace(name=f"户{i:03d}", size=i % 7) for i in range(120)]


def _table(query: str, **kwargs):
    return table_page(RequestFactory().get(f"/x/?{query}"), ROWS, columns=COLUMNS, default="name", **kwargs)


def test_sorts_by_a_declared_column_both_ways():
    up = _table("sort=size")
    down = _table("sort=-size")
    assert [r.size for r in up.rows][:3] == [0, 0, 0]
    assert down.descending
    assert next(r.size for r in down.rows) == 6
    assert up.links["size"].href.endswith("sort=-size")  # clicking the active column reverses it


def test_an_undeclared_sort_falls_back_to_the_default():
    table = _table("sort=__class__")
    assert table.sort == "name"
    assert table.rows[0].name == "户000"


def test_pages_are_numbered_and_keep_the_filters():
    table = _table("q=abc&page=2&sort=size", page_size=20)
    assert table.page.number == 2
    assert table.count == 120
    assert table.page_numbers[:3] == [1, 2, 3]
    assert table.page_numbers[-1] == 6
    assert "q=abc" in table.query_string
    assert "page" not in table.query_string
    html = Template('{% include "components/pager.html" with table=table %}').render(
        Context({"table": table})
    )
    assert "共 120 条" in html
    assert "page=6" in html
    assert "q=abc" in html


def test_a_bad_page_number_gives_the_last_page_not_an_error():
    assert _table("page=99999999999999999999", page_size=50).page.number == 3


@pytest.mark.parametrize(
    ("value", "wan", "yuan", "thousands"),
    [
        (Decimal("121148567"), "12,114.86", "121,148,567.00", "121,148,567"),
        (Decimal("380000"), "38.00", "380,000.00", "380,000"),
        (6, "0.00", "6.00", "6"),
        (None, "—", "—", "—"),
    ],
)
def test_chinese_number_formatting(value, wan, yuan, thousands):
    assert numbers.wan(value) == wan
    assert numbers.yuan(value) == yuan
    assert numbers.thousands(value) == thousands


def test_plain_and_percent():
    assert numbers.plain(Decimal("6.00")) == "6"
    assert numbers.plain(Decimal("31.50")) == "31.5"
    assert numbers.pct(Decimal("0.2444")) == "24.4%"
    assert numbers.pct(numbers.ratio(1, 0)) == "—"


def test_money_helpers_round_half_up_and_the_field_deconstructs_as_decimal():
    assert to_cents("1.005") == Decimal("1.01")
    assert yuan_to_wan("12345") == Decimal("1.23")
    _name, path, _args, kwargs = MoneyField(null=True).deconstruct()
    assert path == "django.db.models.DecimalField"
    assert kwargs["max_digits"] == 14
