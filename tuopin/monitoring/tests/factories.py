"""Monitoring test data through the real models: households (assessment factories) with yearly figures."""

from datetime import date
from decimal import Decimal

from tuopin.assessment.tests import factories as base
from tuopin.registry.models import Household, HouseholdYear, Person, PersonYear
from tuopin.registry.models_years import link_previous_years

GOOD_YEAR = {
    "wage_income": Decimal("20000"),
    "business_income": Decimal("2000"),
    "property_income": Decimal("0"),
    "transfer_income": Decimal("1000"),
    "business_expense": Decimal("1000"),
    "schooling_expense": Decimal("0"),
    "medical_self_paid": Decimal("0"),
    "has_food_security": True,
    "has_clothing_security": True,
    "has_safe_drinking_water": True,
    "house_grade": "B",
    "had_disaster": False,
}
GOOD_MEMBER = {"labor_skill": "ordinary", "unemployed_months": 0, "schooling": ""}

village = base.village
county = base.county


def household(village_=None, members: int | list[dict] = 2, **fields) -> Household:
    specs = members if isinstance(members, list) else [{} for _ in range(members)]
    return base.household(
        village_, members=[{"has_medical_insurance": True, **spec} for spec in specs], **fields
    )


def year(
    household_: Household, year_: int, members: list[dict] | dict | None = None, **fields
) -> HouseholdYear:
    """The household's figures for ``year_``; ``members``: per-member facts (a list in member order, or one
    dict for all), good by default."""
    record = HouseholdYear.objects.create(household=household_, year=year_, **{**GOOD_YEAR, **fields})
    people = list(Person.objects.filter(household=household_).order_by("id"))
    if isinstance(members, dict) or members is None:
        members = [members or {} for _ in people]
    for person, facts in zip(people, members, strict=False):
        PersonYear.objects.create(
            person=person,
            household=household_,
            year=year_,
            birth_date=person.birth_date,
            **{**GOOD_MEMBER, **facts},
        )
    link_previous_years([person.pk for person in people])
    return record


def child_born(on: date) -> dict:
    return {"relation": "child", "birth_date": on, "schooling": ""}
