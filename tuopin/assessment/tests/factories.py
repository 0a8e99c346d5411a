"""Test data built through the real models (no mocks)."""

import itertools
from datetime import date
from decimal import Decimal

from tuopin.regions.models import Level, Region
from tuopin.regions.services import region_create
from tuopin.registry.models import Household, Person, PovertyStatus

_counter = itertools.count(1)


def county():
    existing = Region.objects.filter(level=Level.COUNTY).first()
    return existing or region_create(code="530127", name="嵩明县", kind="county", parent=None)


def township(name: str = "小街镇"):
    parent = county()
    existing = Region.objects.filter(parent=parent, name=name).first()
    return existing or region_create(
        code=f"530127{100 + next(_counter) % 900:03d}", name=name, kind="town", parent=parent
    )


def village(name: str = "匡郎村委会", town: str = "小街镇", **kwargs):
    parent = township(town)
    existing = Region.objects.filter(parent=parent, name=name).first()
    return existing or region_create(
        code=f"{parent.code}{next(_counter) % 1000:03d}",
        name=name,
        kind="village_committee",
        parent=parent,
        **kwargs,
    )


GOOD_HOUSEHOLD = {
    "status": PovertyStatus.POOR,
    "main_cause": "illness",
    "data_year": 2018,
    "wage_income": Decimal("9000"),
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
    "is_relocated": False,
}


def household(village_=None, members: int | list[dict] = 2, **fields) -> Household:
    """A household meeting every criterion unless ``fields`` say otherwise; ``members`` adults by default."""
    values = {**GOOD_HOUSEHOLD, **fields}
    values.setdefault("status_by_procedure", values["status"])  # test data: status taken over with its record
    h = Household.objects.create(
        household_no=f"H{next(_counter):08d}", village=village_ or village(), **values
    )
    specs = members if isinstance(members, list) else [{} for _ in range(members)]
    for index, spec in enumerate(specs):
        person(h, **{"relation": "head" if index == 0 else "child", **spec})
    return h


def person(household_: Household, **fields) -> Person:
    values = {
        "name": f"成员{next(_counter)}",
        "sex": "male",
        "birth_date": date(1980, 1, 1),
        "relation": "child",
        "education": "",
        "schooling": "",
        "has_medical_insurance": True,
    }
    values.update(fields)
    return Person.objects.create(household=household_, **values)
