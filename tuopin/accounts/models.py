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
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

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


class ChangeKind(models.TextChoices):
    CREATE = "create", _("新建账号")
    UPDATE = "update", _("修改账号")
    DEACTIVATE = "deactivate", _("停用账号")
    REACTIVATE = "reactivate", _("恢复账号")
    SET_PASSWORD = "set_password", _("重置密码")
    CHANGE_PASSWORD = "change_password", _("本人修改密码")
    UNLOCK = "unlock", _("解除登录锁定")


class UserChange(models.Model):
    """One change to an account (append-only): who changed whose account, when, and the old → new values
    (never a password or its hash)."""

    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="changes")
    by = models.ForeignKey(
        User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="account_changes_made"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("操作"), max_length=20, choices=ChangeKind.choices)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("账号变更记录")
        verbose_name_plural = _("账号变更记录")
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user_id}"


class AccessKind(models.TextChoices):
    VIEW = "view", _("查看完整个人信息")
    EXPORT = "export", _("导出")


class AccessRecord(models.Model):
    """One read of personal data in full (append-only): a household page with full ID numbers, phones and
    health, or an export. ``subject`` names the household or the filter; ``rows`` counts exported rows."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=AccessKind.choices)
    what = models.CharField(_("内容"), max_length=50)
    household_id = models.BigIntegerField(_("农户"), null=True, blank=True, db_index=True)
    subject = models.CharField(_("对象或筛选条件"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    is_masked = models.BooleanField(_("已脱敏"), default=False)

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.what} {self.subject}"
