"""The multidimensional poverty measure (Alkire–Foster), free of Django.

Input: one row per household with its size (people), its township and village, and one column per indicator
holding ``1`` (deprived), ``0`` (not deprived) or null (not known). Every member of a household shares the
household's deprivations, so each figure counts people: a household of four deprived in housing is four
people deprived in housing.

* deprivation score ``c`` = the sum of the weights of the indicators the household is deprived in;
* poor (multidimensionally) when ``c >= k`` (the cutoff); the censored score is ``c`` for the poor, else 0;
* ``H`` = poor people / people; ``A`` = mean censored score of the poor; ``M0 = H × A`` = mean censored score;
* censored headcount ratio of an indicator = people who are poor *and* deprived in it / people;
* contribution of an indicator = weight × censored headcount ratio / M0 (the contributions add up to 1);
* by subgroup (township, village) the same figures; the population-weighted sum of the subgroups' M0 is the
  M0 of the whole (decomposability).

Missing values are never a pass. ``missing="exclude"`` (the default) leaves households with any unknown
indicator out of the measure and counts them separately; ``missing="deprived"`` counts an unknown value as a
deprivation. See docs/mpi.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

#: indicator code, Chinese name — the registry's 两不愁三保障 indicators, in the order shown
INDICATORS: tuple[tuple[str, str], ...] = (
    ("income", "收入低于脱贫标准"),
    ("food_clothing", "愁吃或愁穿"),
    ("education", "义务教育阶段适龄成员失学辍学"),
    ("medical", "有成员未参加基本医疗保险"),
    ("housing", "住C、D级危房"),
    ("water", "饮水不安全"),
)
INDICATOR_CODES = tuple(code for code, _label in INDICATORS)
#: equal weights and a cutoff of one third: poor when deprived in two of the six indicators
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(INDICATOR_CODES, 1.0)
DEFAULT_CUTOFF = 1 / 3
Missing = Literal["exclude", "deprived"]
MPI_POOR = "is_mpi_poor"  # column: 1.0 when multidimensionally poor (score >= cutoff), else 0.0
EPSILON = 1e-9  # a score equal to the cutoff up to rounding is at the cutoff


@dataclass(frozen=True)
class Settings:
    weights: dict[str, float]  # normalised: non-negative, sum 1
    cutoff: float  # 0 < k <= 1
    missing: Missing = "exclude"


def normalise(weights: dict[str, float] | None) -> dict[str, float]:
    """Weights for every indicator, scaled to sum 1. Unknown codes, negative or non-finite values and an
    all-zero set fall back to the defaults."""
    raw = {code: float((weights or {}).get(code, 0.0)) for code in INDICATOR_CODES}
    if any(not math.isfinite(v) or v < 0 for v in raw.values()) or sum(raw.values()) <= 0:
        raw = dict(DEFAULT_WEIGHTS)
    total = sum(raw.values())
    return {code: value / total for code, value in raw.items()}


def make_settings(
    weights: dict[str, float] | None = None, cutoff: float | None = None, missing: str = "exclude"
) -> Settings:
    k = DEFAULT_CUTOFF if cutoff is None or not math.isfinite(cutoff) or not 0 < cutoff <= 1 else cutoff
    return Settings(normalise(weights), k, "deprived" if missing == "deprived" else "exclude")


@dataclass(frozen=True)
class Measures:
    households: int
    people: int
    poor_households: int
    poor_people: int
    headcount_ratio: float  # H
    intensity: float  # A
    adjusted_headcount_ratio: float  # M0
    raw_headcount_ratios: dict[str, float]
    censored_headcount_ratios: dict[str, float]
    contributions: dict[str, float]  # shares of M0, sum 1 when M0 > 0
    income_headcount_ratio: float  # people below the income line / people (the income measure)


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    parent: str
    population_share: float
    measures: Measures
    contribution_to_total: float  # population share × M0 of the group / M0 of the whole


@dataclass
class Result:
    settings: Settings
    total: Measures
    excluded_households: int
    excluded_people: int
    missing_by_indicator: dict[str, int]  # households with an unknown value, per indicator
    townships: list[Group] = field(default_factory=list)
    villages: list[Group] = field(default_factory=list)


def _scored(frame: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Rows of the measured population with their deprivations (0/1), score and censored values."""
    if settings.missing == "deprived":
        frame = frame.with_columns([pl.col(c).fill_null(1) for c in INDICATOR_CODES])
    else:
        frame = frame.filter(pl.all_horizontal([pl.col(c).is_not_null() for c in INDICATOR_CODES]))
    frame = frame.with_columns([pl.col(c).cast(pl.Float64) for c in INDICATOR_CODES])
    score = pl.sum_horizontal([pl.col(c) * settings.weights[c] for c in INDICATOR_CODES])
    frame = frame.with_columns(score.alias("score"))
    poor = (pl.col("score") >= settings.cutoff - EPSILON).cast(pl.Float64)
    return frame.with_columns(poor.alias(MPI_POOR))


