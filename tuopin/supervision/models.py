"""The problem ledger (清单式挂账销号): inspections find problems; each problem is rectified and cleared by
allowed moves only, every move kept with who and when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuopin.core.concurrency import VersionField


class InspectionKind(models.TextChoices):
    SUPERVISION = "supervision", _("督查")
    PATROL = "patrol", _("巡查")
    AUDIT = "audit", _("审计")
    UNANNOUNCED = "unannounced", _("暗访")
    PUBLIC_REPORT = "public_report", _("群众反映")


class WorkingGroup(models.Model):
    """One of the supervision leading group's working groups (督查工作组)."""

    name = models.CharField(_("工作组"), max_length=100, unique=True)
    leader = models.CharField(_("组长"), max_length=100, blank=True)
    remit = models.CharField(_("督查对象"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("督查工作组")
        verbose_name_plural = _("督查工作组")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    kind = models.CharField(_("类别"), max_length=16, choices=InspectionKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("工作组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督查检查")
        verbose_name_plural = _("督查检查")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("挂账")
    RECTIFYING = "rectifying", _("整改中")
    CLEARANCE_REQUESTED = "clearance_requested", _("申请销号")
    CLEARED = "cleared", _("已销号")


#: The allowed moves of a problem (申请销号 → 整改中 is 退回). Checked by ``services.problem_move`` only.
PROBLEM_TRANSITIONS: dict[ProblemStatus, set[ProblemStatus]] = {
    ProblemStatus.OPEN: {ProblemStatus.RECTIFYING},
    ProblemStatus.RECTIFYING: {ProblemStatus.CLEARANCE_REQUESTED},
    ProblemStatus.CLEARANCE_REQUESTED: {ProblemStatus.CLEARED, ProblemStatus.RECTIFYING},
    ProblemStatus.CLEARED: set(),
}

OPEN_STATUSES = (ProblemStatus.OPEN, ProblemStatus.RECTIFYING, ProblemStatus.CLEARANCE_REQUESTED)


class ProblemQuerySet(models.QuerySet):
    def still_open(self) -> "ProblemQuerySet":
        return self.exclude(status=ProblemStatus.CLEARED)

    def overdue(self, today) -> "ProblemQuerySet":
        return self.still_open().filter(deadline__lt=today)


class Problem(models.Model):
    """A problem found by an inspection. What it was found on is one of the typed targets (a household, a
    project, a village or other region, a unit, a 分指挥部); ``region`` is the area it belongs to, for scoping."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查检查"), on_delete=models.PROTECT, related_name="problems"
    )
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题描述"), max_length=4000, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_problems",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("涉及单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sub_command = models.ForeignKey(
        "assistance.SubCommand",
        verbose_name=_("分指挥部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    responsible_unit = models.ForeignKey(
        "assistance.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="problems"
    )
    responsible_person = models.CharField(_("责任人"), max_length=50)
    deadline = models.DateField(_("整改期限"))
    required_rectification = models.TextField(_("整改要求"), max_length=2000)
    rectification = models.TextField(_("整改情况"), max_length=4000, blank=True)
    status = models.CharField(
        _("状态"), max_length=24, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    escalated_to = models.CharField(_("移交机关"), max_length=100, blank=True)
    escalated_at = models.DateTimeField(_("移交时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    version = VersionField()

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cleared") | Q(cleared_at__isnull=False), name="cleared_problem_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status != ProblemStatus.CLEARED and self.deadline < today


class MoveKind(models.TextChoices):
    RECORD = "record", _("挂账")
    START = "start", _("开始整改")
    REQUEST = "request", _("申请销号")
    CLEAR = "clear", _("销号")
    RETURN = "return", _("退回")
    ESCALATE = "escalate", _("移交")
    EDIT = "edit", _("修改")


class ProblemMove(models.Model):
    """One step in a problem's history: who, when, from which status to which."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="moves"
    )
    kind = models.CharField(_("操作"), max_length=16, choices=MoveKind.choices)
    from_status = models.CharField(_("原状态"), max_length=24, choices=ProblemStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, choices=ProblemStatus.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问题处理记录")
        verbose_name_plural = _("问题处理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.problem} {self.get_kind_display()}"


class Evidence(models.Model):
    """A file showing the rectification (照片、文件), size-bounded at upload."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="evidence/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")

    def __str__(self) -> str:
        return self.name
