"""The three outcomes of a rule, their Chinese labels and the one way they combine (Kleene logic).

Every part of the assessment — the batch, one household's explanation, the stored results read back, the
village and county indicators — uses these; nothing else defines an outcome label or a combination."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Any


class Outcome(IntEnum):
    """Stored as two bits per rule. ``MISSING`` is never a pass."""

    PASS = 0
    FAIL = 1
    MISSING = 2


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.PASS: "达标",
    Outcome.FAIL: "未达标",
    Outcome.MISSING: "数据缺失",
}
NOT_APPLICABLE_LABEL = "不适用"


def outcome_of(value: Any) -> Outcome:
    """A three-valued expression result: TRUE passes, FALSE fails, unknown (None) is missing."""
    if value is True:
        return Outcome.PASS
    if value is False:
        return Outcome.FAIL
    return Outcome.MISSING


def combine(outcomes: Iterable[Outcome]) -> Outcome:
    """A group (criterion, village, county) fails if any part fails; otherwise it is missing if any part is
    missing; it passes only when every part passes (Kleene ``and``)."""
    seen = set(outcomes)
    if Outcome.FAIL in seen:
        return Outcome.FAIL
    if Outcome.MISSING in seen:
        return Outcome.MISSING
    return Outcome.PASS
