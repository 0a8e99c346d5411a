"""Parity: for random households with two years of figures, the batch SQL outcome of every trigger equals the
single-household Python evaluation, on whichever database the suite runs on."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuopin.monitoring.models import DepartmentReport
from tuopin.monitoring.runs import batch_outcomes, household_outcomes
from tuopin.monitoring.tests import factories as f

money = st.one_of(
    st.none(),
    st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("5000"), Decimal("5000.01"), Decimal("6000")]),
    st.decimals(min_value=0, max_value=60000, places=2, allow_nan=False, allow_infinity=False),
)
flag = st.one_of(st.none(), st.booleans())
figures = st.fixed_dictionaries(
    {
        "wage_income": money,
        "business_income": money,
        "property_income": st.just(Decimal(0)),
        "transfer_income": money,
        "business_expense": money,
        "medical_self_paid": money,
        "has_safe_drinking_water": flag,
        "house_grade": st.sampled_from(["", "A", "B", "C", "D"]),
        "had_disaster": st.booleans(),
    }
)
facts = st.fixed_dictionaries(
    {
        "labor_skill": st.sampled_from(["", "ordinary", "skilled", "lost", "none", "weak_or_half"]),
        "unemployed_months": st.one_of(st.none(), st.integers(min_value=0, max_value=12)),
        "is_deceased": st.booleans(),
        "has_serious_disease": st.booleans(),
        "is_disabled": st.booleans(),
        "is_dibao": st.booleans(),
        "is_tekun": st.booleans(),
        "schooling": st.sampled_from(["", "preschool", "primary", "grade8", "senior1"]),
    }
)
births = st.one_of(
    st.none(),
    st.sampled_from([date(2006, 8, 31), date(2006, 9, 1), date(2016, 8, 31), date(2016, 9, 1)]),
    st.dates(min_value=date(1940, 1, 1), max_value=date(2022, 8, 31)),
)
household = st.fixed_dictionaries(
    {
        "births": st.lists(births, min_size=1, max_size=4),
        "prev": st.one_of(st.none(), figures),
        "now": figures,
        "prev_facts": st.lists(facts, min_size=4, max_size=4),
        "now_facts": st.lists(facts, min_size=4, max_size=4),
        "reports": st.integers(min_value=0, max_value=2),
    }
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(household, min_size=1, max_size=5))
def test_batch_and_explanation_agree(specs):
    with transaction.atomic():
        village = f.village()
        for spec in specs:
            members = [{"birth_date": born} for born in spec["births"]]
            h = f.household(village, members=members)
            if spec["prev"] is not None:
                f.year(h, 2021, members=spec["prev_facts"], **spec["prev"])
            f.year(h, 2022, members=spec["now_facts"], **spec["now"])
            for _ in range(spec["reports"]):
                DepartmentReport.objects.create(
                    household=h,
                    year=2022,
                    department="civil_affairs",
                    reason="低保退出",
                    reported_on=date(2022, 5, 1),
                )
        batch = batch_outcomes(year=2022)
        assert len(batch) == len(specs)
        for household_id, outcomes in batch.items():
            assert outcomes == household_outcomes(household_id=household_id, year=2022), household_id
        transaction.set_rollback(True)
