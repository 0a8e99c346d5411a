"""Who may do what, where. The one module that compares roles.

Every action is a named permission (``"<app>.<verb>_<object>"``) registered with the ``rules`` package as a
predicate of ``(user, target)``. The target is what the action touches: a region, a household, a project, a
record that has a ``region``/``village``/``household``, or ``None`` for actions without an area (run the county
assessment, manage users).

* Services call ``require(by, "registry.edit_household", household)``; it raises ``PermissionDeniedError`` with
  the action's Chinese message.
* Views ask ``may(request.user, ...)``; templates get the same answers through ``{% load rules %}`` and
  ``{% has_perm "registry.edit_household" user household as can_edit %}``, or a context flag computed with
  ``may``.
* Nothing else compares roles (CI fails on ``role ==`` outside this module).
* The console (``tuopin …`` commands) acts as one named user, ``console_actor()``: role ``console``, county
  powers, an unusable password, so it can never log in.

Area rules: county, administrator, inspector and console users cover the whole county (or their region if set
below the county); township and village users cover their region and everything below it; an assistance cadre
covers only their paired households (``Household.responsible_cadre``) and their region for reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.models import Role, User
from tuopin.core.errors import PermissionDeniedError

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


#: the area-scoped office roles acting inside their area
area_staff_in_area = (is_county_office | is_township | is_village) & in_own_area
#: everyone who may read in the target's area (cadres: their paired households only)
reader_in_area = is_active & (
    ((is_county_office | is_inspector | is_township | is_village) & in_own_area)
    | (is_cadre & is_paired_household)
)


# --- the actions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    predicate: Any
    refusal: str


ACTIONS: dict[str, Action] = {}


def action(name: str, predicate: Any, refusal: str) -> None:
    """Register one named action with its predicate and the Chinese message shown on refusal."""
    if name in ACTIONS:
        raise ValueError(f"duplicate permission {name}")
    ACTIONS[name] = Action(name, predicate, refusal)
    rules.add_perm(name, predicate)


# accounts
action("accounts.manage_users", is_active & (is_admin | is_console), _("只有县级管理员可以管理用户账号"))
action("accounts.view_access_log", is_active & (is_admin | is_console), _("只有县级管理员可以查看访问记录"))

# registry
action("registry.view_household", reader_in_area, _("该农户不在您的辖区内"))
action(
    "registry.create_household",
    is_active & area_staff_in_area,
    _("您不能在该地区新建农户"),
)
action(
    "registry.edit_household",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能修改该农户的登记信息"),
)

# monitoring
#: township and county office users in their area (乡镇审核)
_township_or_county_in_area = is_active & (is_county_office | is_township) & in_own_area
action("monitoring.view_case", reader_in_area, _("该监测户不在您的辖区内"))
action(
    "monitoring.raise_clue",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能为该农户报告风险线索"),
)
action("monitoring.verify_case", is_active & area_staff_in_area, _("您不能办理该户的核实、评议和公示"))
action("monitoring.check_case", _township_or_county_in_area, _("只有乡镇或县级用户可以审核"))
action(
    "monitoring.decide_case",
    is_active & is_county_office & in_own_area,
    _("只有县级用户可以认定或批准风险消除"),
)
action(
    "monitoring.record_measure",
    is_active & (area_staff_in_area | (is_cadre & is_paired_household)),
    _("您不能为该户录入帮扶措施"),
)
action("monitoring.run_triggers", is_active & is_county_office, _("只有县级用户可以运行监测预警"))
action(
    "monitoring.record_department_report",
    is_active & is_county_office,
    _("只有县级用户可以录入部门推送的风险信息"),
)
action("monitoring.print_notice", is_active & area_staff_in_area, _("您不能打印该村的公示"))
action(
    "monitoring.view_lists",
    is_active & (is_county_office | is_inspector | is_township | is_village) & in_own_area,
    _("您不能查看该地区的监测名单"),
)


def may(user: User, name: str, target: Any = None) -> bool:
    """May ``user`` do action ``name`` on ``target``?"""
    if name not in ACTIONS:
        raise KeyError(f"unknown permission {name}")
    return bool(ACTIONS[name].predicate.test(user, target))


def require(user: User, name: str, target: Any = None) -> None:
    """Refuse with the action's Chinese message unless ``user`` may do ``name`` on ``target``."""
    if not may(user, name, target):
        raise PermissionDeniedError(str(ACTIONS[name].refusal))


def console_actor() -> User:
    """The one named actor of ``tuopin …`` commands (created on first use; cannot log in)."""
    user, created = User.objects.get_or_create(
        username=CONSOLE_USERNAME,
        defaults={"role": Role.CONSOLE, "full_name": "控制台"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
