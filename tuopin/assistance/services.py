"""Writes of the assistance structure: pairings (the source of truth for ``Household.responsible_cadre``),
visits, measures, team presence and the units' monthly reports."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.assistance.models import CadrePairing, Measure, Presence, TeamMember, Unit, UnitReport, Visit
from tuopin.core.concurrency import bump, lock_current
from tuopin.core.errors import ApplicationError
from tuopin.core.history import with_actor
from tuopin.monitoring.models import ClueSource
from tuopin.monitoring.services import clue_raise
from tuopin.registry.models import Household

# --- cadre pairing ---------------------------------------------------------------------------------------


def _sync_responsible_cadre(household: Household, cadre: User | None, by: User | None, reason: str) -> None:
    """The one place that writes ``Household.responsible_cadre`` (with the household's history row)."""
    household.responsible_cadre = cadre
    with_actor(household, by, reason)
    household.save(update_fields=["responsible_cadre", "updated_at"])


@transaction.atomic
def cadre_pair(
    *,
    household: Household,
    cadre: User,
    start_date: datetime.date,
    by: User,
    unit: Unit | None = None,
    reason: str = "",
) -> CadrePairing:
    """Pair ``cadre`` with ``household`` from ``start_date``; a current pairing with another cadre ends that
    day (it stays as history)."""
    require(by, "assistance.manage_pairings", household)
    require(cadre, "assistance.be_paired_cadre")
    if not household.is_registered:
        raise ApplicationError(_("只有建档立卡户可以结对帮扶"), field="household")
    current = (
        CadrePairing.objects.select_for_update().filter(household=household, end_date__isnull=True).first()
    )
    if current is not None:
        if current.cadre_id == cadre.pk:
            raise ApplicationError(_("该农户已由这名帮扶责任人结对帮扶"), field="cadre")
        if start_date < current.start_date:
            raise ApplicationError(_("开始日期不能早于现有结对的开始日期"), field="start_date")
        current.end_date, current.end_reason = start_date, reason or _("更换帮扶责任人")
        current.save(update_fields=["end_date", "end_reason"])
    pairing = CadrePairing.objects.create(
        cadre=cadre, household=household, unit=unit, start_date=start_date, created_by=by
    )
    _sync_responsible_cadre(household, cadre, by, reason or _("结对帮扶"))
    return pairing


@transaction.atomic
def cadre_unpair(*, household: Household, end_date: datetime.date, by: User, reason: str) -> CadrePairing:
    """End the household's current pairing (e.g. the cadre is transferred); the household is then a gap."""
    require(by, "assistance.manage_pairings", household)
    if not reason.strip():
        raise ApplicationError(_("请填写结束结对的原因"), field="reason")
    current = (
        CadrePairing.objects.select_for_update().filter(household=household, end_date__isnull=True).first()
    )
    if current is None:
        raise ApplicationError(_("该农户当前没有结对帮扶责任人"), field="household")
    if end_date < current.start_date:
        raise ApplicationError(_("结束日期不能早于开始日期"), field="end_date")
    current.end_date, current.end_reason = end_date, reason
    current.save(update_fields=["end_date", "end_reason"])
    _sync_responsible_cadre(household, None, by, reason)
    return current


@transaction.atomic
def cadre_pairings_adopt(*, start_date: datetime.date, by: User) -> int:
    """Write a pairing record for every household whose ``responsible_cadre`` is set without one (the link
    as the registry held it before pairings were records). Returns the number written."""
    require(by, "assistance.manage_structure")
    paired = CadrePairing.objects.filter(end_date__isnull=True).values("household_id")
    missing = Household.objects.filter(responsible_cadre__isnull=False).exclude(pk__in=paired)
    rows = [
        CadrePairing(cadre_id=cadre_id, household_id=pk, start_date=start_date, created_by=by)
        for pk, cadre_id in missing.values_list("pk", "responsible_cadre_id")
    ]
    CadrePairing.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# --- visits and measures ---------------------------------------------------------------------------------

IMAGE_SIGNATURES = {
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
}


def photo_check(photo: UploadedFile) -> None:
    """Refuse a photo that is too large or not a JPEG/PNG/WebP image (checked by its first bytes)."""
    limit = settings.ASSISTANCE_PHOTO_MAX_BYTES
    if photo.size is None or photo.size > limit:
        raise ApplicationError(_("照片不能超过 %(mb)d MB") % {"mb": limit // (1024 * 1024)}, field="photo")
    photo.seek(0)
    head = photo.read(12)
    photo.seek(0)
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not is_webp and not any(head.startswith(sig) for sig in IMAGE_SIGNATURES):
        raise ApplicationError(_("照片须为 JPEG、PNG 或 WebP 图片"), field="photo")


def _dates_check(visited_on: datetime.date, follow_up_on: datetime.date | None) -> None:
    today = timezone.localdate()
    if visited_on > today:
        raise ApplicationError(_("走访日期不能晚于今天"), field="visited_on")
    if follow_up_on is not None and follow_up_on < visited_on:
        raise ApplicationError(_("下次跟进日期不能早于走访日期"), field="follow_up_on")


@transaction.atomic
def visit_record(
    *,
    household: Household,
    by: User,
    visited_on: datetime.date,
    met: str,
    findings: str,
    measures_agreed: str = "",
    follow_up_on: datetime.date | None = None,
    photo: UploadedFile | None = None,
    raises_clue: bool = False,
    clue_reason: str = "",
) -> Visit:
    """A cadre records a visit to a paired household. A visit that raises a clue is handed to
    ``visit_clue_hand_over``."""
    require(by, "assistance.record_visit", household)
    _dates_check(visited_on, follow_up_on)
    if not met.strip():
        raise ApplicationError(_("请填写见到的人"), field="met")
    if not findings.strip():
        raise ApplicationError(_("请填写了解到的情况"), field="findings")
    if raises_clue and not clue_reason.strip():
        raise ApplicationError(_("发现风险线索时请写明线索说明"), field="clue_reason")
    if photo is not None:
        photo_check(photo)
    visit = Visit(
        household=household,
        cadre=by,
        visited_on=visited_on,
        met=met.strip(),
        findings=findings.strip(),
        measures_agreed=measures_agreed.strip(),
        follow_up_on=follow_up_on,
        raises_clue=raises_clue,
        clue_reason=clue_reason.strip() if raises_clue else "",
    )
    visit.full_clean(exclude=["photo", "household", "cadre"])
    if photo is not None:
        visit.photo.save(photo.name or "photo", photo, save=False)
    visit.save()
    if visit.raises_clue:
        visit_clue_hand_over(visit=visit, by=by)
    return visit


def visit_clue_hand_over(*, visit: Visit, by: User) -> None:
    """A visit that raises a clue hands it to the monitoring procedure (source 干部走访排查): the clue joins
    the household's open case or opens one, with the visit as its evidence."""
    clue_raise(
        household=visit.household,
        source=ClueSource.VISIT,
        reasons=[visit.clue_reason or visit.findings[:500]],
        evidence=f"{visit.visited_on:%Y-%m-%d} 走访：{visit.findings}",
        by=by,
        year=visit.visited_on.year,
    )


@transaction.atomic
def measure_create(
    *,
    household: Household,
    by: User,
    description: str,
    responsible: str,
    due_on: datetime.date,
    visit: Visit | None = None,
) -> Measure:
    """Add a measure to a household's assistance plan (因户施策)."""
    require(by, "assistance.manage_measures", household)
    if not description.strip():
        raise ApplicationError(_("请填写帮扶措施"), field="description")
    if not responsible.strip():
        raise ApplicationError(_("请填写落实人"), field="responsible")
    measure = Measure(
        household=household,
        visit=visit,
        description=description.strip(),
        responsible=responsible.strip(),
        due_on=due_on,
        created_by=by,
    )
    measure.full_clean(exclude=["household", "visit", "created_by"])
    with_actor(measure, by, _("制定帮扶措施"))
    measure.save()
    return measure


@transaction.atomic
def measure_set_done(
    *, measure: Measure, version: int | None, is_done: bool, by: User, done_on: datetime.date | None = None
) -> Measure:
    """Mark a measure done (or not done again); refuses a stale form."""
    require(by, "assistance.manage_measures", measure.household)
    current = lock_current(measure, version, seen={"is_done": measure.is_done})
    current.is_done = is_done
    current.done_on = (done_on or timezone.localdate()) if is_done else None
    bump(current)
    with_actor(current, by, _("完成") if is_done else _("重新打开"))
    current.save(update_fields=["is_done", "done_on", "version"])
    return current


# --- work teams and units --------------------------------------------------------------------------------


@transaction.atomic
def presence_record(*, member: TeamMember, month: datetime.date, days: int, by: User) -> Presence:
    """Record (or correct) a team member's days in the village in one month."""
    village = member.team.villages.order_by("path").first()
    require(by, "assistance.record_presence", village)
    first = month.replace(day=1)
    if first > timezone.localdate():
        raise ApplicationError(_("不能登记未来月份的在村天数"), field="month")
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    if not 0 <= days <= (next_month - first).days:
        raise ApplicationError(_("在村天数须在 0 到当月天数之间"), field="days")
    presence = Presence.objects.select_for_update().filter(member=member, month=first).first()
    presence = presence or Presence(member=member, month=first)
    presence.days, presence.recorded_by = days, by
    with_actor(presence, by, _("登记在村天数"))
    presence.save()
    return presence


@transaction.atomic
def unit_report_record(
    *, unit: Unit, month: datetime.date, received_on: datetime.date, by: User, note: str = ""
) -> UnitReport:
    """Record that a pairing unit sent its monthly material."""
    require(by, "assistance.record_unit_report")
    first = month.replace(day=1)
    if received_on < first:
        raise ApplicationError(_("报送日期不能早于所报月份"), field="received_on")
    if UnitReport.objects.filter(unit=unit, month=first).exists():
        raise ApplicationError(_("该单位本月材料已登记"), field="month")
    return UnitReport.objects.create(
        unit=unit, month=first, received_on=received_on, note=note, recorded_by=by
    )
