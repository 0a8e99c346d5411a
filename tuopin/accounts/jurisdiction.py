"""Where a user's jurisdiction ends. Every scoped selector starts here; the role and area facts come from
the permission module (``accounts.permissions``), the one place that reads roles."""

from dataclasses import dataclass

from tuopin.accounts import permissions
from tuopin.accounts.models import User
from tuopin.regions.models import Region


@dataclass(frozen=True)
class Scope:
    """``region_path`` limits by area (``None`` = nothing, ``""`` = everything); ``cadre_id`` further limits
    to paired households."""

    region_path: str | None
    cadre_id: int | None = None
    everything: bool = False


def scope_for(user: User) -> Scope:
    if not permissions.is_active.test(user):
        return Scope(region_path=None)
    if permissions.is_cadre.test(user):
        return Scope(region_path=user.region.path if user.region else "", cadre_id=user.pk)
    path = permissions.user_area_path(user)
    return Scope(region_path=path, everything=path == "")


def regions_visible(user: User):
    """Regions the user may pick in filters and forms: their own region and everything below it."""
    scope = scope_for(user)
    if scope.region_path is None:
        return Region.objects.none()
    if scope.everything or not scope.region_path:
        return Region.objects.all()
    return Region.objects.filter(path__startswith=scope.region_path)
