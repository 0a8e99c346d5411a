"""Monitoring (防止返贫动态监测): trigger runs, department reports, clues, the 监测对象 case with its procedure
steps and assistance measures. A case is opened by its first clue; every later clue on the same household joins
the open case (one open case per household)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.concurrency import VersionField
from tuopin.core.money import MoneyField


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class ClueSource(models.TextChoices):
    TRIGGER = "trigger", _("平台预警")
    DEPARTMENT = "department", _("部门筛查预警")
    VISIT = "visit", _("干部走访排查")
    SELF_APPLICATION = "self_application", _("农户自主申报")
    HOTLINE = "hotline", _("12317等渠道反映")


class Department(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    DISABLED_FEDERATION = "disabled_federation", _("残联")
    MEDICAL_INSURANCE = "medical_insurance", _("医保")
    EDUCATION = "education", _("教育")
    HOUSING = "housing", _("住建")
    EMERGENCY = "emergency", _("应急管理")


class Stage(models.TextChoices):
    CLUE = "clue", _("风险线索")
    VISITED = "visited", _("入户核实")
    COMPARED = "compared", _("信息比对")
    REVIEWED = "reviewed", _("民主评议")
    NOTICED = "noticed", _("村内公示")
    TOWNSHIP_CHECKED = "township_checked", _("乡镇审核")
    OBJECT = "object", _("监测对象（县级认定）")
    DISMISSED = "dismissed", _("核实后不纳入")
    ELIMINATION_REVIEWED = "elimination_reviewed", _("风险消除：民主评议")
    ELIMINATION_NOTICED = "elimination_noticed", _("风险消除：村内公示")
    ELIMINATION_CHECKED = "elimination_checked", _("风险消除：乡镇审核")
    ELIMINATED = "eliminated", _("风险已消除（县级批准）")


CLOSED_STAGES = (Stage.DISMISSED, Stage.ELIMINATED)
#: stages before the county's decision: the time limit from clue to decision runs here
UNDECIDED_STAGES = (
    Stage.CLUE,
    Stage.VISITED,
    Stage.COMPARED,
    Stage.REVIEWED,
    Stage.NOTICED,
    Stage.TOWNSHIP_CHECKED,
)


class Category(models.TextChoices):
    UNSTABLE = "unstable", _("脱贫不稳定户")
    MARGINAL = "marginal", _("边缘易致贫户")
    SUDDEN = "sudden", _("突发严重困难户")


class RiskType(models.TextChoices):
    ILLNESS = "illness", _("因病")
    NATURAL_DISASTER = "natural_disaster", _("因自然灾害")
    DISABILITY = "disability", _("因残")
    LACK_LABOR = "lack_labor", _("因缺劳动力")
    ACCIDENT = "accident", _("因意外事故")
    INDUSTRY_FAILURE = "industry_failure", _("因产业项目失败")
    UNSTABLE_EMPLOYMENT = "unstable_employment", _("因务工就业不稳")
    SCHOOLING = "schooling", _("因学")
    OTHER = "other", _("其他")


class EliminationKind(models.TextChoices):
    ASSISTED = "assisted", _("帮扶消除")
    NATURAL = "natural", _("自然消除")


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", _("产业帮扶")
    EMPLOYMENT = "employment", _("就业帮扶")
    FINANCE = "finance", _("金融帮扶")
    PUBLIC_JOB = "public_job", _("公益岗位帮扶")
    HEALTH = "health", _("健康帮扶")
    EDUCATION = "education", _("教育帮扶")
    HOUSING = "housing", _("住房安全保障")
    WATER = "water", _("饮水安全保障")
    SOCIAL = "social", _("社会帮扶")
    SOCIAL_SECURITY = "social_security", _("综合保障")
    RELOCATION = "relocation", _("搬迁")


class MonitoringRun(models.Model):
    """One evaluation of every trigger over the households with figures for ``year``."""

    year = models.PositiveSmallIntegerField(_("监测年度"))
    standards = models.JSONField(_("标准快照"), default=dict)
    rule_versions = models.JSONField(_("规则版本"), default=dict)
    summary = models.JSONField(_("汇总"), default=dict)
    households = models.PositiveIntegerField(_("监测户数"), default=0)
    fired = models.PositiveIntegerField(_("触发预警户数"), default=0)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测预警批次")
        verbose_name_plural = _("监测预警批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.year}年监测 #{self.pk}"


class TriggerHit(models.Model):
    """A household for which at least one trigger fires in a data year (two bits per trigger in ``outcomes``):
    the current result of the year. A run rewrites only the rows whose outcomes changed (``run`` is the run
    that last set them) and removes the households that no longer fire; ``run.hits`` are what that run changed."""

    run = models.ForeignKey(
        MonitoringRun, on_delete=models.CASCADE, related_name="hits", db_index=False, db_constraint=False
    )
    year = models.PositiveSmallIntegerField(_("监测年度"))
    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    village = models.ForeignKey(
        "regions.Region", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    status = models.CharField(_("状态"), max_length=16)
    outcomes = models.BigIntegerField(_("预警判定（按位）"))

    class Meta:
        verbose_name = _("预警触发")
        verbose_name_plural = _("预警触发")
        constraints = [
            models.UniqueConstraint(fields=["year", "household"], name="triggerhit_year_household")
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.household_id}"


class DepartmentReport(models.Model):
    """A risk a department's list reports for a household in a year (民政, 残联, 医保, 教育, 住建, 应急)."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    department = models.CharField(_("部门"), max_length=24, choices=Department.choices)
    reason = models.CharField(_("推送内容"), max_length=200)
    reported_on = models.DateField(_("推送日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    # the imported department list record it comes from (``department_lists``); empty when recorded directly.
    # A plain id: the imports app sits above monitoring.
    source_record = models.PositiveBigIntegerField(_("来源名单记录"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("部门推送风险")
        verbose_name_plural = _("部门推送风险")
        indexes = [models.Index(fields=["year", "household"], name="deptreport_year_household")]

    def __str__(self) -> str:
        return f"{self.get_department_display()} {self.household_id}"


class MonitoringCase(models.Model):
    """One household's way from its first clue through identification to the elimination of its risk."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="monitoring_cases",
    )
    village = models.ForeignKey(
        "regions.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    stage = models.CharField(_("环节"), max_length=24, choices=Stage.choices, default=Stage.CLUE)
    is_open = models.BooleanField(_("未办结"), default=True)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    risk_types = models.JSONField(_("致贫返贫风险"), default=list)
    category = models.CharField(_("监测对象类别"), max_length=16, choices=Category.choices, blank=True)
    opened_on = models.DateField(_("发现线索日期"))
    due_on = models.DateField(_("认定时限"))
    identified_on = models.DateField(_("识别认定日期"), null=True, blank=True)
    notice_started_on = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ended_on = models.DateField(_("公示结束"), null=True, blank=True)
    eliminated_on = models.DateField(_("风险消除日期"), null=True, blank=True)
    elimination_kind = models.CharField(
        _("风险消除方式"), max_length=16, choices=EliminationKind.choices, blank=True
    )
    version = VersionField()
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测案卷")
        verbose_name_plural = _("监测案卷")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(is_open=True), name="case_one_open_per_household"
            ),
        ]
        indexes = [models.Index(fields=["stage", "village"], name="case_stage_village")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_stage_display()}"

    @property
    def is_overdue(self) -> bool:
        """Still undecided after the time limit from clue to decision."""
        from django.utils import timezone

        return self.stage in UNDECIDED_STAGES and timezone.localdate() > self.due_on

    @property
    def days_to_decision(self) -> int | None:
        return (self.identified_on - self.opened_on).days if self.identified_on else None


class Clue(models.Model):
    """One report of a risk on a household, from one source, with its reasons and evidence."""

    case = models.ForeignKey(
        MonitoringCase, verbose_name=_("案卷"), on_delete=models.CASCADE, related_name="clues"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=20, choices=ClueSource.choices)
    reasons = models.JSONField(_("风险原因"), default=list)
    evidence = models.TextField(_("依据"), blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    run = models.ForeignKey(
        MonitoringRun, verbose_name=_("预警批次"), null=True, blank=True, on_delete=models.SET_NULL
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报告人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    raised_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("风险线索")
        verbose_name_plural = _("风险线索")
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.get_source_display()}"


class CaseStep(models.Model):
    """One step of the procedure: from which stage to which, who, when, and what was recorded."""

    case = models.ForeignKey(
        MonitoringCase, verbose_name=_("案卷"), on_delete=models.CASCADE, related_name="steps"
    )
    from_stage = models.CharField(_("原环节"), max_length=24, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新环节"), max_length=24, choices=Stage.choices)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("记录"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("办理时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测程序环节")
        verbose_name_plural = _("监测程序环节")
        ordering = ["case_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"


class Measure(models.Model):
    """An assistance measure for a monitoring object: what, who is responsible, when, how much."""

    case = models.ForeignKey(
        MonitoringCase, verbose_name=_("案卷"), on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("帮扶措施类型"), max_length=20, choices=MeasureKind.choices)
    description = models.CharField(_("措施内容"), max_length=200)
    responsible = models.CharField(_("责任人或单位"), max_length=100)
    carried_out_on = models.DateField(_("实施日期"))
    amount = MoneyField(_("金额（元）"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["case_id", "carried_out_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"
