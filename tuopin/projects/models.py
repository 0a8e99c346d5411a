"""The county project library (县级项目库), the plan it comes from, its targets, and the fund ledger.

A ``Plan`` (e.g. the seed's 2018 嵩明县脱贫攻坚规划) has ``Programme`` rows (the ten 工程),
``PlanFigure`` rows
(every number the plan states, with its place in the text) and ``PlanCheck`` rows (relations between figures
the audit verifies). ``Project`` rows belong to a programme and a place (a ``Region`` at any level). Money is
stored in yuan; the plan's 万元 is kept as stated text on the figure.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tuopin.core.concurrency import VersionField
from tuopin.core.money import MoneyField
from tuopin.projects.choices import STATUS_TRANSITIONS as STATUS_TRANSITIONS
from tuopin.projects.choices import Channel, Direction, EntryKind, ProjectStatus, Tier


class Plan(models.Model):
    version = models.CharField(_("版本"), max_length=40, unique=True)
    title = models.CharField(_("规划名称"), max_length=100)
    issuer = models.CharField(_("编制单位"), max_length=100, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    year_from = models.PositiveSmallIntegerField(_("起始年度"))
    year_to = models.PositiveSmallIntegerField(_("截止年度"))
    source_file = models.CharField(_("原文"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        verbose_name = _("规划")
        verbose_name_plural = _("规划")
        ordering = ["-year_from", "version"]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class Programme(models.Model):
    """One of the plan's ten 工程 (易地扶贫搬迁工程 …)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="programmes"
    )
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    ref = models.CharField(_("原文位置"), max_length=40, blank=True)
    quote = models.TextField(_("原文"), blank=True)
    responsible_unit = models.CharField(_("牵头单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("扶贫工程")
        verbose_name_plural = _("扶贫工程")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="programme_unique_code")]

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet["Project"]):
    def in_region_path(self, path: str) -> "ProjectQuerySet":
        return self.filter(region__path__startswith=path)

    def active_in(self, year: int) -> "ProjectQuerySet":
        return self.filter(year_from__lte=year, year_to__gte=year)


