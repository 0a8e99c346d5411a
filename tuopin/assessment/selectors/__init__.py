"""Reads of runs and results. Anything shown to a user is limited by ``households_for(user)``.

Split by what is read: ``runs`` (runs, API rows, run comparison), ``summary`` (run figures), ``results``
(the only decoder of the packed outcome bits), ``households`` (one household), ``plan`` (exit plan, criteria
not met by village), ``village`` and ``county`` (area indicators), ``report`` (the run report), ``scope``.
Every public name is importable from ``tuopin.assessment.selectors``."""

from tuopin.assessment.selectors.county import county_figures, county_indicators
from tuopin.assessment.selectors.households import (
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    DqFinding,
    HouseholdIndicators,
    exit_cases,
    household_explanation,
    household_indicators,
    household_inputs,
    household_latest_result,
)
from tuopin.assessment.selectors.plan import (
    CriterionCount,
    FailingByVillage,
    PlanHousehold,
    exit_plan,
    failing_criteria_by_village,
    households_not_meeting,
)
from tuopin.assessment.selectors.report import run_report
from tuopin.assessment.selectors.results import (
    EXIT_CRITERIA_TITLES,
    RuleLine,
    criterion_outcomes,
    deprivation_annotations,
    dq_failures,
    failing_text,
    is_eligible,
    is_wrongly_exited,
    matches,
    outcome_changes,
    result_criteria,
    result_flags,
    result_outcomes,
    result_rule_lines,
    rule_outcomes,
    rules_with,
)
from tuopin.assessment.selectors.runs import DiffRow, latest_run, run_diff, run_list, run_results
from tuopin.assessment.selectors.scope import household_scope_sql, sees_every_household
from tuopin.assessment.selectors.summary import (
    COLOUR_VALUES,
    EXITED_FAILING,
    NOT_EXITED,
    run_summary_compute,
    run_summary_for,
)
from tuopin.assessment.selectors.village import (
    Indicator,
    VillageRow,
    VillageStatus,
    village_figures,
    village_rows,
    village_scorecard,
    village_status,
    village_worklist,
    villages_in_scope,
)

__all__ = [
    "COLOUR_VALUES",
    "EXITED_FAILING",
    "EXIT_CRITERIA_TITLES",
    "HOUSEHOLD_FIELDS",
    "MEMBER_FIELDS",
    "NOT_EXITED",
    "CriterionCount",
    "DiffRow",
    "DqFinding",
    "FailingByVillage",
    "HouseholdIndicators",
    "Indicator",
    "PlanHousehold",
    "RuleLine",
    "VillageRow",
    "VillageStatus",
    "county_figures",
    "county_indicators",
    "criterion_outcomes",
    "deprivation_annotations",
    "dq_failures",
    "exit_cases",
    "exit_plan",
    "failing_criteria_by_village",
    "failing_text",
    "household_explanation",
    "household_indicators",
    "household_inputs",
    "household_latest_result",
    "household_scope_sql",
    "households_not_meeting",
    "is_eligible",
    "is_wrongly_exited",
    "latest_run",
    "matches",
    "outcome_changes",
    "result_criteria",
    "result_flags",
    "result_outcomes",
    "result_rule_lines",
    "rule_outcomes",
    "rules_with",
    "run_diff",
    "run_list",
    "run_report",
    "run_results",
    "run_summary_compute",
    "run_summary_for",
    "sees_every_household",
    "village_figures",
    "village_rows",
    "village_scorecard",
    "village_status",
    "village_worklist",
    "villages_in_scope",
]
