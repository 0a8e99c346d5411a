"""Who and where: the predicates the actions in ``tuopin.accounts.permissions`` are built from.

Part of the permission module: roles are compared here and in ``__init__`` only.
"""

from __future__ import annotations

from typing import Any

import rules

from tuopin.accounts.models import Role, User
from tuopin.regions.models import Level

CONSOLE_USERNAME = "console"

# --- who -------------------------------------------------------------------------------------------------


@rules.predicate
def is_active(user: User) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _role(*roles: str):
    names = "|".join(roles)

    @rules.predicate(name=f"role:{names}")
    def has_role(user: User) -> bool:
        return bool(user is not None and user.is_authenticated and (user.role in roles))

    return has_role


is_county = _role(Role.COUNTY)
is_admin = _role(Role.ADMIN)
is_console = _role(Role.CONSOLE)
is_township = _role(Role.TOWNSHIP)
is_village = _role(Role.VILLAGE)
is_cadre = _role(Role.CADRE)
is_inspector = _role(Role.INSPECTOR)
#: county-wide office roles with county powers (the console acts as a county administrator)
is_county_office = is_county | is_admin | is_console
#: roles that may change registry data somewhere
is_editor = is_county_office | is_township | is_village | is_cadre


# --- where -----------------------------------------------------------------------------------------------


def area_path(target: Any) -> str | None:
    """The region path a target lies in (``None`` if it has none): a Region, or anything with a
    ``path``, ``village``, ``region`` or ``household`` attribute."""
    if target is None:
        return None
    path = getattr(target, "path", None)
    if isinstance(path, str):
        return path
    for attr in ("village", "region", "household"):
        inner = getattr(target, attr, None)
        if inner is not None:
            return area_path(inner)
    return None


def user_area_path(user: User) -> str | None:
    """The path of the user's own region; ``""`` means the whole installation (a county-wide user without a
    region); ``None`` means no area at all."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return None
    if user.region is not None:
        return user.region.path
    if user.role in (Role.COUNTY, Role.ADMIN, Role.CONSOLE, Role.INSPECTOR):
        return ""
    return None


@rules.predicate
def in_own_area(user: User, target: Any) -> bool:
    """The target lies in the user's region (county-wide users: anywhere). No target: not in an area."""
    own = user_area_path(user)
    if own is None:
        return False
    path = area_path(target)
    if path is None:
        return False
    return path.startswith(own)


def _household_of(target: Any) -> Any:
    """A household is anything with ``responsible_cadre_id`` (accounts sits below registry, so no import)."""
    if target is None:
        return None
    if hasattr(target, "responsible_cadre_id"):
        return target
    household = getattr(target, "household", None)
    return household if hasattr(household, "responsible_cadre_id") else None


@rules.predicate
def is_paired_household(user: User, target: Any) -> bool:
    """The target is (or belongs to) a household paired with this cadre."""
    household = _household_of(target)
    return household is not None and household.responsible_cadre_id == user.pk


@rules.predicate
def no_target(user: User, target: Any) -> bool:
    return target is None


@rules.predicate
def covers_county(user: User) -> bool:
    """The user's area is the whole county: no region (county-wide roles), or the county itself."""
    own = user_area_path(user)
    if own is None:
        return False
    return own == "" or (user.region is not None and user.region.level == Level.COUNTY)


@rules.predicate
def in_own_area_or_county_wide(user: User, target: Any) -> bool:
    """Like ``in_own_area``, but a target without a place (a county-level project, no region given) belongs
    to the county: only users covering the whole county reach it."""
    if area_path(target) is None:
        return bool(covers_county.test(user))
    return bool(in_own_area.test(user, target))


@rules.predicate
def is_uploader(user: User, target: Any) -> bool:
    """The target (an import batch) was uploaded by this user."""
    return target is not None and getattr(target, "uploaded_by_id", None) == user.pk


#: the area-scoped office roles acting inside their area
area_staff_in_area = (is_county_office | is_township | is_village) & in_own_area
#: everyone who may read in the target's area (cadres: their paired households only)
reader_in_area = is_active & (
    ((is_county_office | is_inspector | is_township | is_village) & in_own_area)
    | (is_cadre & is_paired_household)
)
#: every role that reads at all (what each one sees is limited by the jurisdiction selectors)
is_reader = is_active & (is_county_office | is_inspector | is_township | is_village | is_cadre)
#: county-wide reading (county office and inspectors covering the county)
county_reader = is_active & (is_county_office | is_inspector) & covers_county
#: county office acting for the whole county
county_office = is_active & is_county_office & covers_county
#: village and township staff (and the county office) acting in the target's area
village_or_township_in_area = is_active & ((is_county_office | is_township | is_village) & in_own_area)
#: township staff (and the county office) acting in the target's area
township_in_area = is_active & ((is_county_office | is_township) & in_own_area)
#: county office (anywhere in its area, also unplaced) or township staff in their township
county_or_township_places = is_active & (
    (is_county_office & in_own_area_or_county_wide) | (is_township & in_own_area)
)
