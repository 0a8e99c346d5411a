"""Runs of the assessment engine and what they found, plus the records the village and county indicators
are computed from (village year records, sampling checks, satisfaction surveys) and the exit workflow."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.money import MoneyField


class RunKind(models.TextChoices):
    ASSESSMENT = "assessment", _("正式评估")
    WHAT_IF = "what_if", _("模拟测算")


class AssessmentRun(models.Model):
    """One evaluation of every household in scope, with the standards and rule versions it used."""

    year = models.PositiveSmallIntegerField(_("评估年度"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=RunKind.choices, default=RunKind.ASSESSMENT)
    ruleset = models.CharField(_("规则集"), max_length=40)
    standards = models.JSONField(_("标准快照"), default=dict)
    rule_versions = models.JSONField(_("规则版本"), default=dict)
    summary = models.JSONField(_("汇总"), default=dict)
    households = models.PositiveIntegerField(_("评估户数"), default=0)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估批次")
        verbose_name_plural = _("评估批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["year", "kind", "-id"], name="run_year_kind")]

    def __str__(self) -> str:
        return f"{self.year}年评估 #{self.pk}"


class HouseholdResult(models.Model):
    """One household in one run: two bits per rule in ``outcomes`` (0 达标, 1 未达标, 2 数据缺失).

    Kept compact on purpose (ADR 0004): no per-criterion columns, no database FK checks on the bulk
    write-back; explanations are recomputed from the same rule definitions on the household page."""

    # no database FK checks on the bulk write (PostgreSQL checks deferred FKs row by row at commit: ~10 s per
    # million rows); the (run, household) unique index serves every lookup; deletes cascade through the ORM
    run = models.ForeignKey(
        AssessmentRun, on_delete=models.CASCADE, related_name="results", db_index=False, db_constraint=False
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    village = models.ForeignKey(
        "regions.Region", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    status = models.CharField(_("评估时状态"), max_length=16)
    member_count = models.PositiveSmallIntegerField(_("家庭人口数"))
    outcomes = models.BigIntegerField(_("退出标准判定（按位）"))
    flags = models.BigIntegerField(_("五色卡依据和数据质量判定（按位）"), default=0)
    colour = models.CharField(_("五色卡"), max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("农户评估结果")
        verbose_name_plural = _("农户评估结果")
        constraints = [
            models.UniqueConstraint(fields=["run", "household"], name="result_unique_run_household")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.household_id}"


class VillageRecord(models.Model):
    """What a village reports for a year: collective-economy income, work team, first secretary."""

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    collective_income = MoneyField(_("村集体经济收入（元）"), null=True, blank=True)
    has_work_team = models.BooleanField(_("有县以上派驻扶贫工作队"), null=True, blank=True)
    has_first_secretary = models.BooleanField(_("有第一书记"), null=True, blank=True)
    rural_population = models.PositiveIntegerField(
        _("农村户籍人口（空则按系统登记人口）"), null=True, blank=True
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("村年度情况")
        verbose_name_plural = _("村年度情况")
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="villagerecord_unique_year")]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"


class SamplingCheck(models.Model):
    """A recorded sampling check (抽查) of one village: people checked and errors found."""

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    checked_on = models.DateField(_("抽查日期"))
    registered_checked = models.PositiveIntegerField(_("抽查建档立卡人口数"))
    mis_included = models.PositiveIntegerField(_("错评人口数"))
    unregistered_checked = models.PositiveIntegerField(_("抽查未建档立卡人口数"))
    missed = models.PositiveIntegerField(_("漏评人口数"))
    exited_checked = models.PositiveIntegerField(_("抽查脱贫人口数"))
    mis_exited = models.PositiveIntegerField(_("错退人口数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("抽查记录")
        verbose_name_plural = _("抽查记录")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mis_included__lte=models.F("registered_checked"))
                & models.Q(missed__lte=models.F("unregistered_checked"))
                & models.Q(mis_exited__lte=models.F("exited_checked")),
                name="sampling_errors_within_checked",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.checked_on}"


class SatisfactionSurvey(models.Model):
    """A satisfaction (群众认可度) survey in one village: households asked and households satisfied."""

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    surveyed_on = models.DateField(_("调查日期"))
    surveyed = models.PositiveIntegerField(_("调查户数"))
    satisfied = models.PositiveIntegerField(_("满意户数"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfied__lte=models.F("surveyed")),
                name="survey_satisfied_within_surveyed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.surveyed_on}"


class Colour(models.TextChoices):
    RED = "red", _("红卡")
    BLUE = "blue", _("蓝卡")
    PURPLE = "purple", _("紫卡")
    YELLOW = "yellow", _("黄卡")
    GREEN = "green", _("绿卡")
    NONE = "none", _("无卡")
    UNKNOWN = "unknown", _("无法判定")


class ColourChange(models.Model):
    """A household's five-colour card changed (written by a run, set-based). The latest row is current."""

    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="colour_changes"
    )
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="colour_changes")
    previous = models.CharField(_("原颜色"), max_length=8, blank=True)
    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices)
    changed_at = models.DateTimeField(_("时间"))
    # a transition between two runs; a household's first colour is on its first HouseholdResult

    class Meta:
        verbose_name = _("五色卡变化")
        verbose_name_plural = _("五色卡变化")
        ordering = ["household_id", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.previous} → {self.colour}"


class Severity(models.TextChoices):
    CRITICAL = "critical", _("严重")
    WARNING = "warning", _("警告")
    INFO = "info", _("提示")


class ExitStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟退出")
    REVIEWED = "reviewed", _("村民主评议")
    NOTICE = "notice", _("村内公示")
    TOWNSHIP_CHECKED = "township_checked", _("乡镇审核")
    COUNTY_APPROVED = "county_approved", _("县审定公告")
    EXITED = "exited", _("已脱贫")
    WITHDRAWN = "withdrawn", _("已撤回")
    RELAPSED = "relapsed", _("返贫")


class ExitCase(models.Model):
    """One household's exit procedure for one year."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="exit_cases")
    year = models.PositiveSmallIntegerField(_("退出年度"))
    status = models.CharField(
        _("进度"), max_length=20, choices=ExitStatus.choices, default=ExitStatus.PROPOSED
    )
    run = models.ForeignKey(
        AssessmentRun,
        verbose_name=_("依据评估"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("退出程序")
        verbose_name_plural = _("退出程序")
        ordering = ["-year", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                condition=~models.Q(status="withdrawn"),
                name="exitcase_one_open_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year} {self.get_status_display()}"


class ExitStep(models.Model):
    """One step of the procedure (append-only): who, when, with which document."""

    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("原进度"), max_length=20, choices=ExitStatus.choices, blank=True)
    to_status = models.CharField(_("新进度"), max_length=20, choices=ExitStatus.choices)
    on_date = models.DateField(_("日期"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT)
    document = models.CharField(_("文件/材料"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("退出程序步骤")
        verbose_name_plural = _("退出程序步骤")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
