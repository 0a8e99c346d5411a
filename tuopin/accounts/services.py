"""Every write to accounts and to the access log. Each runs in one transaction and leaves its audit row
(``UserChange`` for accounts, ``AccessRecord`` for reads of personal data; both append-only)."""

import secrets
import string
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.accounts.models import AccessKind, AccessRecord, ChangeKind, Role, User, UserChange
from tuopin.accounts.permissions import require
from tuopin.core.errors import ApplicationError
from tuopin.regions.models import Level, Region

#: The region levels each assignable role may be bound to (``None``: no region, the whole installation).
ROLE_REGION_LEVELS: dict[str, tuple[int | None, ...]] = {
    Role.COUNTY: (Level.COUNTY, None),
    Role.ADMIN: (Level.COUNTY, None),
    Role.TOWNSHIP: (Level.TOWNSHIP,),
    Role.VILLAGE: (Level.VILLAGE,),
    Role.CADRE: (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY),
    Role.INSPECTOR: (Level.COUNTY, Level.TOWNSHIP),
}
_LEVEL_TEXT: dict[int | None, Any] = {
    Level.COUNTY: gettext_lazy("县"),
    Level.TOWNSHIP: gettext_lazy("乡镇（街道）"),
    Level.VILLAGE: gettext_lazy("行政村（社区）"),
    None: gettext_lazy("不指定辖区"),
}
ASSIGNABLE_ROLES = tuple(ROLE_REGION_LEVELS)
EDITABLE_FIELDS = ("role", "region", "full_name", "work_unit", "phone")
_LIMITS = {"full_name": 50, "work_unit": 100, "phone": 20}


def _check_profile(values: dict[str, Any]) -> None:
    role, region = values.get("role"), values.get("region")
    if role not in ROLE_REGION_LEVELS:
        allowed = "、".join(ROLE_REGION_LEVELS)
        raise ApplicationError(
            _("角色“%(role)s”不能分配给用户（可选：%(allowed)s）") % {"role": role, "allowed": allowed},
            field="role",
        )
    levels = ROLE_REGION_LEVELS[role]
    level = region.level if region is not None else None
    if level not in levels:
        allowed = _("或").join(str(_LEVEL_TEXT[item]) for item in levels)
        raise ApplicationError(
            _("“%(role)s”的辖区应为%(allowed)s") % {"role": Role(role).label, "allowed": allowed},
            field="region",
        )
    for name, limit in _LIMITS.items():
        text = values.get(name) or ""
        if len(text) > limit:
            raise ApplicationError(
                _("%(field)s不能超过 %(limit)d 个字")
                % {"field": getattr(User._meta.get_field(name), "verbose_name", name), "limit": limit},
                field=name,
            )
    phone = values.get("phone") or ""
    if phone and not all(ch.isdigit() or ch in "-+ " for ch in phone):
        raise ApplicationError(_("联系电话只能包含数字、空格、“-”和“+”"), field="phone")


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages), field="password") from exc


def _audit(*, user: User, by: User, kind: str, changes: dict[str, Any] | None = None) -> UserChange:
    return UserChange.objects.create(user=user, by=by, kind=kind, changes=changes or {})


def _shown(name: str, value: Any) -> Any:
    if isinstance(value, Region):
        return f"{value.name}（{value.code}）"
    return value


def generate_password(length: int = 14) -> str:
    """A random password that passes the configured validators (letters and digits, no look-alikes)."""
    alphabet = "".join(ch for ch in string.ascii_letters + string.digits if ch not in "0O1lI")
    while True:
        password = "".join(secrets.choice(alphabet) for _position in range(length))
        if any(ch.isdigit() for ch in password) and any(ch.isalpha() for ch in password):
            return password