def _aggregations(settings: Settings) -> list[pl.Expr]:
    size = pl.col("size").cast(pl.Float64)
    exprs = [
        pl.len().alias("households"),
        size.sum().alias("people"),
        pl.col(MPI_POOR).sum().alias("poor_households"),
        (size * pl.col(MPI_POOR)).sum().alias("poor_people"),
        (size * pl.col(MPI_POOR) * pl.col("score")).sum().alias("censored_score_sum"),
    ]
    for code in INDICATOR_CODES:
        exprs.append((size * pl.col(code)).sum().alias(f"raw:{code}"))
        exprs.append((size * pl.col(code) * pl.col(MPI_POOR)).sum().alias(f"censored:{code}"))
    return exprs


def _measures(row: dict, settings: Settings) -> Measures:
    people = float(row["people"] or 0)
    poor_people = float(row["poor_people"] or 0)

    def share(value) -> float:
        return float(value or 0) / people if people else 0.0

    m0 = share(row["censored_score_sum"])
    censored = {code: share(row[f"censored:{code}"]) for code in INDICATOR_CODES}
    raw = {code: share(row[f"raw:{code}"]) for code in INDICATOR_CODES}
    contributions = {
        code: (settings.weights[code] * censored[code] / m0 if m0 else 0.0) for code in INDICATOR_CODES
    }
    return Measures(
        households=int(row["households"] or 0),
        people=int(people),
        poor_households=int(row["poor_households"] or 0),
        poor_people=int(poor_people),
        headcount_ratio=share(poor_people),
        intensity=float(row["censored_score_sum"] or 0) / poor_people if poor_people else 0.0,
        adjusted_headcount_ratio=m0,
        raw_headcount_ratios=raw,
        censored_headcount_ratios=censored,
        contributions=contributions,
        income_headcount_ratio=raw["income"],
    )


def _groups(scored: pl.DataFrame, settings: Settings, key: str, name: str, parent: str, total: Measures):
    if scored.is_empty():
        return []
    rows = scored.group_by([key, name, parent]).agg(_aggregations(settings)).sort(key).to_dicts()
    groups = []
    for row in rows:
        measures = _measures(row, settings)
        share = measures.people / total.people if total.people else 0.0
        m0 = total.adjusted_headcount_ratio
        groups.append(
            Group(
                key=str(row[key]),
                name=str(row[name]),
                parent=str(row[parent] or ""),
                population_share=share,
                measures=measures,
                contribution_to_total=share * measures.adjusted_headcount_ratio / m0 if m0 else 0.0,
            )
        )
    return groups


def compute(frame: pl.DataFrame, settings: Settings | None = None) -> Result:
    """The measures for the whole frame and by township and village.

    ``frame`` columns: ``size``, ``township_key``, ``township``, ``village_key``, ``village`` and one per
    indicator code (1 deprived, 0 not, null unknown)."""
    settings = settings or make_settings()
    if "county" not in frame.columns:
        frame = frame.with_columns(pl.lit("").alias("county"))
    missing_any = pl.any_horizontal([pl.col(c).is_null() for c in INDICATOR_CODES])
    counts = frame.select(
        pl.len().alias("households"),
        pl.col("size").filter(missing_any).sum().alias("excluded_people"),
        missing_any.sum().alias("excluded_households"),
        *[pl.col(c).is_null().sum().alias(c) for c in INDICATOR_CODES],
    ).to_dicts()[0]
    scored = _scored(frame, settings)
    total = _measures(scored.select(_aggregations(settings)).to_dicts()[0], settings)
    excluded = settings.missing == "exclude"
    return Result(
        settings=settings,
        total=total,
        excluded_households=int(counts["excluded_households"] or 0) if excluded else 0,
        excluded_people=int(counts["excluded_people"] or 0) if excluded else 0,
        missing_by_indicator={c: int(counts[c] or 0) for c in INDICATOR_CODES},
        townships=_groups(scored, settings, "township_key", "township", "county", total),
        villages=_groups(scored, settings, "village_key", "village", "township", total),
    )
