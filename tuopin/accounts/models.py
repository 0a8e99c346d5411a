from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.regions.models import Level


class Role(models.TextChoices):
    COUNTY = "county", _("县级用户")
    TOWNSHIP = "township", _("乡镇（街道）用户")
    VILLAGE = "village", _("村级用户")
    CADRE = "cadre", _("帮扶责任人")
    INSPECTOR = "inspector", _("督查人员")
    ADMIN = "admin", _("县级管理员")
    CONSOLE = "console", _("控制台")


# The region level each role is bound to; cadres and inspectors are bound to an area as well
# (their unit's area), but cadres see only their paired households within it.
ROLE_LEVEL = {
    Role.COUNTY: Level.COUNTY,
    Role.TOWNSHIP: Level.TOWNSHIP,
    Role.VILLAGE: Level.VILLAGE,
}


class User(AbstractUser):
    """A person who logs in. ``region`` is the jurisdiction; ``role`` decides what they may change."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.VILLAGE)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["township", "village", "inspector"])
                | models.Q(region__isnull=False),
                name="user_scoped_roles_have_region",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
