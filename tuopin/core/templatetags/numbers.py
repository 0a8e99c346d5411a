"""Chinese number formatting for every page: ``{% load numbers %}``.

``{{ amount|wan }}`` → ``12,114.86`` (万元, two decimals); ``{{ amount|yuan }}`` → ``1,234,567.00``;
``{{ count|thousands }}`` → ``3,127``; ``{{ share|pct }}`` → ``24.4%``; ``{{ n|plain }}`` → ``6`` (no ``6.00``).
Empty values show as ``—``. The unit is written beside the figure by the template (户, 人, 万元, 元, %).
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from tuopin.core.money import as_decimal, to_cents, yuan_to_wan

register = template.Library()
EMPTY = "—"


@register.filter
def thousands(value: object) -> str:
    """A count or measure with thousand separators, without trailing zeros: 3127 → 3,127; 6.50 → 6.5."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


@register.filter
def plain(value: object) -> str:
    """A number without trailing zeros and without separators: ``6.00`` → ``6``, ``2018`` → ``2018``."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize():f}"


@register.filter
def yuan(value: object) -> str:
    """An amount in yuan with separators and two decimals: 1234567 → 1,234,567.00."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    return f"{to_cents(number):,.2f}"


@register.filter
def wan(value: object) -> str:
    """Yuan shown in 万元 with separators and two decimals: 121148567 → 12,114.86."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    return f"{yuan_to_wan(number):,.2f}"


@register.filter
def pct(value: object, digits: int = 1) -> str:
    """A share (0..1) as a percentage: 0.2444 → 24.4%. Use ``pct_of`` for a value already in percent."""
    number = as_decimal(value)
    return EMPTY if number is None else pct_of(number * 100, digits)


@register.filter
def pct_of(value: object, digits: int = 1) -> str:
    """A value already in percent: 24.44 → 24.4%."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    return f"{number:,.{int(digits)}f}%"


@register.filter
def ratio(part: object, whole: object) -> Decimal | None:
    """``part / whole`` as a share for ``pct`` (None when the whole is zero or missing)."""
    p, w = as_decimal(part), as_decimal(whole)
    if p is None or not w:
        return None
    return p / w
