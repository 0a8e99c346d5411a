"""The registry's bulk writer: households and members created, changed and removed with their history rows,
and nothing written (no history row) when the data is unchanged."""

import datetime
from decimal import Decimal

import pytest

from tuopin.accounts.models import Role
from tuopin.accounts.tests.factories import UserFactory
from tuopin.regions.tests.factories import county_tree
from tuopin.registry.bulk import HouseholdRecord, households_write
from tuopin.registry.identity import make_id_number
from tuopin.registry.models import Household, Person, PovertyStatus

HOUSEHOLD_FIELDS = ("household_no", "data_year", "status", "wage_income")
PERSON_FIELDS = ("name", "id_number", "relation", "sex", "birth_date", "education", "is_healthy")


def _person(sequence: int, relation: str, name: str) -> dict[str, object]:
    birth = datetime.date(1980, 5, 3)
    return {
        "name": name,
        "id_number": make_id_number("530121", birth, sequence),
        "relation": relation,
        "sex": "male" if sequence % 2 else "female",
        "birth_date": birth,
        "education": "junior",
        "is_healthy": True,
    }


def _record(village, *persons, wage: int = 8000) -> HouseholdRecord:
    values = {
        "household_no": "5301210010010001",
        "data_year": 2018,
        "status": PovertyStatus.UNREGISTERED,
        "wage_income": Decimal(wage),
        "village_id": village.pk,
        "group_id": None,
    }
    return HouseholdRecord("5301210010010001", values, list(persons))


def _write(record, by):
    return households_write(
        [record],
        household_fields=HOUSEHOLD_FIELDS,
        person_fields=PERSON_FIELDS,
        by=by,
        reason="测试写入",
        status_reason="测试写入（状态）",
    )


@pytest.fixture
def village_and_user(db):
    tree = county_tree()
    return tree["villages"][0], UserFactory(role=Role.COUNTY, region=tree["county"])


def test_create_then_unchanged_then_change_and_remove(village_and_user):
    village, user = village_and_user
    head, spouse = _person(1, "head", "户主"), _person(2, "spouse", "配偶")
    summary = _write(_record(village, head, spouse), user)
    assert (summary.households_created, summary.persons_created) == (1, 2)
    household = Household.objects.get(household_no="5301210010010001")
    assert household.members.count() == 2
    assert Person.history.filter(history_type="+", history_user=user).count() == 2
    assert household.history.get().history_change_reason == "测试写入"

    again = _write(_record(village, dict(head), dict(spouse)), user)
    assert not again.changed
    assert household.history.count() == 1

    changed = _write(_record(village, dict(head), wage=9000), user)
    assert (changed.households_updated, changed.persons_removed) == (1, 1)
    household.refresh_from_db()
    assert household.wage_income == Decimal(9000)
    assert household.version == 2
    removed = Person.history.get(history_type="-")
    assert (removed.name, removed.history_user, removed.history_change_reason) == ("配偶", user, "测试写入")
