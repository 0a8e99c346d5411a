"""The Alkire–Foster measures on a hand-computed example (no database)."""

import polars as pl
import pytest

from tuopin.reports.mpi import DEFAULT_CUTOFF, INDICATOR_CODES, compute, make_settings, normalise

ALL = dict.fromkeys(INDICATOR_CODES, 1)
NONE = dict.fromkeys(INDICATOR_CODES, 0)


def household(size, township, village, **deprived):
    return {
        "size": size,
        "township_key": township,
        "township": f"乡{township}",
        "village_key": village,
        "village": f"村{village}",
        **{code: deprived.get(code, 0) for code in INDICATOR_CODES},
    }


def example(extra=()):
    """Five households, 15 people, two townships, three villages (docs/mpi.md has the arithmetic)."""
    rows = [
        household(4, "T1", "V1", income=1, housing=1),  # score 2/6: exactly at the cutoff → poor
        household(2, "T1", "V1", income=1, education=1, medical=1, water=1),  # 4/6 → poor
        household(3, "T1", "V2", water=1),  # 1/6 → not poor
        household(5, "T2", "V3"),  # 0 → not poor
        household(1, "T2", "V3", **ALL),  # 6/6 → poor
        *extra,
    ]
    schema = {"size": pl.Int64, **dict.fromkeys(INDICATOR_CODES, pl.Int8)}
    return pl.DataFrame(rows, schema_overrides=schema)


def test_hand_computed_headcount_intensity_and_m0():
    result = compute(example())
    total = result.total
    assert (total.households, total.people, total.poor_households, total.poor_people) == (5, 15, 3, 7)
    assert round(total.headcount_ratio, 4) == 0.4667  # 7 / 15
    assert round(total.intensity, 4) == 0.5238  # (4·2/6 + 2·4/6 + 1·1) / 7 = 11/21
    assert round(total.adjusted_headcount_ratio, 4) == 0.2444  # 11/45
    assert total.adjusted_headcount_ratio == pytest.approx(total.headcount_ratio * total.intensity)


def test_hand_computed_censored_ratios_and_contributions():
    total = compute(example()).total
    censored = {code: round(value, 4) for code, value in total.censored_headcount_ratios.items()}
    assert censored == {
        "income": 0.4667,  # 7/15
        "food_clothing": 0.0667,  # 1/15
        "education": 0.2,  # 3/15
        "medical": 0.2,
        "housing": 0.3333,  # 5/15
        "water": 0.2,  # the not-poor household of 3 is censored out
    }
    assert round(total.raw_headcount_ratios["water"], 4) == 0.4  # 6/15 before censoring
    contributions = {code: round(value, 4) for code, value in total.contributions.items()}
    assert contributions == {
        "income": 0.3182,  # 7/22
        "food_clothing": 0.0455,  # 1/22
        "education": 0.1364,  # 3/22
        "medical": 0.1364,
        "housing": 0.2273,  # 5/22
        "water": 0.1364,
    }
    assert sum(total.contributions.values()) == pytest.approx(1)
    assert round(total.income_headcount_ratio, 4) == 0.4667


def test_subgroups_decompose_the_whole():
    result = compute(example())
    townships = {g.key: g for g in result.townships}
    assert round(townships["T1"].measures.adjusted_headcount_ratio, 4) == 0.2963  # (16/6) / 9
    assert round(townships["T2"].measures.adjusted_headcount_ratio, 4) == 0.1667  # 1 / 6
    for groups in (result.townships, result.villages):
        weighted = sum(g.population_share * g.measures.adjusted_headcount_ratio for g in groups)
        assert weighted == pytest.approx(result.total.adjusted_headcount_ratio)
        assert sum(g.contribution_to_total for g in groups) == pytest.approx(1)
    assert {g.key: g.parent for g in result.villages} == {"V1": "乡T1", "V2": "乡T1", "V3": "乡T2"}


def test_missing_value_is_excluded_and_counted_not_passed():
    unknown = household(2, "T2", "V3", housing=1, water=1) | {"income": None}
    result = compute(example([unknown]))
    assert (result.excluded_households, result.excluded_people) == (1, 2)
    assert result.missing_by_indicator["income"] == 1
    assert result.total.people == 15  # the measure is over households with every indicator known
    assert round(result.total.adjusted_headcount_ratio, 4) == 0.2444


def test_missing_value_counted_as_deprived_when_asked():
    unknown = household(2, "T2", "V3", housing=1, water=1) | {"income": None}
    result = compute(example([unknown]), make_settings(missing="deprived"))
    assert result.excluded_households == 0
    assert (result.total.people, result.total.poor_people) == (17, 9)  # 3/6 ≥ 1/3: poor
    assert round(result.total.headcount_ratio, 4) == round(9 / 17, 4)


def test_weights_and_cutoff():
    only_income = make_settings({"income": 2, "housing": 0}, cutoff=0.5)
    assert only_income.weights["income"] == 1
    assert only_income.weights["water"] == 0
    total = compute(example(), only_income).total
    assert total.poor_people == 7
    assert round(total.intensity, 4) == 1.0
    assert make_settings(cutoff=0).cutoff == DEFAULT_CUTOFF
    assert make_settings(cutoff=float("nan")).cutoff == DEFAULT_CUTOFF
    assert normalise({"income": -1}) == normalise(None)
    assert sum(normalise({"income": 1, "water": 3}).values()) == pytest.approx(1)


def test_empty_frame():
    result = compute(example().head(0))
    assert result.total.people == 0
    assert result.total.adjusted_headcount_ratio == 0
    assert result.villages == []
