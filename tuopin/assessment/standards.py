"""From resolved standards (policy app) to the parameters the engine binds."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from tuopin.assessment.engine.expr import years_before
from tuopin.policy.selectors import ResolvedStandard, standards_resolve
from tuopin.regions.models import Region
from tuopin.registry import codes
from tuopin.registry.models import Household, Person


def reference_date(year: int, resolved: dict[str, ResolvedStandard]) -> date:
    month = int(resolved["age_reference_month"].value or 8)
    day = int(resolved["age_reference_day"].value or 31)
    return date(year, month, day)


def engine_params(year: int, resolved: dict[str, ResolvedStandard]) -> dict[str, Any]:
    """Every standard as a Decimal (or None when unset) plus the school-age birth-date window."""
    params: dict[str, Any] = {key: item.value for key, item in resolved.items()}
    reference = reference_date(year, resolved)
    school_min = resolved["school_age_min"].value
    school_max = resolved["school_age_max"].value
    params["school_born_after"] = (
        years_before(reference, int(school_max) + 1) if school_max is not None else None
    )
    params["school_born_by"] = years_before(reference, int(school_min)) if school_min is not None else None
    params["reference_date"] = reference
    params["adult_born_by"] = years_before(reference, 21)
    line = resolved["income_line"].value
    for colour in ("blue", "green"):
        multiple = resolved[f"colour_{colour}_multiple"].value
        params[f"colour_{colour}_line"] = (
            None if line is None or multiple is None else (line * multiple).quantize(Decimal("0.01"))
        )
    return params


def resolve(
    year: int, region: Region | None, overrides: Mapping[str, Decimal | None] | None = None
) -> tuple[dict[str, ResolvedStandard], dict[str, Any], dict[str, Any]]:
    """(resolved standards, engine params, JSON snapshot); ``overrides`` replace values (what-if)."""
    resolved = standards_resolve(year=year, region=region)
    params = engine_params(year, resolved)
    snapshot = {key: item.as_json() for key, item in resolved.items()}
    for key, value in (overrides or {}).items():
        params[key] = value
        snapshot.setdefault(key, {})
        snapshot[key] = {**snapshot[key], "value": None if value is None else str(value), "what_if": True}
    if overrides and "income_line" in overrides:
        for colour in ("blue", "green"):
            multiple = resolved[f"colour_{colour}_multiple"].value
            line = overrides["income_line"]
            params[f"colour_{colour}_line"] = None if line is None or multiple is None else line * multiple
    if overrides and ({"school_age_min", "school_age_max"} & overrides.keys()):
        reference = params["reference_date"]
        params["school_born_after"] = years_before(reference, int(params["school_age_max"]) + 1)
        params["school_born_by"] = years_before(reference, int(params["school_age_min"]))
    snapshot["reference_date"] = {"value": params["reference_date"].isoformat()}
    return resolved, params, snapshot


def labels(resolved: dict[str, ResolvedStandard]) -> dict[str, str]:
    """Chinese labels for explanations: standards (``param:key``), fields, school codes."""
    result = {f"param:{key}": item.label for key, item in resolved.items()}
    for field in Household._meta.get_fields():
        if hasattr(field, "verbose_name"):
            result[field.name] = str(field.verbose_name)
    for field in Person._meta.get_fields():
        if hasattr(field, "verbose_name"):
            result[f"members.{field.name}"] = str(field.verbose_name)
    for code in codes.codes("schooling"):
        result[f"schooling:{code.code}"] = code.label
    low, high = resolved["school_age_min"].value, resolved["school_age_max"].value
    if low is not None and high is not None:
        result["school_age"] = f"{int(low)}–{int(high)} 周岁"
    return result
