"""Pairing keeps the registry's link in step; visits, measures and presence refuse bad input, nothing
half-written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuopin.assistance import services
from tuopin.assistance.models import CadrePairing, Measure, Presence, Visit
from tuopin.assistance.tests.factories import CadreFactory, PairingFactory, TeamMemberFactory, WorkTeamFactory
from tuopin.core.errors import ApplicationError, PermissionDeniedError, StaleEditError
from tuopin.monitoring.models import Clue, ClueSource

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_pairing_a_household_ends_the_old_pairing_and_syncs_the_registry(users, households):
    household = households["a1"]
    first, second = CadreFactory.create(), CadreFactory.create()
    services.cadre_pair(
        household=household, cadre=first, start_date=datetime.date(2018, 1, 1), by=users["county"]
    )
    services.cadre_pair(
        household=household,
        cadre=second,
        start_date=datetime.date(2018, 6, 1),
        by=users["county"],
        reason="调岗",
    )
    household.refresh_from_db()
    assert household.responsible_cadre == second
    old, new = CadrePairing.objects.filter(household=household).order_by("start_date")
    assert (old.cadre, old.end_date, old.end_reason) == (first, datetime.date(2018, 6, 1), "调岗")
    assert (new.cadre, new.end_date) == (second, None)
    last = household.history.first()
    assert (last.responsible_cadre_id, last.history_user_id) == (second.pk, users["county"].pk)


def test_only_cadre_accounts_can_be_paired_and_nothing_changes_on_refusal(users, households):
    with pytest.raises(PermissionDeniedError, match="只有帮扶责任人账号"):
        services.cadre_pair(
            household=households["a1"],
            cadre=users["village_a1"],
            start_date=datetime.date(2018, 1, 1),
            by=users["county"],
        )
    assert not CadrePairing.objects.exists()
    households["a1"].refresh_from_db()
    assert households["a1"].responsible_cadre is None


def test_a_village_user_cannot_pair_households_of_another_village(users, households):
    with pytest.raises(PermissionDeniedError):
        services.cadre_pair(
            household=households["b1"],
            cadre=CadreFactory.create(),
            start_date=datetime.date(2018, 1, 1),
            by=users["village_a1"],
        )


def test_unpairing_leaves_a_gap_and_keeps_the_history(users, households):
    pairing = PairingFactory.create(household=households["a1"])
    services.cadre_unpair(
        household=households["a1"], end_date=datetime.date(2018, 9, 1), by=users["county"], reason="退休"
    )
    pairing.refresh_from_db()
    households["a1"].refresh_from_db()
    assert pairing.end_date == datetime.date(2018, 9, 1)
    assert households["a1"].responsible_cadre is None


def test_a_cadre_records_a_visit_with_a_photo_to_a_paired_household(users, households, media):
    pairing = PairingFactory.create(household=households["a1"])
    visit = services.visit_record(
        household=households["a1"],
        by=pairing.cadre,
        visited_on=datetime.date(2018, 7, 1),
        met="户主",
        findings="住房安全",
        photo=SimpleUploadedFile("p.png", PNG, content_type="image/png"),
        raises_clue=True,
        clue_reason="家中有人患大病",
    )
    assert visit.photo.name.endswith(".png")
    assert (media / visit.photo.name).read_bytes() == PNG
    assert visit.raises_clue
    assert visit.clue_reason == "家中有人患大病"


def test_a_cadre_cannot_record_a_visit_to_a_household_not_paired_with_them(users, households):
    PairingFactory.create(household=households["a1"])
    other = CadreFactory.create()
    with pytest.raises(PermissionDeniedError, match="只能为本人结对帮扶的农户登记走访"):
        services.visit_record(
            household=households["a1"],
            by=other,
            visited_on=datetime.date(2018, 7, 1),
            met="户主",
            findings="x",
        )
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"visited_on": timezone.localdate() + datetime.timedelta(days=1)}, "visited_on"),
        ({"follow_up_on": datetime.date(2018, 6, 1)}, "follow_up_on"),
        ({"met": "  "}, "met"),
        ({"raises_clue": True, "clue_reason": ""}, "clue_reason"),
        ({"photo": SimpleUploadedFile("x.png", b"GIF89a" + b"\x00" * 20)}, "photo"),
    ],
)
def test_bad_visit_input_is_refused_naming_the_field(users, households, media, kwargs, field):
    pairing = PairingFactory.create(household=households["a1"])
    values = {"visited_on": datetime.date(2018, 7, 1), "met": "户主", "findings": "x", **kwargs}
    with pytest.raises(ApplicationError) as refused:
        services.visit_record(household=households["a1"], by=pairing.cadre, **values)
    assert refused.value.field == field
    assert not Visit.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(users, households, media, settings):
    settings.ASSISTANCE_PHOTO_MAX_BYTES = 50
    pairing = PairingFactory.create(household=households["a1"])
    with pytest.raises(ApplicationError, match="照片不能超过"):
        services.visit_record(
            household=households["a1"],
            by=pairing.cadre,
            visited_on=datetime.date(2018, 7, 1),
            met="户主",
            findings="x",
            photo=SimpleUploadedFile("p.png", PNG),
        )


def test_marking_a_measure_done_from_a_stale_form_is_refused(users, households):
    pairing = PairingFactory.create(household=households["a1"])
    measure = services.measure_create(
        household=households["a1"],
        by=pairing.cadre,
        description="技能培训",
        responsible="张三",
        due_on=datetime.date(2018, 9, 1),
    )
    services.measure_set_done(measure=measure, version=1, is_done=True, by=pairing.cadre)
    with pytest.raises(StaleEditError):
        services.measure_set_done(measure=measure, version=1, is_done=False, by=users["village_a1"])
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.is_done, measure.version) == (True, 2)
    assert measure.history.count() == 2


@pytest.mark.parametrize("days", [29, 32])
def test_presence_days_outside_the_month_are_refused(users, tree, days):
    member = TeamMemberFactory.create(team=WorkTeamFactory.create(villages=[tree["village_a1"]]))
    with pytest.raises(ApplicationError, match="在村天数"):
        services.presence_record(
            member=member, month=datetime.date(2018, 2, 1), days=days, by=users["county"]
        )
    assert not Presence.objects.exists()


def test_presence_is_recorded_once_per_month_and_corrected_in_place(users, tree):
    member = TeamMemberFactory.create(team=WorkTeamFactory.create(villages=[tree["village_a1"]]))
    services.presence_record(member=member, month=datetime.date(2018, 7, 15), days=12, by=users["town_a"])
    services.presence_record(member=member, month=datetime.date(2018, 7, 1), days=21, by=users["town_a"])
    assert list(Presence.objects.values_list("month", "days")) == [(datetime.date(2018, 7, 1), 21)]


def test_a_visit_that_raises_a_clue_opens_a_monitoring_case(users, households):
    """The visit hands its clue to the monitoring procedure: one open case with the visit as evidence."""
    pairing = PairingFactory.create(household=households["a1"])
    household, cadre = households["a1"], pairing.cadre
    services.visit_record(
        household=household,
        by=cadre,
        visited_on=datetime.date(2026, 11, 2),
        met="户主",
        findings="户主住院，外出务工收入中断",
        raises_clue=True,
        clue_reason="户主患病住院，收入骤减",
    )
    clue = Clue.objects.get(household=household)
    assert clue.source == ClueSource.VISIT
    assert clue.case.is_open
    assert "户主患病住院" in clue.reasons[0]["text"]
    assert "外出务工收入中断" in clue.evidence
