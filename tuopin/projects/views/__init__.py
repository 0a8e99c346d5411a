"""Pages of the projects app: thin views over the selectors and services. ``library`` holds the project
pages, ``plan`` the pages over the whole plan; ``urls.py`` names them through this package."""

from tuopin.projects.views.library import (
    fund_entry_create,
    fund_entry_reverse,
    project_create,
    project_detail,
    project_edit,
    project_households,
    project_list_export,
    project_list_view,
    project_status,
)
from tuopin.projects.views.plan import (
    audit_view,
    budget_view,
    construction_view,
    costs_view,
    export_plan,
    needs_view,
    publicity_view,
    roadmap_index,
    roadmap_view,
    targets_view,
)

__all__ = [
    "audit_view",
    "budget_view",
    "construction_view",
    "costs_view",
    "export_plan",
    "fund_entry_create",
    "fund_entry_reverse",
    "needs_view",
    "project_create",
    "project_detail",
    "project_edit",
    "project_households",
    "project_list_export",
    "project_list_view",
    "project_status",
    "publicity_view",
    "roadmap_index",
    "roadmap_view",
    "targets_view",
]
