"""Pages of the assessment: runs and their household tables, the county → township → village → household
drill-down, one household's criteria and exit procedure, village records, county indicators, what-if.
Thin views: a form, a selector or service, a TemplateResponse."""

from tuopin.assessment.views.households import exit_step, household_criteria
from tuopin.assessment.views.runs import (
    index,
    plan_export,
    run_compare,
    run_create,
    run_detail,
    run_households,
    run_households_export,
    township,
)
from tuopin.assessment.views.villages import county, village_detail, village_records
from tuopin.assessment.views.what_if import what_if_view

__all__ = [
    "county",
    "exit_step",
    "household_criteria",
    "index",
    "plan_export",
    "run_compare",
    "run_create",
    "run_detail",
    "run_households",
    "run_households_export",
    "township",
    "village_detail",
    "village_records",
    "what_if_view",
]
