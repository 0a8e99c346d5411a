"""The yearly member rows carry copies the monitoring batch reads instead of joins: the birth date (kept equal
to the person's) and the previous year's facts (kept equal to the same person's row of the year before in the
same household), whatever order the years are written in."""

import datetime

from tuopin.accounts.permissions import console_actor
from tuopin.registry import services
from tuopin.registry.identity import make_id_number
from tuopin.registry.models import Person, PersonYear
from tuopin.registry.tests.factories import HouseholdFactory, PersonFactory
from tuopin.registry.yearly import household_year_record

FIGURES = {"wage_income": "20000", "business_income": 0, "property_income": 0, "transfer_income": 0}


def _row(person: Person, year: int) -> PersonYear:
    return PersonYear.objects.get(person=person, year=year)


def test_previous_facts_follow_whichever_year_is_written_last(tree):
    household = HouseholdFactory.create(village=tree["village_a1"], members=0)
    head = PersonFactory.create(household=household, relation="head")
    spouse = PersonFactory.create(household=household, relation="spouse")
    by = console_actor()
    household_year_record(
        household=household, year=2025, figures=FIGURES, members={head.pk: {}, spouse.pk: {}}, by=by
    )
    assert _row(head, 2025).prev_is_dibao is None  # no 2024 row yet
    household_year_record(
        household=household,
        year=2024,
        figures=FIGURES,
        members={head.pk: {"is_dibao": "是", "labor_skill": "ordinary"}},
        by=by,
    )
    row = _row(head, 2025)
    assert (row.prev_is_dibao, row.prev_labor_skill, row.prev_has_serious_disease) == (
        True,
        "ordinary",
        False,
    )
    assert _row(spouse, 2025).prev_is_dibao is None  # the spouse has no 2024 row
    household_year_record(household=household, year=2024, figures=FIGURES, members={head.pk: {}}, by=by)
    assert _row(head, 2025).prev_is_dibao is False  # the 2024 facts were corrected: the copy follows

    moved = HouseholdFactory.create(
        village=household.village, members=0
    )  # a row of 2026 in another household has no previous
    head.household = moved
    head.save(update_fields=["household"])
    household_year_record(household=moved, year=2026, figures=FIGURES, members={head.pk: {}}, by=by)
    assert _row(head, 2026).prev_labor_skill is None


def test_the_birth_date_follows_a_corrected_id_number(tree, users):
    household = HouseholdFactory.create(village=tree["village_a1"], members=0)
    person = PersonFactory.create(household=household, relation="head", birth_date=datetime.date(1980, 5, 1))
    household_year_record(
        household=household, year=2025, figures=FIGURES, members={person.pk: {}}, by=console_actor()
    )
    assert _row(person, 2025).birth_date == datetime.date(1980, 5, 1)
    corrected = datetime.date(1981, 6, 2)
    services.person_update(
        person=person,
        by=users["county"],
        data={"id_number": make_id_number("530199", corrected, 777), "birth_date": corrected},
        version=person.version,
    )
    assert _row(person, 2025).birth_date == corrected
