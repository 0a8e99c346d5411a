"""Standards carry a version: replacing a value read at an old version is refused, nothing changes."""

from decimal import Decimal

import pytest

from tuopin.accounts.permissions import console_actor
from tuopin.core.errors import StaleEditError
from tuopin.policy.models import Standard
from tuopin.policy.services import standard_set

pytestmark = pytest.mark.django_db


def _set(value: str, **extra) -> Standard:
    return standard_set(
        key="income_line",
        year=2030,
        region=None,
        value=value,
        source_document="测试文件",
        by=console_actor(),
        **extra,
    )


def test_replacing_a_standard_bumps_its_version_and_a_stale_replacement_is_refused():
    first = _set("4000")
    assert first.version == 1
    second = _set("4100", version=1)
    assert (second.value, second.version) == (Decimal("4100"), 2)
    with pytest.raises(StaleEditError) as raised:
        _set("4200", version=1, seen={"value": Decimal("4000")})
    assert raised.value.changes == {"数值": (Decimal("4000"), Decimal("4100.00"))}
    stored = Standard.objects.get(key="income_line", year=2030, region=None)
    assert (stored.value, stored.version) == (Decimal("4100.00"), 2)
