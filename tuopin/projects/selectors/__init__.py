"""Reads of the projects app, one module per part: ``projects`` (the library and its scoping), ``budget``,
``plan`` (summary and audit input), ``ledger``, ``roadmap`` (路线图 and 施工图), ``metrics`` and
``targets``. Registry figures come only through ``registry.selectors``. Every public name stays importable
from ``tuopin.projects.selectors``."""

from tuopin.projects.selectors.budget import BudgetRow, BudgetSummary, budget_summary, declared_totals
from tuopin.projects.selectors.ledger import (
    Balance,
    PublicityRow,
    fund_balances,
    fund_entries,
    village_publicity,
)
from tuopin.projects.selectors.metrics import METRICS, PERSON_METRICS, metric_table, metric_values
from tuopin.projects.selectors.plan import plan_audit, plan_input, plan_summary, wan_text
from tuopin.projects.selectors.projects import (
    ProjectFilters,
    cost_items,
    plan_current,
    programme_by_code,
    project_get,
    project_households,
    project_list,
    projects_for,
    region_for,
    regions_for,
    township_of,
    village_of,
)
from tuopin.projects.selectors.roadmap import (
    ConstructionPlan,
    ExitYear,
    HouseholdMeasures,
    Roadmap,
    household_needs,
    township_roadmap,
    village_construction_plan,
    villages_with_projects,
)
from tuopin.projects.selectors.targets import TargetProgress, completion_rate, target_progress

__all__ = [
    "METRICS",
    "PERSON_METRICS",
    "Balance",
    "BudgetRow",
    "BudgetSummary",
    "ConstructionPlan",
    "ExitYear",
    "HouseholdMeasures",
    "ProjectFilters",
    "PublicityRow",
    "Roadmap",
    "TargetProgress",
    "budget_summary",
    "completion_rate",
    "cost_items",
    "declared_totals",
    "fund_balances",
    "fund_entries",
    "household_needs",
    "metric_table",
    "metric_values",
    "plan_audit",
    "plan_current",
    "plan_input",
    "plan_summary",
    "programme_by_code",
    "project_get",
    "project_households",
    "project_list",
    "projects_for",
    "region_for",
    "regions_for",
    "target_progress",
    "township_of",
    "township_roadmap",
    "village_construction_plan",
    "village_of",
    "village_publicity",
    "villages_with_projects",
    "wan_text",
]
