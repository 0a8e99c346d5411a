"""Table-driven boundary cases, each evaluated both ways: the stored batch run (SQL) and the household's
explanation (Python). Standards are the seed's: line 3200 元 (2018 inherited from 2017), cap 10000 元,
school age 6–15 on 31 Aug."""

from datetime import date
from decimal import Decimal

import pytest

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.engine.batch import unpack
from tuopin.assessment.engine.explain import evaluate_all
from tuopin.assessment.engine.rules import EXIT_RULESET, Outcome
from tuopin.assessment.models import HouseholdResult
from tuopin.assessment.selectors import household_inputs
from tuopin.assessment.services import assessment_run
from tuopin.assessment.standards import resolve
from tuopin.assessment.tests import factories
from tuopin.policy.services import standard_set

P, F, M = Outcome.PASS, Outcome.FAIL, Outcome.MISSING
ADULT = {"birth_date": date(1980, 1, 1), "education": "primary"}


def income(per_capita_net: str, members: int = 2) -> dict:
    """Incomes whose net per capita is exactly ``per_capita_net`` for ``members`` people."""
    net = Decimal(per_capita_net) * members
    return {
        "wage_income": net,
        "business_income": Decimal("500.50"),
        "property_income": Decimal("0"),
        "transfer_income": Decimal("0"),
        "business_expense": Decimal("500.50"),
    }


CASES = [
    # (id, household fields, members, rule, expected)
    ("income exactly at the line", income("3200"), 2, "income_per_capita", P),
    ("income one yuan under", income("3199"), 2, "income_per_capita", F),
    ("income one fen under", income("3199.995"), 2, "income_per_capita", F),
    ("income three members exactly", income("3200", 3), 3, "income_per_capita", P),
    ("income component missing", {"property_income": None}, 2, "income_per_capita", M),
    ("business expense missing", {"business_expense": None}, 2, "income_per_capita", M),
    ("no members", {}, 0, "income_per_capita", M),
    ("food yes", {"has_food_security": True}, 2, "food_security", P),
    ("food no", {"has_food_security": False}, 2, "food_security", F),
    ("food missing", {"has_food_security": None}, 2, "food_security", M),
    ("clothing missing", {"has_clothing_security": None}, 2, "clothing_security", M),
    ("water no", {"has_safe_drinking_water": False}, 2, "safe_drinking_water", F),
    ("water missing", {"has_safe_drinking_water": None}, 2, "safe_drinking_water", M),
    ("grade A", {"house_grade": "A"}, 2, "house_grade", P),
    ("grade B", {"house_grade": "B"}, 2, "house_grade", P),
    ("grade C", {"house_grade": "C"}, 2, "house_grade", F),
    ("grade D", {"house_grade": "D"}, 2, "house_grade", F),
    ("grade blank", {"house_grade": ""}, 2, "house_grade", M),
    (
        "self-funding at the cap",
        {"is_relocated": True, "relocation_self_funding": Decimal("10000"), "relocation_debt": 0},
        2,
        "relocation_self_funding",
        P,
    ),
    (
        "self-funding over the cap",
        {"is_relocated": True, "relocation_self_funding": Decimal("10000.01"), "relocation_debt": 0},
        2,
        "relocation_self_funding",
        F,
    ),
    (
        "self-funding missing",
        {"is_relocated": True, "relocation_self_funding": None, "relocation_debt": 0},
        2,
        "relocation_self_funding",
        M,
    ),
    (
        "not relocated: cap n/a",
        {"is_relocated": False, "relocation_self_funding": None},
        2,
        "relocation_self_funding",
        P,
    ),
    (
        "relocation debt zero",
        {"is_relocated": True, "relocation_self_funding": 0, "relocation_debt": Decimal("0")},
        2,
        "relocation_debt",
        P,
    ),
    (
        "relocation debt",
        {"is_relocated": True, "relocation_self_funding": 0, "relocation_debt": Decimal("0.01")},
        2,
        "relocation_debt",
        F,
    ),
    (
        "relocation debt missing",
        {"is_relocated": True, "relocation_self_funding": 0, "relocation_debt": None},
        2,
        "relocation_debt",
        M,
    ),
    (
        "schooling cause, enough after costs",
        {**income("4200"), "main_cause": "schooling", "schooling_expense": Decimal("2000")},
        2,
        "income_after_schooling",
        P,
    ),
    (
        "schooling cause, one yuan short",
        {**income("4200"), "other_cause_2": "schooling", "schooling_expense": Decimal("2002")},
        2,
        "income_after_schooling",
        F,
    ),
    (
        "schooling cause, expense missing",
        {"main_cause": "schooling", "schooling_expense": None},
        2,
        "income_after_schooling",
        M,
    ),
    (
        "other cause: schooling n/a",
        {"main_cause": "illness", "schooling_expense": None},
        2,
        "income_after_schooling",
        P,
    ),
    ("self-paid zero, limit unset", {"medical_self_paid": Decimal("0")}, 2, "medical_self_paid", P),
    ("self-paid positive, limit unset", {"medical_self_paid": Decimal("100")}, 2, "medical_self_paid", M),
    ("self-paid missing", {"medical_self_paid": None}, 2, "medical_self_paid", M),
]

