"""Household and person factories (a poor household of two adults by default)."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tuopin.registry.identity import make_id_number
from tuopin.registry.models import Household, Person, PovertyStatus


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    household_no = factory.Sequence(lambda n: f"F{n:08d}")
    village = None  # a village Region, required
    data_year = 2018
    status = PovertyStatus.POOR
    attribute = factory.LazyAttribute(lambda o: "" if o.status == PovertyStatus.UNREGISTERED else "general")
    main_cause = factory.LazyAttribute(lambda o: "" if o.status == PovertyStatus.UNREGISTERED else "illness")
    identification_year = factory.LazyAttribute(
        lambda o: None if o.status == PovertyStatus.UNREGISTERED else 2014
    )
    exit_year = factory.LazyAttribute(lambda o: 2016 if o.status == PovertyStatus.EXITED else None)
    wage_income = Decimal(8000)
    business_income = Decimal(3000)
    property_income = Decimal(0)
    transfer_income = Decimal(1200)
    business_expense = Decimal(1000)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        """``members=N`` adults (head first); two by default."""
        if not create:
            return
        for index in range(2 if extracted is None else extracted):
            PersonFactory(household=self, relation="head" if index == 0 else "spouse")


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    household = None
    name = factory.Sequence(lambda n: f"成员{n}")
    sex = "male"
    birth_date = factory.Sequence(lambda n: datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 500))
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number("530199", o.birth_date, n % 500 * 2 + 1)
    )
    id_type = "resident_id"
    relation = "child"
    education = "junior"
    is_healthy = True
    has_medical_insurance = True
