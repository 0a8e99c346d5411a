"""Money and other decimals leave the API as exact text ("12114.86"), never as floats."""

from decimal import Decimal
from typing import Any


def decimals_as_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: decimals_as_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [decimals_as_text(item) for item in value]
    return value
