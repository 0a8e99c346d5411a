"""Parity: for random and boundary households, the stored batch result (SQL) of every household equals its
single-household evaluation (Python) — rule by rule, on whichever database the suite runs on."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.engine.batch import unpack
from tuopin.assessment.engine.colours import colour_of
from tuopin.assessment.engine.explain import evaluate_all
from tuopin.assessment.engine.rules import EXIT_RULESET, INDICATOR_RULESET
from tuopin.assessment.models import HouseholdResult
from tuopin.assessment.selectors import household_inputs
from tuopin.assessment.services import assessment_run
from tuopin.assessment.standards import resolve
from tuopin.assessment.tests import factories
from tuopin.policy.services import standard_set
from tuopin.registry.models import Household, PovertyStatus

money = st.one_of(
    st.none(),
    st.sampled_from(
        [
            Decimal(0),
            Decimal("0.01"),
            Decimal("3199.99"),
            Decimal("3200"),
            Decimal("6400"),
            Decimal("9999.99"),
            Decimal("10000"),
            Decimal("10000.01"),
        ]
    ),
    st.decimals(min_value=0, max_value=40000, places=2, allow_nan=False, allow_infinity=False),
)
flag = st.one_of(st.none(), st.booleans())
boundary_births = [
    date(2002, 8, 30),
    date(2002, 8, 31),
    date(2002, 9, 1),
    date(2012, 8, 30),
    date(2012, 8, 31),
    date(2012, 9, 1),
    date(2008, 2, 29),
]
member = st.fixed_dictionaries(
    {
        "birth_date": st.one_of(
            st.none(),
            st.sampled_from(boundary_births),
            st.dates(min_value=date(1930, 1, 1), max_value=date(2018, 8, 31)),
        ),
        "schooling": st.sampled_from(["", "preschool", "preschool_child", "primary", "grade8", "senior1"]),
        "has_medical_insurance": flag,
        "is_dibao": st.booleans(),
        "relation": st.sampled_from(["child", "father"]),
    }
)
household_data = st.fixed_dictionaries(
    {
        "wage_income": money,
        "business_income": money,
        "property_income": money,
        "transfer_income": money,
        "business_expense": money,
        "schooling_expense": money,
        "medical_self_paid": money,
        "has_food_security": flag,
        "has_clothing_security": flag,
        "has_safe_drinking_water": flag,
        "house_grade": st.sampled_from(["", "A", "B", "C", "D"]),
        "is_relocated": st.booleans(),
        "relocation_self_funding": money,
        "relocation_debt": money,
        "main_cause": st.sampled_from(["illness", "schooling", "lack_labor"]),
        "other_cause_1": st.sampled_from(["", "schooling", "disability"]),
        "attribute": st.sampled_from(["", "general", "dibao_poor"]),
        "relocation_year": st.one_of(st.none(), st.just(2017)),
        "status": st.sampled_from(PovertyStatus.values),
        "status_by_procedure": st.sampled_from(PovertyStatus.values),
    }
)
batch_of_households = st.lists(
    st.tuples(household_data, st.lists(member, max_size=5)), min_size=1, max_size=6
)


def _assert_parity(year: int) -> int:
    run = assessment_run(year=year, by=console_actor())
    checked = 0
    for result in HouseholdResult.objects.filter(run=run):
        _, params, _ = resolve(year, None)
        row, members = household_inputs(result.household_id, year=year)
        assert unpack(result.outcomes, EXIT_RULESET) == evaluate_all(EXIT_RULESET, row, members, params), (
            f"household {result.household_id}: {row} {members}"
        )
        flags = evaluate_all(INDICATOR_RULESET, row, members, params)
        assert unpack(result.flags, INDICATOR_RULESET) == flags, (
            f"household {result.household_id}: {row} {members}"
        )
        assert result.colour == colour_of(row["status"], result.outcomes, flags)
        checked += 1
    return checked


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=batch_of_households, limit_set=st.booleans())
def test_batch_equals_single_on_random_households(data, limit_set):
    factories.county()
    village = factories.village()
    if limit_set:
        standard_set(
            key="medical_self_paid_limit",
            year=2018,
            region=None,
            value="9999.99",
            source_document="测试",
            by=console_actor(),
        )
    created = []
    for fields, members in data:
        if fields["status"] == PovertyStatus.UNREGISTERED:
            fields = {**fields, "main_cause": ""}
        if fields["status"] == PovertyStatus.EXITED:
            fields = {**fields, "exit_year": 2017}
        created.append(
            factories.household(village, members=[{"education": "", **m} for m in members], **fields)
        )
    try:
        assert _assert_parity(2018) == Household.objects.count()
    finally:
        Household.objects.filter(pk__in=[h.pk for h in created]).delete()
        from tuopin.policy.models import Standard

        Standard.objects.filter(key="medical_self_paid_limit").delete()
