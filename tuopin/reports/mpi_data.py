"""The Django side of the multidimensional measure: the indicator columns of the user's jurisdiction, read
from the latest stored assessment run in one query, and the weights and cutoff from settings or a what-if
query string. The arithmetic is ``reports.mpi`` (free of Django)."""

import math
import re
from typing import Any

import polars as pl
from django.conf import settings as django_settings
from django.db.models import Max

from tuopin.accounts.models import User
from tuopin.assessment.models import AssessmentRun, HouseholdResult, RunKind
from tuopin.assessment.selectors import deprivation_annotations, latest_run
from tuopin.registry.models import REGISTERED_STATUSES
from tuopin.registry.selectors import households_for
from tuopin.reports.mpi import DEFAULT_CUTOFF, DEFAULT_WEIGHTS, INDICATOR_CODES, Settings, make_settings

#: each indicator is the deprivation of one or more exit rules (the same definitions as the assessment):
#: deprived when any of them failed, unknown when none failed and any lacked data, else not deprived
INDICATOR_RULES: dict[str, tuple[str, ...]] = {
    "income": ("income_per_capita",),
    "food_clothing": ("food_security", "clothing_security"),
    "education": ("school_attendance",),
    "medical": ("medical_insured",),
    "housing": ("house_grade",),
    "water": ("safe_drinking_water",),
}
NUMBER = re.compile(r"^\d{1,3}(\.\d{1,6})?(/\d{1,3})?$")


def _number(raw: str | None) -> float | None:
    """A short non-negative decimal or fraction (``0.25``, ``1/3``); anything else is ``None``."""
    text = (raw or "").strip()
    if not NUMBER.match(text):
        return None
    numerator, _, denominator = text.partition("/")
    if denominator and float(denominator) == 0:
        return None
    value = float(numerator) / (float(denominator) if denominator else 1.0)
    return value if math.isfinite(value) else None


def configured_settings() -> Settings:
    """The county's weights and cutoff: ``TUOPIN_MPI = {"weights": {...}, "cutoff": k, "missing": ...}`` in
    the Django settings, else equal weights and k = 1/3."""
    configured = getattr(django_settings, "TUOPIN_MPI", None) or {}
    return make_settings(
        configured.get("weights", DEFAULT_WEIGHTS),
        configured.get("cutoff", DEFAULT_CUTOFF),
        configured.get("missing", "exclude"),
    )


def settings_from_query(query) -> tuple[Settings, bool]:
    """What-if weights (``w_<indicator>``), cutoff (``k``) and missing rule from a query string; a value
    that does not parse keeps the configured one. Returns (settings, whether anything was changed)."""
    base = configured_settings()
    weights = dict(base.weights)
    changed = False
    for code in INDICATOR_CODES:
        value = _number(query.get(f"w_{code}"))
        if value is not None:
            weights[code] = value
            changed = True
    cutoff = _number(query.get("k"))
    missing = query.get("missing") if query.get("missing") in ("exclude", "deprived") else base.missing
    changed = changed or cutoff is not None or missing != base.missing
    return make_settings(weights, cutoff if cutoff is not None else base.cutoff, missing), changed


def mpi_run(year: int | None = None) -> AssessmentRun | None:
    """The county assessment run of ``year`` (default: the latest year that has one)."""
    if year is None:
        year = AssessmentRun.objects.filter(kind=RunKind.ASSESSMENT).aggregate(y=Max("year"))["y"]
    return latest_run(year=year) if year else None


def mpi_years() -> list[int]:
    """Years that have a county assessment run, newest first."""
    years = AssessmentRun.objects.filter(kind=RunKind.ASSESSMENT, region__isnull=True).values_list(
        "year", flat=True
    )
    return sorted(set(years), reverse=True)


def indicator_frame(*, user: User, run: AssessmentRun | None, registered_only: bool = True) -> pl.DataFrame:
    """One row per household of the run in the user's jurisdiction: size, township, village and the six
    indicators (1 deprived, 0 not, null unknown). One query; the assessment selectors judge each indicator
    from the stored results."""
    results = HouseholdResult.objects.filter(run=run, household__in=households_for(user).values("pk"))
    if run is None:
        results = results.none()
    if registered_only:
        results = results.filter(status__in=REGISTERED_STATUSES)
    codes = list(INDICATOR_RULES)
    aliases = {f"deprived_{code}": rules for code, rules in INDICATOR_RULES.items()}  # no clash with fields
    rows = list(
        results.annotate(**deprivation_annotations(aliases)).values_list(
            "member_count",
            "village__code",
            "village__name",
            "village__parent__code",
            "village__parent__name",
            *aliases,
        )
    )
    schema: dict[str, Any] = {
        "size": pl.Int64,
        "village_key": pl.Utf8,
        "village": pl.Utf8,
        "township_key": pl.Utf8,
        "township": pl.Utf8,
    }
    schema.update(dict.fromkeys(codes, pl.Int8))
    return pl.DataFrame(rows, schema=schema, orient="row")