class Project(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("所属工程"), on_delete=models.PROTECT, related_name="projects"
    )
    seed_key = models.CharField(_("规划条目"), max_length=40, blank=True)
    name = models.CharField(_("项目名称"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("实施地点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    place_text = models.CharField(_("地点（原文）"), max_length=200, blank=True)
    year_from = models.PositiveSmallIntegerField(_("起始年度"))
    year_to = models.PositiveSmallIntegerField(_("完成年度"))
    quantity = models.DecimalField(_("建设规模"), max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    unit_cost = MoneyField(_("单价（元）"), null=True, blank=True)
    unit_cost_unit = models.CharField(_("单价单位（原文）"), max_length=20, blank=True)
    investment = MoneyField(_("总投资（元）"))
    is_investment_approx = models.BooleanField(_("投资为约数"), default=False)
    beneficiary_households = models.PositiveIntegerField(_("受益户数"), null=True, blank=True)
    beneficiary_people = models.PositiveIntegerField(_("受益人数"), null=True, blank=True)
    beneficiary_poor_households = models.PositiveIntegerField(_("其中建档立卡户数"), null=True, blank=True)
    beneficiary_poor_people = models.PositiveIntegerField(_("其中建档立卡人数"), null=True, blank=True)
    is_per_household = models.BooleanField(_("到户项目"), default=False)
    households = models.ManyToManyField(
        "registry.Household", verbose_name=_("受益农户"), blank=True, related_name="projects"
    )
    responsible_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("与…为同一工程"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ref = models.CharField(_("原文位置"), max_length=40, blank=True)
    quote = models.TextField(_("原文"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    version = VersionField()
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at", "version"], m2m_fields=[households]
    )
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["programme__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="project_years_ordered"
            ),
            models.CheckConstraint(condition=Q(investment__gte=0), name="project_investment_not_negative"),
            models.UniqueConstraint(
                fields=["programme", "seed_key"], condition=~Q(seed_key=""), name="project_unique_seed_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place_display(self) -> str:
        if self.region is None:
            return self.place_text or "（未定）"
        name = self.region.full_name or self.region.name
        return f"{name}（{self.place_text}）" if self.place_text and self.place_text not in name else name


class ProjectFunding(models.Model):
    """Planned funding of a project by source. What is not covered by rows is shown as 来源未明."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="fundings"
    )
    channel = models.CharField(
        _("资金渠道"), max_length=16, choices=Channel.choices, default=Channel.UNSPECIFIED
    )
    tier = models.CharField(_("资金层级"), max_length=16, choices=Tier.choices, default=Tier.UNSPECIFIED)
    amount = MoneyField(_("金额（元）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目资金来源")
        verbose_name_plural = _("项目资金来源")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive")]

    def __str__(self) -> str:
        return f"{self.project}：{self.get_channel_display()}{self.amount}"


class PlanFigure(models.Model):
    """A number the plan states, where it states it, and how the audit relates it to others."""

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(_("标识"), max_length=80)
    ref = models.CharField(_("原文位置"), max_length=40)
    quote = models.TextField(_("原文"))
    stated_value = models.DecimalField(_("数值（原文）"), max_digits=20, decimal_places=4)
    stated_unit = models.CharField(_("单位（原文）"), max_length=20)
    value = models.DecimalField(_("数值（折算）"), max_digits=22, decimal_places=4)
    unit = models.CharField(_("单位（折算）"), max_length=20)
    measure = models.CharField(_("口径"), max_length=80, blank=True)
    parts = models.JSONField(_("分项"), default=dict, blank=True)
    items = models.JSONField(_("名单"), default=list, blank=True)
    is_approx = models.BooleanField(_("约数"), default=False)
    is_derived = models.BooleanField(_("推算"), default=False)
    programme_total = models.ForeignKey(
        Programme,
        verbose_name=_("工程总额"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_grand_total = models.BooleanField(_("投资规模合计"), default=False)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("地点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("规划数字")
        verbose_name_plural = _("规划数字")
        ordering = ["plan", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="planfigure_unique_key")]

    def __str__(self) -> str:
        return f"{self.ref} {self.stated_value}{self.stated_unit}"


class PlanCheck(models.Model):
    """A relation between figures (sum, product, ratio, bound, repeated) spelled out in the plan's data."""

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("类型"), max_length=16)
    label = models.CharField(_("说明"), max_length=200)
    spec = models.JSONField(_("定义"))

    class Meta:
        verbose_name = _("规划核对项")
        verbose_name_plural = _("规划核对项")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.label


class Target(models.Model):
    """A programme target of the plan (e.g. 稳定转移就业325人). ``metric`` names a registry computation;
    when empty the responsible unit records the actual figure."""

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="targets")
    figure = models.OneToOneField(
        PlanFigure, verbose_name=_("规划数字"), on_delete=models.CASCADE, related_name="target"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("所属工程"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    name = models.CharField(_("指标"), max_length=200)
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("单位"), max_length=20)
    metric = models.CharField(_("计算口径"), max_length=40, blank=True)
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.AT_LEAST
    )
    year_from = models.PositiveSmallIntegerField(_("起始年度"))
    year_to = models.PositiveSmallIntegerField(_("截止年度"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级指标"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
    )
    responsible_unit = models.CharField(_("责任单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        ordering = ["plan", "programme__order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_upper_limit(self) -> bool:
        """An upper limit (零辍学: 不高于): met while the actual stays at or below it."""
        return self.direction == Direction.AT_MOST


class TargetActual(models.Model):
    """The actual figure of a target for a place and year, recorded by the responsible unit."""

    target = models.ForeignKey(
        Target, verbose_name=_("目标任务"), on_delete=models.CASCADE, related_name="actuals"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("完成值"), max_digits=20, decimal_places=4)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("填报时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标完成情况")
        verbose_name_plural = _("目标完成情况")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "region", "year"], name="targetactual_unique_place_year"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="targetactual_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.year} {self.value}"


class FundEntry(models.Model):
    """One line of the append-only fund ledger. Corrections are reversing entries (``reverses``) with the
    opposite sign; nothing is updated or deleted. Balances are computed, never stored."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="fund_entries"
    )
    channel = models.CharField(_("资金渠道"), max_length=16, choices=Channel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=EntryKind.choices)
    amount = MoneyField(_("金额（元）"))
    entry_date = models.DateField(_("日期"))
    document_no = models.CharField(_("文号/凭证号"), max_length=80, blank=True)
    note = models.CharField(_("摘要"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的分录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记账人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资金台账分录")
        verbose_name_plural = _("资金台账分录")
        ordering = ["project", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="fundentry_sign_matches_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class CostItem(models.Model):
    """A configurable unit cost of a per-household measure (危房改造 2.1万元/户), for the need-driven plan.
    ``criterion`` is the assessment criterion whose failure calls for the measure."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("措施"), max_length=100)
    criterion = models.CharField(_("对应的退出指标"), max_length=40)
    programme_code = models.CharField(_("对应工程代码"), max_length=32)
    unit = models.CharField(_("单位"), max_length=20, default="户")
    unit_cost = MoneyField(_("单价（元）"))
    per_person = models.BooleanField(_("按人计"), default=False)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("措施单价")
        verbose_name_plural = _("措施单价")
        ordering = ["programme_code", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="costitem_cost_not_negative")
        ]

    def __str__(self) -> str:
        return self.name
