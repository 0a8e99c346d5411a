"""The user's jurisdiction as raw SQL, for the set-based statements over stored results."""

from typing import Any

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.regions.models import Level, Region
from tuopin.registry.selectors import households_for


def sees_every_household(user: User) -> bool:
    """Whether the user's jurisdiction is the whole installation: no region limit, or the region is the
    only county there is (a cheap test on regions, so stored county-wide figures can be shown as they are)."""
    scope = scope_for(user)
    if scope.everything:
        return True
    if scope.cadre_id is not None or not scope.region_path:
        return False
    counties = list(Region.objects.filter(level=Level.COUNTY).values_list("path", flat=True)[:2])
    return counties == [scope.region_path]


def household_scope_sql(user: User) -> tuple[str, list[Any]]:
    """A subquery of the ids of the households ``user`` may see, for raw statements (``""`` when the user
    sees every household, so no filter is needed)."""
    if sees_every_household(user):
        return "", []
    sql, params = households_for(user).values("pk").query.sql_with_params()
    return sql, list(params)