MEMBER_CASES = [
    # (id, members, rule, expected); the reference date is 2018-08-31
    ("child exactly 6, out of school", [ADULT, {"birth_date": date(2012, 8, 31)}], "school_attendance", F),
    (
        "child exactly 6, in primary",
        [ADULT, {"birth_date": date(2012, 8, 31), "schooling": "primary"}],
        "school_attendance",
        P,
    ),
    ("child one day under 6", [ADULT, {"birth_date": date(2012, 9, 1)}], "school_attendance", P),
    ("child exactly 16, out of school", [ADULT, {"birth_date": date(2002, 8, 31)}], "school_attendance", P),
    ("child one day under 16", [ADULT, {"birth_date": date(2002, 9, 1)}], "school_attendance", F),
    (
        "child 10 in 学前教育",
        [ADULT, {"birth_date": date(2008, 1, 1), "schooling": "preschool"}],
        "school_attendance",
        F,
    ),
    (
        "child 10 as 学龄前儿童",
        [ADULT, {"birth_date": date(2008, 1, 1), "schooling": "preschool_child"}],
        "school_attendance",
        F,
    ),
    ("birth date unknown, not in school", [ADULT, {"birth_date": None}], "school_attendance", M),
    (
        "birth date unknown, in school",
        [ADULT, {"birth_date": None, "schooling": "grade8"}],
        "school_attendance",
        P,
    ),
    ("all insured", [ADULT, {**ADULT, "has_medical_insurance": True}], "medical_insured", P),
    ("one uninsured member", [ADULT, {**ADULT, "has_medical_insurance": False}], "medical_insured", F),
    ("one member insurance unknown", [ADULT, {**ADULT, "has_medical_insurance": None}], "medical_insured", M),
    (
        "uninsured beats unknown",
        [{**ADULT, "has_medical_insurance": None}, {**ADULT, "has_medical_insurance": False}],
        "medical_insured",
        F,
    ),
]


@pytest.fixture
def seeded(db):
    factories.county()
    return 2018


def _both(year: int, household) -> dict[str, Outcome]:
    run = assessment_run(year=year, by=console_actor())
    stored = HouseholdResult.objects.get(run=run, household=household)
    batch = unpack(stored.outcomes, EXIT_RULESET)
    _, params, _ = resolve(year, household.village)
    row, members = household_inputs(household.pk, year=year)
    single = evaluate_all(EXIT_RULESET, row, members, params)
    assert batch == single, f"batch {batch} != single {single}"
    return batch


@pytest.mark.parametrize(
    ("fields", "members", "rule", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_household_boundaries(seeded, fields, members, rule, expected):
    h = factories.household(members=[ADULT] * members, **fields)
    assert _both(seeded, h)[rule] == expected


@pytest.mark.parametrize(
    ("members", "rule", "expected"), [c[1:] for c in MEMBER_CASES], ids=[c[0] for c in MEMBER_CASES]
)
def test_member_boundaries(seeded, members, rule, expected):
    h = factories.household(members=members)
    assert _both(seeded, h)[rule] == expected


def test_limit_set_makes_self_paid_decidable(seeded):
    standard_set(
        key="medical_self_paid_limit",
        year=2018,
        region=None,
        value="9000",
        source_document="测试",
        by=console_actor(),
    )
    at = factories.household(members=[ADULT], medical_self_paid=Decimal("9000"))
    over = factories.household(members=[ADULT], medical_self_paid=Decimal("9000.01"))
    assert _both(seeded, at)["medical_self_paid"] == P
    assert _both(seeded, over)["medical_self_paid"] == F


def test_unset_income_line_is_missing_not_pass(db):
    factories.county()
    h = factories.household(members=[ADULT])
    # 2016 precedes every seeded income line: the standard is unset, so income is missing
    assert _both(2016, h)["income_per_capita"] == M
