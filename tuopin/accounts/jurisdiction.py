"""Where a user's jurisdiction ends. Every scoped selector starts here."""

from dataclasses import dataclass

from tuopin.accounts.models import Role, User


@dataclass(frozen=True)
class Scope:
    """``region_path`` limits by area (``None`` = nothing); ``cadre_id`` further limits to paired households."""

    region_path: str | None
    cadre_id: int | None = None
    everything: bool = False


def scope_for(user: User) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope(region_path=None)
    if user.is_superuser:
        return Scope(region_path="", everything=True)
    if user.role == Role.CADRE:
        return Scope(region_path=user.region.path if user.region else "", cadre_id=user.pk)
    if user.region is None:
        # A county user not tied to a region sees the whole installation (one county).
        return Scope(region_path="", everything=user.role == Role.COUNTY)
    return Scope(region_path=user.region.path)


def regions_visible(user: User):
    """Regions the user may pick in filters and forms: their own region and everything below it."""
    from tuopin.regions.models import Region

    scope = scope_for(user)
    if scope.region_path is None:
        return Region.objects.none()
    if scope.everything or not scope.region_path:
        return Region.objects.all()
    return Region.objects.filter(path__startswith=scope.region_path)
