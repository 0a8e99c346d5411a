"""Money: one field and one set of helpers for every amount the system stores or shows.

Amounts are yuan as :class:`~decimal.Decimal` with two decimals (``DECIMAL(14, 2)``), never float. Pages and
reports show large sums in 万元 (ten thousand yuan) with two decimals, as county documents do.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models

CENT = Decimal("0.01")
WAN = Decimal(10_000)
MAX_DIGITS = 14
DECIMAL_PLACES = 2


class MoneyField(models.DecimalField):
    """An amount in yuan: ``DECIMAL(14, 2)``. ``MoneyField(_("工资性收入"), null=True, blank=True)``.

    It deconstructs as a plain ``DecimalField`` so that migrations do not depend on this class.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def to_cents(value: Decimal | int | str) -> Decimal:
    """Round an amount to the cent, half up (the way a county ledger rounds)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan_to_wan(value: Decimal | int | str) -> Decimal:
    """Yuan → 万元, rounded to the cent of 万元 (two decimals)."""
    return (Decimal(value) / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def as_decimal(value: object) -> Decimal | None:
    """A number from a template or a query (Decimal, int, float, numeric string) as Decimal; None if not one."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
