"""Figures and lists computed from the records."""

import datetime

from tuopin.assistance import selectors, services
from tuopin.assistance.models import LeaderPairing
from tuopin.assistance.tests.factories import (
    PairingFactory,
    TeamMemberFactory,
    UnitFactory,
    UnitPairingFactory,
    WorkTeamFactory,
)

JULY = datetime.date(2018, 7, 1)


def test_structure_figures_count_current_pairings_only(users, tree, households):
    unit_a, unit_b = UnitFactory.create(), UnitFactory.create()
    UnitPairingFactory.create(unit=unit_a, region=tree["village_a1"], start_date=JULY)
    UnitPairingFactory.create(unit=unit_a, region=tree["group_a1"], start_date=JULY)
    UnitPairingFactory.create(unit=unit_b, region=tree["village_b1"], start_date=JULY, end_date=JULY)
    PairingFactory.create(household=households["a1"])
    ended = PairingFactory.create(household=households["a2"])
    services.cadre_unpair(household=households["a2"], end_date=JULY, by=users["county"], reason="调离")
    figures = selectors.structure_figures()
    assert figures["paired_units"] == 1
    assert figures["paired_villages"] == 1  # the group lies in the paired village
    assert figures["paired_groups"] == 1
    assert figures["cadres"] == 1
    assert figures["cadre_households"] == 1
    ended.refresh_from_db()
    assert ended.end_date == JULY
    assert LeaderPairing.objects.count() == figures["leaders"] == 0


def test_a_village_user_gets_the_figures_of_their_village_only(users, tree, households):
    UnitPairingFactory.create(unit=UnitFactory.create(), region=tree["village_a1"], start_date=JULY)
    UnitPairingFactory.create(unit=UnitFactory.create(), region=tree["village_b1"], start_date=JULY)
    PairingFactory.create(household=households["a1"])
    PairingFactory.create(household=households["b1"])
    figures = selectors.structure_figures(user=users["village_a1"])
    assert (figures["paired_units"], figures["cadre_households"]) == (1, 1)


def test_presence_shortfalls_per_township_count_a_missing_record_as_zero(users, tree):
    team_a = WorkTeamFactory.create(villages=[tree["village_a1"]])
    team_b = WorkTeamFactory.create(villages=[tree["village_b1"]])
    short = TeamMemberFactory.create(team=team_a, name="甲队员")
    enough = TeamMemberFactory.create(team=team_a, name="乙队员")
    TeamMemberFactory.create(team=team_b, name="丙队员")
    services.presence_record(member=short, month=JULY, days=12, by=users["county"])
    services.presence_record(member=enough, month=JULY, days=22, by=users["county"])
    rows = selectors.presence_shortfalls(user=users["county"], month=JULY)
    assert {t: [(r["member"].name, r["days"]) for r in rs] for t, rs in rows.items()} == {
        "甲镇": [("甲队员", 12)],
        "乙镇": [("丙队员", 0)],
    }
    assert list(selectors.presence_shortfalls(user=users["town_a"], month=JULY)) == ["甲镇"]


def test_units_missing_their_monthly_report_are_listed(users, tree):
    reported, silent, unpaired = UnitFactory.create(), UnitFactory.create(), UnitFactory.create()
    for unit in (reported, silent):
        UnitPairingFactory.create(unit=unit, region=tree["village_a1"], start_date=JULY)
    services.unit_report_record(
        unit=reported, month=JULY, received_on=datetime.date(2018, 8, 3), by=users["county"]
    )
    assert list(selectors.units_missing_report(month=JULY)) == [silent]
    assert unpaired not in selectors.units_missing_report(month=JULY)
