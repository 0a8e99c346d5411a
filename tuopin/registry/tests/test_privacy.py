"""Personal data: masking by role, the access log of full views and exports, no-store, and refusals that do
not disclose records outside the user's area."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import person_values
from tuopin.accounts.models import AccessKind, AccessRecord
from tuopin.core.errors import ApplicationError
from tuopin.registry import privacy, procedures, services
from tuopin.registry.models import Household, PovertyStatus


def test_masking_keeps_four_characters_each_side_of_an_id_and_the_phone_prefix():
    assert privacy.mask_id_number("530127198001010011") == "5301**********0011"
    assert privacy.mask_id_number("53012719800101001X12") == "5301************1X12"
    assert privacy.mask_phone("13812341234") == "138****1234"
    assert privacy.mask_phone("0871-6712345") == "087*****2345"
    assert privacy.mask_id_number("") == ""
    assert privacy.mask_phone(None) == ""
    assert privacy.mask_phone("110") == "***"


@pytest.fixture
def household(households):
    household = households["a1"]
    household.phone = "13812341234"
    household.save()
    head = household.members.get(relation="head")
    head.is_healthy, head.has_serious_disease = False, True
    head.save()
    return household


def _head_id(household: Household) -> str:
    return household.members.get(relation="head").id_number


def test_inspector_sees_masked_identity_phone_and_health_and_no_access_is_recorded(client, users, household):
    client.force_login(users["inspector"])
    response = client.get(reverse("registry:detail", args=[household.pk]))
    body = response.content.decode()
    number = _head_id(household)
    assert number not in body
    assert privacy.mask_id_number(number) in body
    assert "13812341234" not in body
    assert "138****1234" in body
    assert "患有大病" not in body
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize("who", ["county", "village_a1", "town_a"])
def test_roles_that_need_it_see_in_full_and_the_view_is_recorded(client, users, household, who):
    client.force_login(users[who])
    body = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    assert _head_id(household) in body
    assert "13812341234" in body
    assert "患有大病" in body
    record = AccessRecord.objects.get()
    assert (record.user, record.kind, record.household_id) == (users[who], AccessKind.VIEW, household.pk)
    assert household.household_no in record.subject


def test_cadre_sees_paired_households_in_full(client, users, household):
    household.responsible_cadre = users["cadre"]
    household.save()
    client.force_login(users["cadre"])
    body = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    assert _head_id(household) in body


def test_history_of_a_masked_page_does_not_show_old_or_new_values_in_full(client, users, household):
    head = household.members.get(relation="head")
    services.person_update(
        person=head, by=users["county"], data={"phone": "13900001111"}, version=head.version
    )
    client.force_login(users["inspector"])
    body = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    assert "13900001111" not in body
    assert "139****1111" in body


def test_inspector_may_not_open_a_member_form_with_the_full_id(client, users, household):
    client.force_login(users["inspector"])
    head = household.members.get(relation="head")
    response = client.get(reverse("registry:person_edit", args=[head.pk]), follow=True)
    assert response.redirect_chain  # refused: sent back to the household page with the reason
    page = response.content.decode()
    assert 'name="id_number"' not in page
    assert head.id_number not in page


def _export(client, **params) -> list[dict]:
    """The exported rows, each keyed by the export's own header row."""
    response = client.get(reverse("imports:export"), params)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_inspector_export_is_masked_and_recorded_with_filter_and_row_count(client, users, household):
    client.force_login(users["inspector"])
    rows = _export(client, status=PovertyStatus.POOR)
    assert rows
    numbers = {row["证件号码"] for row in rows}
    assert all("*" in number for number in numbers)
    assert _head_id(household) not in numbers
    assert privacy.mask_id_number(_head_id(household)) in numbers
    assert "138****1234" in {row["户联系电话"] for row in rows}
    assert all(row["健康状况"] in (None, "") for row in rows)
    record = AccessRecord.objects.get()
    assert (record.kind, record.rows, record.is_masked) == (AccessKind.EXPORT, len(rows), True)
    assert record.subject == "status=poor"


def test_village_export_is_in_full_and_recorded(client, users, household):
    client.force_login(users["village_a1"])
    rows = _export(client)
    assert _head_id(household) in {row["证件号码"] for row in rows}
    record = AccessRecord.objects.get()
    assert (record.user, record.rows, record.is_masked) == (users["village_a1"], len(rows), False)


def test_api_detail_masks_for_the_inspector_and_is_not_cached(client, users, household):
    client.force_login(users["inspector"])
    response = client.get(reverse("registry_api:household", args=[household.pk]))
    assert "no-store" in response["Cache-Control"]
    numbers = {m["id_number"] for m in response.json()["members"]}
    assert privacy.mask_id_number(_head_id(household)) in numbers
    assert _head_id(household) not in numbers


@pytest.mark.parametrize("name", ["registry:detail", "registry:list", "assessment:household"])
def test_pages_with_personal_data_are_not_stored(client, users, household, name):
    client.force_login(users["county"])
    args = [household.pk] if name != "registry:list" else []
    assert "no-store" in client.get(reverse(name, args=args))["Cache-Control"]


def test_overview_page_is_cacheable_as_before(client, users):
    client.force_login(users["county"])
    assert "no-store" not in client.get(reverse("reports:overview")).get("Cache-Control", "")


def _add_member(household, by, id_number):
    data = person_values(relation="child", sex="male", age=10, id_number=id_number)
    data["schooling"], data["education"] = "primary", ""
    with pytest.raises(ApplicationError) as caught:
        procedures.member_add(
            household=household, by=by, data=data, reason="birth", on_date=datetime.date(2018, 6, 1)
        )
    return caught.value.errors["id_number"]


def test_member_form_does_not_disclose_an_id_registered_in_another_village(users, households):
    village_user = users["village_a1"]
    other_village = _head_id(households["b1"])  # another township
    same_township = _head_id(households["a2"])  # another village of the same township
    own = _head_id(households["a1_exited"])  # the user's own village
    foreign_messages = _add_member(households["a1"], village_user, other_village)
    assert foreign_messages == [str(privacy.ID_NOT_USABLE)]
    assert _add_member(households["a1"], village_user, same_township) == foreign_messages
    for hint in ("B1-0001", "乙", "甲二", "已在", "登记"):
        assert all(hint not in m for m in foreign_messages)
    assert _add_member(households["a1"], village_user, own) == [
        "该证件号码已在其他成员中登记，同一人不能重复登记"
    ]
    # the county sees the whole county, so the clash is named for it
    assert "已在其他成员中登记" in _add_member(households["a1"], users["county"], other_village)[0]


def test_household_no_outside_the_area_is_refused_without_disclosure(users, households, tree):
    data = {
        "household_no": "B1-0001",
        "village": tree["village_a1"],
        "data_year": 2018,
        "status": PovertyStatus.UNREGISTERED,
    }
    with pytest.raises(ApplicationError) as caught:
        services.household_create(by=users["village_a1"], data=data)
    assert caught.value.errors["household_no"] == [str(privacy.HOUSEHOLD_NO_NOT_USABLE)]
    with pytest.raises(ApplicationError) as caught:
        services.household_create(by=users["village_a1"], data=data | {"household_no": "A1-0002"})
    assert caught.value.errors["household_no"] == ["户编号“A1-0002”已存在"]
