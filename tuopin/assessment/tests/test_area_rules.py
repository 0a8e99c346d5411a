"""Village and county indicators as engine rules: table-driven boundaries (exactly on the line, one hundredth
beyond), missing data never a pass, one Kleene ``combine``, the run's stored standards read back; and the
engine's own constants equal the Django choices they stand for."""

from decimal import Decimal

import pytest

from tuopin.assessment.engine import constants
from tuopin.assessment.engine.areas import area_outcome, evaluate_area, explain_area, stored_params
from tuopin.assessment.engine.outcomes import OUTCOME_LABELS, Outcome, combine
from tuopin.assessment.engine.rules import COUNTY_RULESET, VILLAGE_RULESET
from tuopin.assessment.models import Severity
from tuopin.regions.models import Level
from tuopin.registry.models import NOT_EXITED_STATUSES, PovertyStatus

PARAMS = {
    "village_incidence_max": Decimal("2"),
    "village_sampling_error_max": Decimal("1"),
    "village_collective_income_min": Decimal("20000"),
    "county_error_rate_max": Decimal("0"),
    "county_satisfaction_min": Decimal("90"),
}
VILLAGE = {
    "population": 1000,
    "remaining_poor_people": 20,
    "collective_income": Decimal("20000"),
    "has_work_team": True,
    "has_first_secretary": True,
    "households_without_cadre": 0,
    "not_exited": 40,
    "registered_checked": 100,
    "mis_included": 1,
    "unregistered_checked": 200,
    "missed": 2,
}

CASES = [
    ("all on the line", {}, {}),
    ("incidence rounds to the line", {"population": 999}, {}),  # 2.002 % is published as 2.00 %
    ("incidence one hundredth over", {"population": 995}, {"incidence": Outcome.FAIL}),  # 2.01 %
    ("incidence over", {"remaining_poor_people": 21}, {"incidence": Outcome.FAIL}),
    ("no population", {"population": 0}, {"incidence": Outcome.MISSING}),
    ("income one fen short", {"collective_income": Decimal("19999.99")}, {"collective_income": Outcome.FAIL}),
    ("income not recorded", {"collective_income": None}, {"collective_income": Outcome.MISSING}),
    ("no work team", {"has_work_team": False, "has_first_secretary": None}, {"work_team": Outcome.FAIL}),
    ("team unknown", {"has_work_team": None}, {"work_team": Outcome.MISSING}),
    ("a household without cadre", {"households_without_cadre": 1}, {"cadre": Outcome.FAIL}),
    (
        "no sampling check",
        {"registered_checked": None, "mis_included": None},
        {"mis_included_rate": Outcome.MISSING},
    ),
    ("missed over", {"missed": 3}, {"missed_rate": Outcome.FAIL}),
]


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_village_boundaries(changes, expected):
    outcomes = evaluate_area(VILLAGE_RULESET, {**VILLAGE, **changes}, PARAMS)
    assert outcomes == {rule.code: expected.get(rule.code, Outcome.PASS) for rule in VILLAGE_RULESET.rules}


def test_an_unset_standard_is_missing_never_a_pass():
    outcomes = evaluate_area(VILLAGE_RULESET, VILLAGE, {**PARAMS, "village_incidence_max": None})
    assert outcomes["incidence"] == Outcome.MISSING
    results = {
        r.code: r for r in explain_area(VILLAGE_RULESET, VILLAGE, {**PARAMS, "village_incidence_max": None})
    }
    assert results["incidence"].threshold == "≤ （未设置）%"
    assert area_outcome(tuple(results.values())) == Outcome.MISSING


def test_explanation_shows_values_thresholds_and_formulas():
    results = {r.code: r for r in explain_area(VILLAGE_RULESET, VILLAGE, PARAMS)}
    assert results["incidence"].value == "2.00%"
    assert results["incidence"].threshold == "≤ 2%"
    assert "20 人" in results["incidence"].formula
    assert "1000 人" in results["incidence"].formula
    assert results["collective_income"].value == "20,000.00 元"
    assert results["collective_income"].threshold.startswith("≥ 20,000.00 元")
    assert results["work_team"].value == "均已派驻"
    assert results["cadre"].value == "0 户未落实帮扶责任人（共 40 户）"
    assert all(r.source.startswith("【规划6】") for r in results.values())


def test_county_rules():
    figures = {
        "population": 5000,
        "remaining_poor_people": 0,
        "registered_checked": 100,
        "mis_included": 0,
        "unregistered_checked": 100,
        "missed": 0,
        "exited_checked": 50,
        "mis_exited": 1,
        "surveyed": 40,
        "satisfied": 36,
    }
    outcomes = evaluate_area(COUNTY_RULESET, figures, PARAMS)
    assert outcomes == {
        "incidence": Outcome.PASS,
        "mis_included_rate": Outcome.PASS,
        "missed_rate": Outcome.PASS,
        "mis_exited_rate": Outcome.FAIL,  # 2 % > 0
        "satisfaction": Outcome.PASS,  # 90 % on the line
    }
    assert evaluate_area(COUNTY_RULESET, {**figures, "satisfied": 35}, PARAMS)["satisfaction"] == Outcome.FAIL


def test_stored_standards_are_read_back_as_the_run_stored_them():
    snapshot = {
        "village_incidence_max": {"label": "…", "value": "1.50"},
        "village_sampling_error_max": {"value": None},
        "reference_date": {"value": "2018-08-31"},
    }
    params = stored_params(snapshot, VILLAGE_RULESET)
    assert params == {
        "village_incidence_max": Decimal("1.50"),
        "village_sampling_error_max": None,
        "village_collective_income_min": None,
    }


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], Outcome.PASS),
        ([Outcome.PASS, Outcome.PASS], Outcome.PASS),
        ([Outcome.PASS, Outcome.MISSING], Outcome.MISSING),
        ([Outcome.MISSING, Outcome.FAIL], Outcome.FAIL),
    ],
)
def test_one_kleene_combine(parts, expected):
    assert combine(parts) == expected
    assert combine(iter(parts)) == expected


def test_one_set_of_labels():
    assert OUTCOME_LABELS == {Outcome.PASS: "达标", Outcome.FAIL: "未达标", Outcome.MISSING: "数据缺失"}


def test_engine_constants_equal_the_django_choices():
    assert constants.UNREGISTERED == PovertyStatus.UNREGISTERED
    assert constants.POOR == PovertyStatus.POOR
    assert constants.EXITED == PovertyStatus.EXITED
    assert constants.RELAPSED == PovertyStatus.RELAPSED
    assert constants.NOT_EXITED == NOT_EXITED_STATUSES
    assert {constants.POOR, constants.EXITED, constants.RELAPSED, constants.UNREGISTERED} == set(
        PovertyStatus.values
    )
    assert (constants.LEVEL_COUNTY, constants.LEVEL_TOWNSHIP, constants.LEVEL_VILLAGE) == (
        Level.COUNTY,
        Level.TOWNSHIP,
        Level.VILLAGE,
    )
    assert {constants.CRITICAL, constants.WARNING, constants.INFO} == set(Severity.values)
