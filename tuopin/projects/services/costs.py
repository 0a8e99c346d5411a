"""The plan that ships with the project (``tuopin demo``, ``tuopin plan load``) and the cost table of the
need-driven plan (单价 per measure)."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.errors import ApplicationError
from tuopin.core.history import with_actor
from tuopin.projects.audit import normalize
from tuopin.projects.models import CostItem
from tuopin.projects.services.plan_load import LoadResult, plan_load

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_PLAN = DATA / "seed_plan.json"
DEFAULT_COSTS = DATA / "cost_table.json"


def projects_load_seed_plan(*, by: User) -> LoadResult:
    """The seed's plan as data, for ``tuopin demo`` (also ``tuopin plan load``). Also installs the default
    cost table of the need-driven plan when it is empty."""
    data = json.loads(SEED_PLAN.read_text(encoding="utf-8"))
    result = plan_load(data=data, by=by, is_demo=True)
    cost_items_load_defaults()
    return result


@transaction.atomic
def cost_items_load_defaults() -> int:
    if CostItem.objects.exists():
        return 0
    rows = json.loads(DEFAULT_COSTS.read_text(encoding="utf-8"))["items"]
    for row in rows:
        unit_cost, _ = normalize(Decimal(row["unit_cost"]), row["unit_cost_unit"])
        CostItem.objects.create(
            code=row["code"],
            name=row["name"],
            criterion=row["criterion"],
            programme_code=row["programme"],
            unit=row.get("unit", "户"),
            unit_cost=unit_cost,
            per_person=bool(row.get("per_person")),
            source=row.get("source", ""),
        )
    return len(rows)


@transaction.atomic
def cost_item_update(*, item: CostItem, unit_cost: Decimal, by: User) -> CostItem:
    require(by, "projects.edit_cost_table")
    if unit_cost < 0:
        raise ApplicationError("单价不能为负数", field="unit_cost")
    item.unit_cost = unit_cost
    with_actor(item, by, "修改措施单价")
    item.save()
    return item
