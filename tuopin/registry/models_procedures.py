"""The records behind a household's status and member list: 纳入 (identification) and 返贫 (relapse) cases with
their steps, and member changes with their reason. All append-only; written by ``registry.procedures``.

The exit procedure (退出) has its own records in the assessment app (``ExitCase`` / ``ExitStep``), because it
re-checks the exit criteria at each decision.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureKind(models.TextChoices):
    IDENTIFICATION = "identification", _("纳入（贫困户识别）")
    RELAPSE = "relapse", _("返贫")
    LEGACY = "legacy", _("历史数据迁入")


class ProcedureStatus(models.TextChoices):
    APPLIED = "applied", _("申请")
    REVIEWED = "reviewed", _("民主评议")
    NOTICE = "notice", _("公示")
    TOWNSHIP_CHECKED = "township_checked", _("乡镇审核")
    COUNTY_APPROVED = "county_approved", _("县审定公告")
    WITHDRAWN = "withdrawn", _("已撤回")
    MIGRATED = "migrated", _("历史数据迁入")


#: a case in one of these states is finished; any other is in progress
CLOSED_STATUSES = (ProcedureStatus.COUNTY_APPROVED, ProcedureStatus.WITHDRAWN, ProcedureStatus.MIGRATED)


class ProcedureCase(models.Model):
    """One household's 纳入 or 返贫 procedure (or the record of a status migrated from earlier data)."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="procedure_cases"
    )
    kind = models.CharField(_("程序"), max_length=20, choices=ProcedureKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("进度"), max_length=20, choices=ProcedureStatus.choices, default=ProcedureStatus.APPLIED
    )
    reason = models.CharField(_("申请理由/返贫原因"), max_length=300, blank=True)
    main_cause = models.CharField(_("主要致贫原因"), max_length=32, blank=True)
    #: the status the case gives the household when it is approved (legacy: the status taken over)
    result_status = models.CharField(_("认定状态"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("纳入/返贫程序")
        verbose_name_plural = _("纳入/返贫程序")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=~models.Q(status__in=[str(s) for s in CLOSED_STATUSES]),
                name="procedurecase_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.get_kind_display()} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class ProcedureStep(models.Model):
    """One step of a case (append-only): who, on which date, with which document."""

    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("原进度"), max_length=20, choices=ProcedureStatus.choices, blank=True)
    to_status = models.CharField(_("新进度"), max_length=20, choices=ProcedureStatus.choices)
    on_date = models.DateField(_("日期"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT)
    document = models.CharField(_("文件/材料"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("程序步骤")
        verbose_name_plural = _("程序步骤")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class MemberChangeKind(models.TextChoices):
    ADD = "add", _("增加成员")
    REMOVE = "remove", _("减少成员")


class MemberChangeReason(models.TextChoices):
    BIRTH = "birth", _("出生")
    DEATH = "death", _("死亡")
    MARRIED_IN = "married_in", _("婚入")
    MARRIED_OUT = "married_out", _("婚出")
    SPLIT = "split", _("分户")
    OTHER = "other", _("其他")


#: the reasons each kind of change may give
MEMBER_REASONS: dict[str, set[str]] = {
    MemberChangeKind.ADD: {
        MemberChangeReason.BIRTH,
        MemberChangeReason.MARRIED_IN,
        MemberChangeReason.SPLIT,
        MemberChangeReason.OTHER,
    },
    MemberChangeKind.REMOVE: {
        MemberChangeReason.DEATH,
        MemberChangeReason.MARRIED_OUT,
        MemberChangeReason.SPLIT,
        MemberChangeReason.OTHER,
    },
}


class MemberChange(models.Model):
    """A member added to or removed from a household, with its reason and date (append-only)."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.CASCADE, related_name="member_changes"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("成员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person_name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("变动"), max_length=10, choices=MemberChangeKind.choices)
    reason = models.CharField(_("变动原因"), max_length=20, choices=MemberChangeReason.choices)
    on_date = models.DateField(_("变动日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("成员变动")
        verbose_name_plural = _("成员变动")
        ordering = ["-on_date", "-id"]

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_kind_display()}（{self.get_reason_display()}）"
