"""From the year's standards (policy app) to the parameters the triggers bind."""

from typing import Any

from tuopin.assessment.standards import resolve
from tuopin.regions.models import Region

INT_KEYS = (
    "monitoring_income_drop_share",
    "monitoring_unemployed_months",
    "monitoring_decision_days",
    "monitoring_notice_days",
    "monitoring_stable_years",
)
DEFAULTS = {"monitoring_decision_days": 15, "monitoring_notice_days": 5, "monitoring_stable_years": 1}


def monitoring_params(year: int, region: Region | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(engine params, JSON snapshot of the standards) for ``year``; whole-number standards become ints."""
    _, params, snapshot = resolve(year, region)
    for key in INT_KEYS:
        value = params.get(key)
        params[key] = int(value) if value is not None else DEFAULTS.get(key)
    return params, snapshot
