"""Pages: happy path, validation error, jurisdiction refusal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tuopin.assistance.models import CadrePairing, Measure, Presence, UnitReport, Visit
from tuopin.assistance.tests.factories import (
    PairingFactory,
    SubCommandFactory,
    TeamMemberFactory,
    UnitFactory,
    UnitPairingFactory,
    VisitFactory,
    WorkTeamFactory,
)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def paired(users, households):
    PairingFactory.create(household=households["a1"], cadre=users["cadre"])
    return households


def test_cadre_records_a_visit_and_the_household_section_shows_it(client, users, paired):
    login(client, users["cadre"])
    url = reverse("assistance:visit_create", args=[paired["a1"].pk])
    response = client.post(url, {"visited_on": "2018-07-02", "met": "户主本人", "findings": "种植烤烟两亩"})
    assert response.status_code == 302
    section = client.get(reverse("assistance:household_visits", args=[paired["a1"].pk]))
    assert "种植烤烟两亩" in section.content.decode()


def test_visit_form_shows_the_field_error(client, users, paired):
    login(client, users["cadre"])
    url = reverse("assistance:visit_create", args=[paired["a1"].pk])
    response = client.post(
        url, {"visited_on": "2018-07-02", "met": "户主", "findings": "x", "follow_up_on": "2018-06-01"}
    )
    assert response.status_code == 200
    assert "下次跟进日期不能早于走访日期" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_cadre_cannot_open_another_households_visit_page(client, users, paired):
    login(client, users["cadre"])
    assert client.get(reverse("assistance:visit_create", args=[paired["a2"].pk])).status_code == 404
    assert client.get(reverse("assistance:household_visits", args=[paired["a2"].pk])).status_code == 404


def test_my_households_lists_the_cadres_households_with_last_visit(client, users, paired):
    VisitFactory.create(household=paired["a1"], cadre=users["cadre"], visited_on=datetime.date(2018, 7, 3))
    login(client, users["cadre"])
    body = client.get(reverse("assistance:mine")).content.decode()
    assert paired["a1"].household_no in body
    assert "2018-07-03" in body
    assert paired["a2"].household_no not in body


def test_coverage_lists_unpaired_households_and_poor_villages_without_team_or_unit(
    client, users, tree, paired
):
    tree["village_a2"].is_poor_village = True
    tree["village_a2"].save()
    SubCommandFactory.create(name="无牵头分指挥部", lead_unit=None)
    SubCommandFactory.create(name="有牵头分指挥部", lead_unit=UnitFactory.create())
    login(client, users["county"])
    response = client.get(reverse("assistance:coverage"))
    body = response.content.decode()
    assert response.context["households_without_cadre"] == 3  # a1_exited, a2, b1
    gaps = {g.village: g for g in response.context["villages"]}
    assert gaps["甲二村委会"].without_team
    assert gaps["甲二村委会"].without_unit
    assert gaps["乙一村委会"].households_without_cadre == 1
    assert "无牵头分指挥部" in body
    assert "有牵头分指挥部" not in body


def test_a_village_user_sees_only_their_villages_gaps(client, users, paired):
    login(client, users["village_a1"])
    response = client.get(reverse("assistance:coverage"))
    assert {g.village for g in response.context["villages"]} == {"甲一村委会"}


def test_cadre_may_not_open_the_structure_page(client, users):
    login(client, users["cadre"])
    assert client.get(reverse("assistance:structure")).status_code == 403


def test_overdue_lists_households_not_visited_within_the_period(client, users, paired, settings):
    settings.ASSISTANCE_VISIT_PERIOD_DAYS = 30
    login(client, users["county"])
    response = client.get(reverse("assistance:overdue"))
    assert [p.household_id for p in response.context["table"].rows] == [paired["a1"].pk]
    VisitFactory.create(household=paired["a1"], cadre=users["cadre"], visited_on=timezone.localdate())
    response = client.get(reverse("assistance:overdue"))
    assert list(response.context["table"].rows) == []


def test_the_structure_page_shows_county_lists_only_to_county_wide_users(client, users):
    UnitFactory.create(name="县直单位（只在县级可见）")
    client.force_login(users["county"])
    assert "县直单位（只在县级可见）" in client.get(reverse("assistance:structure")).content.decode()
    client.force_login(users["village_a1"])
    response = client.get(reverse("assistance:structure"))
    assert response.status_code == 200
    assert "县直单位（只在县级可见）" not in response.content.decode()
    assert client.get(reverse("assistance:unit_reports")).status_code == 403


def test_presence_and_unit_report_pages_record_through_their_forms(client, users, tree):
    member = TeamMemberFactory.create(
        team=WorkTeamFactory.create(villages=[tree["village_a1"]]), name="驻村队员甲"
    )
    unit = UnitFactory.create(name="挂联单位甲")
    UnitPairingFactory.create(unit=unit, region=tree["village_a1"], start_date=datetime.date(2018, 1, 1))
    client.force_login(users["county"])
    page = client.get(reverse("assistance:presence"), {"month": "2018-07-01"})
    assert [r["member"] for r in page.context["shortfalls"]["甲镇"]] == [member]
    client.post(reverse("assistance:presence"), {"member": member.pk, "month": "2018-07-01", "days": "23"})
    assert Presence.objects.get().days == 23
    assert client.get(reverse("assistance:presence"), {"month": "2018-07-01"}).context["shortfalls"] == {}
    assert (
        "挂联单位甲"
        in client.get(reverse("assistance:unit_reports"), {"month": "2018-07-01"}).content.decode()
    )
    client.post(
        reverse("assistance:unit_reports"),
        {"unit": unit.pk, "month": "2018-07-01", "received_on": "2018-08-02"},
    )
    assert UnitReport.objects.filter(unit=unit, month=datetime.date(2018, 7, 1)).exists()


def test_pairing_form_and_measures_through_the_pages(client, users, households):
    client.force_login(users["village_a1"])
    url = reverse("assistance:household_pair", args=[households["a1"].pk])
    assert client.get(url).status_code == 200
    client.post(url, {"cadre": users["cadre"].pk, "start_date": "2018-03-01"})
    households["a1"].refresh_from_db()
    assert households["a1"].responsible_cadre == users["cadre"]
    assert CadrePairing.objects.get().start_date == datetime.date(2018, 3, 1)
    client.post(
        reverse("assistance:measure_create", args=[households["a1"].pk]),
        {"description": "申请小额信贷", "responsible": "村委会", "due_on": "2018-10-01"},
    )
    measure = Measure.objects.get()
    client.post(reverse("assistance:measure_done", args=[measure.pk]), {"version": "1", "is_done": "on"})
    measure.refresh_from_db()
    assert measure.is_done
    assert client.get(reverse("assistance:household_pair", args=[households["b1"].pk])).status_code == 404
