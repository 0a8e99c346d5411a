"""Writes of the projects app, one module per part: ``plan_load`` (loading a plan, part by part) with
``places`` (resolving the places it names), ``costs`` (the shipped plan and the cost table), ``projects``
(projects and target actuals) and ``ledger`` (the fund ledger). Every public name stays importable from
``tuopin.projects.services``."""

from tuopin.projects.services.costs import (
    DEFAULT_COSTS,
    SEED_PLAN,
    cost_item_update,
    cost_items_load_defaults,
    projects_load_seed_plan,
)
from tuopin.projects.services.ledger import fund_entry_add, fund_entry_reverse
from tuopin.projects.services.places import PlaceIndex
from tuopin.projects.services.plan_load import LoadResult, plan_data_validate, plan_load
from tuopin.projects.services.projects import (
    ProjectData,
    project_create,
    project_households_set,
    project_status_change,
    project_update,
    target_actual_record,
)

__all__ = [
    "DEFAULT_COSTS",
    "SEED_PLAN",
    "LoadResult",
    "PlaceIndex",
    "ProjectData",
    "cost_item_update",
    "cost_items_load_defaults",
    "fund_entry_add",
    "fund_entry_reverse",
    "plan_data_validate",
    "plan_load",
    "project_create",
    "project_households_set",
    "project_status_change",
    "project_update",
    "projects_load_seed_plan",
    "target_actual_record",
]
