"""No lost update: two users open the same household or member form; the second save is refused with what the
first changed, the first user's change survives, and the re-shown form carries the second user's change."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tuopin.core.errors import StaleEditError
from tuopin.registry.models import Household, Person
from tuopin.registry.services import household_update, person_update


def _form_data(response) -> dict:
    """What the browser would post back unchanged: every input of the rendered form, hidden initials included."""
    form = response.context["form"]
    data: dict[str, str | list[str]] = {}
    for bound in form:
        value = bound.value()
        for key, shown in ((bound.html_name, value), (bound.html_initial_name, value)):
            if isinstance(shown, (list, tuple)):
                data[key] = [str(v) for v in shown]
            elif shown is not None:
                data[key] = str(shown)
    data["version"] = str(form.initial["version"])
    return data


@pytest.fixture
def two_clients(users):
    first, second = Client(), Client()
    first.force_login(users["village_a1"])
    second.force_login(users["town_a"])
    return first, second


def test_second_household_save_is_refused_and_the_first_survives(two_clients, households):
    household = households["a1"]
    url = reverse("registry:edit", args=[household.pk])
    first, second = two_clients
    data_1, data_2 = _form_data(first.get(url)), _form_data(second.get(url))

    data_1["phone"] = "13800000001"
    assert first.post(url, data_1).status_code == 302

    data_2["address"] = "新街 2 号"
    data_2["wage_income"] = "9999"
    response = second.post(url, data_2)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="stale-edit"' in body
    assert "联系电话" in body
    assert "13800000001" in body  # what the other user saved
    household.refresh_from_db()
    assert household.phone == "13800000001"
    assert household.address == ""
    assert household.version == 2

    # the form is shown again for the fresh record, with the second user's own changes filled in
    form = response.context["form"]
    assert form.data["version"] == "2"
    assert form.data["address"] == "新街 2 号"
    assert form.data["phone"] == "13800000001"
    again = {key: form.data.getlist(key) for key in form.data}
    assert second.post(url, again).status_code == 302
    household.refresh_from_db()
    assert (household.phone, household.address, household.wage_income) == (
        "13800000001",
        "新街 2 号",
        Decimal("9999"),
    )
    assert household.version == 3


def test_second_member_save_is_refused_and_the_first_survives(two_clients, households):
    member = households["a1"].members.get(relation="spouse")
    url = reverse("registry:person_edit", args=[member.pk])
    first, second = two_clients
    data_1, data_2 = _form_data(first.get(url)), _form_data(second.get(url))
    data_1["labor_skill"] = "skilled"
    assert first.post(url, data_1).status_code == 302
    data_2["work_location"] = "昆明"
    response = second.post(url, data_2)
    body = response.content.decode()
    assert 'id="stale-edit"' in body
    assert "劳动技能" in body
    member.refresh_from_db()
    assert (member.labor_skill, member.work_location, member.version) == ("skilled", "", 2)


def test_an_unchanged_resubmission_writes_nothing(two_clients, households):
    household = households["a1"]
    url = reverse("registry:edit", args=[household.pk])
    first, _ = two_clients
    before = household.history.count()
    assert first.post(url, _form_data(first.get(url))).status_code == 302
    assert household.history.count() == before
    assert Household.objects.get(pk=household.pk).version == 1


def test_the_service_writes_only_the_changed_fields(households, users):
    household = households["a1"]
    # another writer changes a column behind the loaded instance without touching the version
    Household.objects.filter(pk=household.pk).update(address="后台更正的地址")
    household_update(household=household, by=users["county"], data={"phone": "13900000000"}, version=1)
    household.refresh_from_db()
    assert (household.phone, household.address, household.version) == ("13900000000", "后台更正的地址", 2)
    assert household.history.first().history_user == users["county"]


def test_a_stale_version_lists_what_changed(households, users):
    person = households["a1"].members.get(relation="spouse")
    person_update(person=person, by=users["county"], data={"phone": "13700000000"}, version=1)
    with pytest.raises(StaleEditError) as raised:
        person_update(
            person=person,
            by=users["town_a"],
            data={"labor_skill": "skilled"},
            version=1,
            seen={"phone": "", "labor_skill": "ordinary"},
        )
    assert raised.value.changes == {"联系电话": ("", "13700000000")}
    assert Person.objects.get(pk=person.pk).labor_skill == "ordinary"


def test_the_stale_message_names_coded_values_by_their_label(two_clients, households):
    member = households["a1"].members.get(relation="spouse")
    url = reverse("registry:person_edit", args=[member.pk])
    first, second = two_clients
    data_1, data_2 = _form_data(first.get(url)), _form_data(second.get(url))
    data_1["labor_skill"] = "skilled"
    first.post(url, data_1)
    body = second.post(url, data_2 | {"phone": "13600000000"}).content.decode()
    assert "技能劳动力" in body
    assert "普通劳动力" in body
