"""One typed value from what a user typed: finite decimals with the places of their column, whole numbers in a
range, plausible dates and bounded texts (docs/adr/0041-one-home-for-input-rules.md).

These are the primitives of ``core.inputs``, which applies them against model fields, forms and query
parameters; import them from ``core.inputs``. Refusals are ``ApplicationError`` with a Chinese message naming
the value.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from tuopin.core.errors import ApplicationError

# The widest text a number may be typed with; anything longer is refused before it is parsed.
MAX_NUMBER_TEXT = 40
EARLIEST_DATE = datetime.date(1900, 1, 1)
# The strictest integer column ranges among the supported databases (PostgreSQL's; SQLite stores 64 bits).
INTEGER_RANGES: dict[str, tuple[int, int]] = dict(BaseDatabaseOperations.integer_field_ranges)
INTEGER_RANGES.setdefault("AutoField", INTEGER_RANGES["IntegerField"])
INTEGER_RANGES.setdefault("BigAutoField", INTEGER_RANGES["BigIntegerField"])
INTEGER_RANGES.setdefault("SmallAutoField", INTEGER_RANGES["SmallIntegerField"])


def latest_date() -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today


def parse_decimal(raw: object, *, label: str, max_digits: int, decimal_places: int) -> Decimal:
    """A finite decimal with at most ``max_digits`` digits, ``decimal_places`` of them after the point
    (more places are refused, not rounded: the user sees what is stored)."""
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        text = repr(raw) if isinstance(raw, float) else str(raw)
    elif isinstance(raw, Decimal):
        text = str(raw)
    else:
        text = str(raw).strip()
    if len(text) > MAX_NUMBER_TEXT:
        raise ApplicationError(f"“{label}”的数值过长", field=None)
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"“{label}”应为数字", field=None) from None
    if not value.is_finite():
        raise ApplicationError(f"“{label}”应为有限的数字（不接受 NaN、Infinity）", field=None)
    _sign, digits, exponent = value.normalize().as_tuple()
    places = max(0, -int(exponent))
    whole = len(digits) - places if int(exponent) <= 0 else len(digits) + int(exponent)
    if places > decimal_places:
        raise ApplicationError(f"“{label}”最多保留 {decimal_places} 位小数", field=None)
    if whole > max_digits - decimal_places:
        limit = Decimal(10) ** (max_digits - decimal_places)
        raise ApplicationError(f"“{label}”超出范围（绝对值应小于 {limit:,}）", field=None)
    return value


def parse_int(raw: object, *, label: str, min_value: int | None = None, max_value: int | None = None) -> int:
    """A whole number in [min_value, max_value]; ``1e3``, ``3.5``, ``NaN`` and 5,000-digit texts are refused."""
    if isinstance(raw, bool):
        raise ApplicationError(f"“{label}”应为整数", field=None)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal):
        number = Decimal(str(raw))
        if not number.is_finite() or number != number.to_integral_value() or abs(number) >= 10**20:
            raise ApplicationError(f"“{label}”应为整数", field=None)
        value = int(number)
    else:
        text = str(raw).strip()
        if len(text) > MAX_NUMBER_TEXT:
            raise ApplicationError(f"“{label}”的数值过长", field=None)
        digits = text[1:] if text[:1] in "+-" else text
        if not (digits.isascii() and digits.isdigit()):
            raise ApplicationError(f"“{label}”应为整数", field=None)
        value = int(text)
    if min_value is not None and value < min_value:
        raise ApplicationError(f"“{label}”不能小于 {min_value}", field=None)
    if max_value is not None and value > max_value:
        raise ApplicationError(f"“{label}”不能大于 {max_value}", field=None)
    return value


def parse_date(raw: object, *, label: str) -> datetime.date:
    """A date between 1900-01-01 and a year from today, given as a date or ``YYYY-MM-DD``."""
    if isinstance(raw, datetime.datetime):
        value = raw.date()
    elif isinstance(raw, datetime.date):
        value = raw
    else:
        text = str(raw).strip()
        if len(text) > MAX_NUMBER_TEXT:
            raise ApplicationError(f"“{label}”的日期过长", field=None)
        try:
            value = datetime.date.fromisoformat(text)
        except ValueError:
            raise ApplicationError(f"“{label}”应为日期（YYYY-MM-DD）", field=None) from None
    if not EARLIEST_DATE <= value <= latest_date():
        raise ApplicationError(
            f"“{label}”应在 {EARLIEST_DATE:%Y-%m-%d} 至 {latest_date():%Y-%m-%d} 之间", field=None
        )
    return value


def integer_bounds(field: models.Field) -> tuple[int, int]:
    low, high = INTEGER_RANGES.get(field.get_internal_type(), INTEGER_RANGES["BigIntegerField"])
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if not isinstance(limit, int):
            continue
        if isinstance(validator, MinValueValidator):
            low = max(low, limit)
        elif isinstance(validator, MaxValueValidator):
            high = min(high, limit)
    return low, high


def check_text(raw: object, *, label: str, max_length: int | None) -> str:
    text = str(raw)
    if "\x00" in text:
        raise ApplicationError(f"“{label}”含有不允许的控制字符", field=None)
    text = text.strip()
    if max_length is not None and len(text) > max_length:
        raise ApplicationError(f"“{label}”最多 {max_length} 个字", field=None)
    return text
