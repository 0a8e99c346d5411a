import datetime

import pytest

from conftest import person_values
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.registry import procedures, services
from tuopin.registry.models import Household, Person, PovertyStatus

TODAY = datetime.date(2018, 9, 1)


def _history_counts():
    return Household.history.count(), Person.history.count()


def test_member_added_with_birth_date_and_sex_from_the_id(households, users):
    household = households["a1"]
    values = person_values(relation="son", sex="male", age=10)
    person = procedures.member_add(
        household=household, by=users["village_a1"], data=values, reason="birth", on_date=TODAY
    )
    assert person.birth_date == datetime.date(2008, 3, 15)
    assert person.sex == "male"
    record = Person.history.filter(id=person.pk).latest("history_date")
    assert record.history_type == "+"
    assert record.history_user == users["village_a1"]


@pytest.mark.parametrize(
    ("_case", "overrides", "field", "message"),
    [
        ("invalid ID", {"id_number": "530127200803150010"}, "id_number", "校验位错误"),
        ("second head", {"relation": "head"}, "relation", "一户只能有一名户主"),
        ("second spouse", {"relation": "spouse", "sex": "female"}, "relation", "最多只能有一名配偶"),
        ("birth date against the ID", {"birth_date": datetime.date(2008, 3, 16)}, "birth_date", "不一致"),
        ("sex against the ID", {"sex": "female"}, "sex", "不一致"),
        ("both education and schooling", {"education": "primary"}, "schooling", "只填写其中一项"),
        ("no health status", {"is_healthy": False}, "is_healthy", "请选择健康状况"),
        ("unknown code", {"ethnicity": "99"}, "ethnicity", "代码表"),
    ],
)
def test_bad_member_is_refused_naming_the_field_and_nothing_is_saved(
    households, users, _case, overrides, field, message
):
    household = households["a1"]
    before_members, before_history = household.members.count(), _history_counts()
    values = person_values(relation="son", sex="male", age=10)
    values.update(overrides)
    with pytest.raises(ApplicationError) as raised:
        procedures.member_add(
            household=household, by=users["village_a1"], data=values, reason="birth", on_date=TODAY
        )
    assert field in raised.value.errors
    assert any(message in text for text in raised.value.errors[field])
    assert household.members.count() == before_members
    assert _history_counts() == before_history


def test_same_id_cannot_be_registered_in_two_households(households, users):
    existing = households["a2"].members.first()
    values = person_values(relation="son", age=30, id_number=existing.id_number, sex=existing.sex)
    with pytest.raises(ApplicationError) as raised:
        procedures.member_add(
            household=households["a1"], by=users["county"], data=values, reason="birth", on_date=TODAY
        )
    assert "重复登记" in raised.value.errors["id_number"][0]


def test_member_update_records_old_and_new_values(households, users):
    person = households["a1"].members.get(relation="spouse")
    services.person_update(
        person=person, by=users["village_a1"], data={"labor_skill": "skilled"}, version=person.version
    )
    person.refresh_from_db()
    assert person.labor_skill == "skilled"
    latest = Person.history.filter(id=person.pk).latest("history_date")
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("labor_skill", "ordinary", "skilled")]
    assert latest.history_user == users["village_a1"]


def test_inspector_cannot_change_anything(households, users):
    household = households["a1"]
    person = household.members.first()
    before = _history_counts()
    with pytest.raises(PermissionDeniedError):
        services.household_update(
            household=household, by=users["inspector"], data={"phone": "13800000000"}, version=1
        )
    with pytest.raises(PermissionDeniedError):
        services.person_update(person=person, by=users["inspector"], data={"name": "改名"}, version=1)
    with pytest.raises(PermissionDeniedError):
        procedures.member_add(
            household=household,
            by=users["inspector"],
            data=person_values(relation="son", age=5),
            reason="birth",
            on_date=TODAY,
        )
    with pytest.raises(PermissionDeniedError):
        procedures.member_remove(person=person, by=users["inspector"], reason="death", on_date=TODAY)
    assert _history_counts() == before
    household.refresh_from_db()
    assert household.phone == ""


def test_village_user_cannot_write_to_another_village(households, users):
    with pytest.raises(PermissionDeniedError):
        services.household_update(
            household=households["b1"], by=users["village_a1"], data={"phone": "1"}, version=1
        )
    with pytest.raises(PermissionDeniedError):
        services.household_create(
            by=users["village_a1"],
            data={
                "household_no": "X-1",
                "village": households["b1"].village,
                "data_year": 2018,
                "status": PovertyStatus.UNREGISTERED,
            },
        )
    assert not Household.objects.filter(household_no="X-1").exists()


def test_a_new_household_is_unregistered_whatever_the_form_says(tree, users):
    household = services.household_create(
        by=users["county"],
        data={
            "household_no": "N-1",
            "village": tree["village_a1"],
            "data_year": 2018,
            "status": PovertyStatus.POOR,
        },
    )
    assert (household.status, household.status_by_procedure) == (
        PovertyStatus.UNREGISTERED,
        PovertyStatus.UNREGISTERED,
    )


def test_deleting_a_member_keeps_the_record_in_history(households, users):
    person = households["a1"].members.get(relation="spouse")
    pk = person.pk
    procedures.member_remove(person=person, by=users["town_a"], reason="married_out", on_date=TODAY)
    record = Person.history.filter(id=pk).latest("history_date")
    assert record.history_type == "-"
    assert record.history_change_reason == "减少成员：婚出"
    assert not Person.objects.filter(pk=pk).exists()


def test_net_income_is_derived(households):
    household = households["a1"]
    assert household.net_income == 8000 + 3000 + 0 + 1200 - 1000


def test_refused_edit_changes_nothing_and_says_why(households, users):
    """The inspector's edit and a village user's edit of another village are refused by the permission
    module with its Chinese message; the household and its history are untouched."""
    household = households["a1"]
    before = Household.objects.filter(pk=household.pk).values().get()
    counts = _history_counts()
    for user in (users["inspector"], users["village_b1"]):
        with pytest.raises(PermissionDeniedError, match="您不能修改该农户的登记信息"):
            services.household_update(
                household=household, by=user, data={"phone": "13800000000"}, version=household.version
            )
    assert Household.objects.filter(pk=household.pk).values().get() == before
    assert _history_counts() == counts