@transaction.atomic
def user_create(
    *,
    by: User,
    username: str,
    role: str,
    region: Region | None,
    password: str,
    full_name: str = "",
    work_unit: str = "",
    phone: str = "",
    must_change_password: bool = True,
) -> User:
    """A new account; a password set by an administrator must be changed at the first login."""
    require(by, "accounts.manage_users")
    username = (username or "").strip()
    if not username:
        raise ApplicationError(_("用户名不能为空"), field="username")
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise ApplicationError(_("用户名只能包含字母、数字和 @/./+/-/_"), field="username") from exc
    if len(username) > 150:
        raise ApplicationError(_("用户名不能超过 150 个字符"), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("用户名“%(name)s”已被使用") % {"name": username}, field="username")
    values = {"role": role, "region": region, "full_name": full_name, "work_unit": work_unit, "phone": phone}
    _check_profile(values)
    user = User(username=username, **values, must_change_password=must_change_password)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    _audit(user=user, by=by, kind=ChangeKind.CREATE, changes={k: _shown(k, v) for k, v in values.items()})
    return user


@transaction.atomic
def user_update(*, user: User, by: User, data: dict[str, Any]) -> User:
    """Change role, region, name, work unit or phone; only the fields that differ are written."""
    require(by, "accounts.manage_users")
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(_("不能修改：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    locked = User.objects.select_for_update().get(pk=user.pk)
    require(by, "accounts.change_account", locked)
    merged = {name: getattr(locked, name) for name in EDITABLE_FIELDS} | data
    _check_profile(merged)
    changed = {name: value for name, value in data.items() if getattr(locked, name) != value}
    if not changed:
        return locked
    if locked.pk == by.pk and "role" in changed:
        raise ApplicationError(_("不能修改自己的角色（请另一位县级管理员修改）"), field="role")
    audit = {
        name: [_shown(name, getattr(locked, name)), _shown(name, value)] for name, value in changed.items()
    }
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(changed))
    _audit(user=locked, by=by, kind=ChangeKind.UPDATE, changes=audit)
    return locked


@transaction.atomic
def user_deactivate(*, user: User, by: User, active: bool = False) -> User:
    """Deactivate (``active=False``) or reactivate an account. A deactivated user cannot log in."""
    require(by, "accounts.manage_users")
    locked = User.objects.select_for_update().get(pk=user.pk)
    require(by, "accounts.change_account", locked)
    if not active and locked.pk == by.pk:
        raise ApplicationError(_("不能停用自己的账号"))
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    _audit(user=locked, by=by, kind=ChangeKind.REACTIVATE if active else ChangeKind.DEACTIVATE)
    return locked


@transaction.atomic
def user_set_password(*, user: User, by: User, password: str, must_change: bool = True) -> User:
    """An administrator sets (resets) a password; the user must change it at the next login."""
    require(by, "accounts.manage_users")
    locked = User.objects.select_for_update().get(pk=user.pk)
    require(by, "accounts.change_account", locked)
    _check_password(password, locked)
    locked.set_password(password)
    locked.must_change_password = must_change
    locked.save(update_fields=["password", "must_change_password"])
    _audit(user=locked, by=by, kind=ChangeKind.SET_PASSWORD, changes={"must_change_password": must_change})
    return locked


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """The user chose a new password themselves (Django's password-change view already saved it)."""
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.must_change_password = False
    _audit(user=user, by=user, kind=ChangeKind.CHANGE_PASSWORD)


@transaction.atomic
def login_unlock(*, by: User, username: str, ip_address: str) -> int:
    """Clear the failure counter of one username + address combination (django-axes) before its cool-off
    ends; the failures stay in the failure log. Returns the number of counters removed."""
    require(by, "accounts.manage_users")
    removed = axes_reset(ip=ip_address, username=username)
    account = User.objects.filter(username=username).first()
    if removed and account is not None:
        _audit(user=account, by=by, kind=ChangeKind.UNLOCK, changes={"ip_address": ip_address})
    return removed


@transaction.atomic
def access_record(
    *,
    user: User,
    kind: str,
    what: str,
    household_id: int | None = None,
    subject: str = "",
    rows: int | None = None,
    is_masked: bool = False,
) -> AccessRecord:
    """Record one full view of a household's personal data or one export (append-only)."""
    if kind not in AccessKind.values:
        raise ApplicationError(_("未知的访问类型“%(kind)s”") % {"kind": kind})
    return AccessRecord.objects.create(
        user=user,
        kind=kind,
        what=what[:50],
        household_id=household_id,
        subject=subject[:500],
        rows=rows,
        is_masked=is_masked,
    )
