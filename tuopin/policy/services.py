"""Writing standards. Every change keeps its history row (simple-history) with the acting user."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.concurrency import bump, lock_current
from tuopin.core.errors import ApplicationError
from tuopin.core.history import with_actor
from tuopin.core.inputs import check_value
from tuopin.policy.models import Standard, StandardKey
from tuopin.policy.seed import COUNTY_ROWS, rows
from tuopin.regions.models import Region


@transaction.atomic
def standard_set(
    *,
    key: str,
    year: int,
    region: Region | None,
    value: Decimal | str,
    source_document: str,
    by: User,
    source_date: date | None = None,
    note: str = "",
    range_high: Decimal | None = None,
    needs_confirmation: bool = False,
    version: int | None = None,
    seen: dict | None = None,
) -> Standard:
    """Create or replace the value of ``key`` from ``year`` on, for a county (or the provincial default).

    An edit of a stored value passes the ``version`` it was read at; a stale one raises ``StaleEditError``."""
    require(by, "policy.set_standard")
    if key not in StandardKey.values:
        raise ApplicationError(f"未知的标准项“{key}”", field="key")
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError("起用年度应在2000—2100之间", field="year")
    if region is not None and region.level != 1:
        raise ApplicationError("标准只能按县（或省级默认）设置", field="region")
    amount = check_value(Standard._meta.get_field("value"), value)
    if amount is None:
        raise ApplicationError("请填写数值", field="value")
    if range_high is not None:
        range_high = check_value(Standard._meta.get_field("range_high"), range_high)
    source_document = check_value(Standard._meta.get_field("source_document"), source_document)
    note = check_value(Standard._meta.get_field("note"), note)
    if source_date is not None:
        source_date = check_value(Standard._meta.get_field("source_date"), source_date)
    if amount < 0:
        raise ApplicationError("数值不能为负数", field="value")
    if not source_document.strip():
        raise ApplicationError("请填写依据文件", field="source_document")
    standard = Standard.objects.filter(key=key, year=year, region=region).first()
    if standard is None:
        standard = Standard(key=key, year=year, region=region, created_by=by)
    else:  # replacing a stored value: refused if it changed since the caller read it at ``version``
        if version is not None:
            standard = lock_current(standard, version, seen=seen)
        bump(standard)
    standard.value = amount
    standard.range_high = range_high
    standard.source_document = source_document.strip()
    standard.source_date = source_date
    standard.note = note
    standard.needs_confirmation = needs_confirmation
    with_actor(standard, by, "设置政策标准")
    standard.save()
    return standard


@transaction.atomic
def standards_seed_county(*, county: Region, by: User) -> int:
    """The county's own standards stated by the seed plan (低保); idempotent. Returns rows written."""
    count = 0
    for row in rows(COUNTY_ROWS):
        if Standard.objects.filter(key=row["key"], year=row["year"], region=county).exists():
            continue
        standard_set(region=county, by=by, **row)
        count += 1
    return count
