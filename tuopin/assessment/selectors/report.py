"""The report of one run as plain data (what ``tuopin assess`` prints or dumps as JSON): figures, the exit
plan, village and county indicators, the standards and rule versions it used."""

from typing import Any

from tuopin.assessment.engine.rules import EXIT_RULESET
from tuopin.assessment.models import AssessmentRun
from tuopin.assessment.selectors.county import county_indicators
from tuopin.assessment.selectors.plan import PlanHousehold, exit_plan
from tuopin.assessment.selectors.village import Indicator, village_status
from tuopin.regions.models import Region


def _indicator(indicator: Indicator, *, formula: bool = False) -> dict[str, str]:
    entry = {
        "title": indicator.title,
        "outcome": indicator.outcome.name.lower(),
        "value": indicator.value,
        "threshold": indicator.threshold,
    }
    if formula:
        entry["formula"] = indicator.formula
    return entry


def _villages(run: AssessmentRun) -> list[dict[str, Any]]:
    villages = []
    figures_of = run.summary.get("villages", {})
    for village in Region.objects.filter(pk__in=[int(k) for k in figures_of]).order_by("path"):
        entry = {"code": village.code, "name": village.full_name, **figures_of[str(village.pk)]}
        if village.is_poor_village:
            status = village_status(run=run, village=village)
            entry["poor_village"] = {
                "status": status.label,
                "indicators": [_indicator(i) for i in status.indicators],
            }
        villages.append(entry)
    return villages


def _exit_plan(plan: list[PlanHousehold]) -> dict[str, Any]:
    return {
        "households": len(plan),
        "eligible": sum(1 for p in plan if p.eligible),
        "still_failing": [
            {"household_no": p.household_no, "head": p.head_name, "village": p.village, "failing": p.failing}
            for p in plan
            if not p.eligible
        ],
    }


def _standards_notes(run: AssessmentRun) -> tuple[list[str], list[str]]:
    warnings = [
        f"{key}（{item.get('label', key)}）：本年度未设置，沿用{item['year']}年标准 {item['value']}，须核实确认"
        for key, item in run.standards.items()
        if item.get("inherited") and item.get("value") is not None
    ]
    unset = [key for key, item in run.standards.items() if "value" in item and item["value"] is None]
    return warnings, unset


def run_report(run: AssessmentRun) -> dict[str, Any]:
    """Everything the run found, county-wide (the console sees every household)."""
    summary = run.summary
    criteria = {c.code: {"title": c.title, **summary["criteria"][c.code]} for c in EXIT_RULESET.criteria}
    rules = {
        r.code: {"title": r.title, "criterion": r.criterion, **summary["rules"][r.code]}
        for r in EXIT_RULESET.rules
    }
    warnings, unset = _standards_notes(run)
    return {
        "run": run.pk,
        "year": run.year,
        "duration_ms": run.duration_ms,
        "households_assessed": summary["households"],
        "households_by_status": summary["by_status"],
        "not_exited_households": summary["not_exited"],
        "eligible_to_exit": summary["eligible_to_exit"],
        "criteria_among_not_exited": criteria,
        "rules_among_not_exited": rules,
        "standards_warnings": warnings,
        "standards_unset": unset,
        "exit_plan": _exit_plan(exit_plan(run=run)),
        "villages": _villages(run),
        "county": [_indicator(i, formula=True) for i in county_indicators(run=run)],
        "standards": run.standards,
        "rule_versions": run.rule_versions,
    }
