"""Standards (thresholds) as data: one row per key, effective year and region, with its source document.

``region`` empty means the provincial default (云南省); a county row overrides it. A row applies from its
``year`` until a later row for the same key exists (see ``selectors.standards_resolve``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tuopin.core.concurrency import VersionField


class StandardKey(models.TextChoices):
    INCOME_LINE = "income_line", _("脱贫标准（家庭年人均纯收入）")
    DIBAO_ANNUAL = "dibao_annual", _("农村低保标准（年）")
    DIBAO_MONTHLY = "dibao_monthly", _("农村低保标准（月）")
    MONITORING_LINE = "monitoring_line", _("防返贫监测标准")
    MEDICAL_OUTPATIENT_RATE = "medical_outpatient_rate", _("门诊政策范围内报销比例目标")
    MEDICAL_INPATIENT_RATE = "medical_inpatient_rate", _("住院费用实际补偿比例目标")
    MEDICAL_SELF_PAID_LIMIT = (
        "medical_self_paid_limit",
        _("个人年度合规医疗费用上限（当年农村居民人均可支配收入）"),
    )
    RELOCATION_SELF_FUNDING_CAP = "relocation_self_funding_cap", _("易地搬迁建房自筹资金上限")
    VILLAGE_INCIDENCE_MAX = "village_incidence_max", _("贫困村出列：综合贫困发生率上限")
    VILLAGE_SAMPLING_ERROR_MAX = "village_sampling_error_max", _("贫困村出列：抽查漏评率、错评率上限")
    VILLAGE_COLLECTIVE_INCOME_MIN = "village_collective_income_min", _("贫困村出列：村集体经济收入下限")
    COUNTY_ERROR_RATE_MAX = "county_error_rate_max", _("成效考核：错评率、漏评率、错退率上限")
    COUNTY_SATISFACTION_MIN = "county_satisfaction_min", _("成效考核：群众满意度下限")
    SCHOOL_AGE_MIN = "school_age_min", _("义务教育适龄下限（周岁）")
    SCHOOL_AGE_MAX = "school_age_max", _("义务教育适龄上限（周岁）")
    AGE_REFERENCE_MONTH = "age_reference_month", _("年龄计算参考日期：月")
    AGE_REFERENCE_DAY = "age_reference_day", _("年龄计算参考日期：日")
    PUBLIC_NOTICE_DAYS = "public_notice_days", _("退出村内公示最少天数")
    COLOUR_BLUE_MULTIPLE = "colour_blue_multiple", _("五色卡：蓝卡收入线（脱贫标准的倍数）")
    COLOUR_GREEN_MULTIPLE = "colour_green_multiple", _("五色卡：绿卡收入线（脱贫标准的倍数）")
    # monitoring (防止返贫动态监测): the income line is ``monitoring_line`` above
    MONITORING_INCOME_DROP_SHARE = "monitoring_income_drop_share", _("监测：家庭纯收入比上年下降比例（%）")
    MONITORING_MEDICAL_SELF_PAID = "monitoring_medical_self_paid", _("监测：年度合规自付医疗费用预警线")
    MONITORING_UNEMPLOYED_MONTHS = "monitoring_unemployed_months", _("监测：劳动力全部无工可务月数")
    MONITORING_DECISION_DAYS = "monitoring_decision_days", _("监测：线索到认定的时限（天）")
    MONITORING_NOTICE_DAYS = "monitoring_notice_days", _("监测：村内公示最少天数")
    MONITORING_STABLE_YEARS = "monitoring_stable_years", _("监测：风险消除须收入稳定的年数")


# Standards re-fixed every year: using an earlier year's value must be confirmed. The others (rates, caps,
# thresholds, ages) stay in force until a later row replaces them.
ANNUAL_KEYS = {
    StandardKey.INCOME_LINE,
    StandardKey.DIBAO_ANNUAL,
    StandardKey.DIBAO_MONTHLY,
    StandardKey.MONITORING_LINE,
    StandardKey.MEDICAL_SELF_PAID_LIMIT,
}

UNITS = {
    StandardKey.INCOME_LINE: "元/人·年",
    StandardKey.DIBAO_ANNUAL: "元/人·年",
    StandardKey.DIBAO_MONTHLY: "元/人·月",
    StandardKey.MONITORING_LINE: "元/人·年",
    StandardKey.MEDICAL_OUTPATIENT_RATE: "%",
    StandardKey.MEDICAL_INPATIENT_RATE: "%",
    StandardKey.MEDICAL_SELF_PAID_LIMIT: "元",
    StandardKey.RELOCATION_SELF_FUNDING_CAP: "元/户",
    StandardKey.VILLAGE_INCIDENCE_MAX: "%",
    StandardKey.VILLAGE_SAMPLING_ERROR_MAX: "%",
    StandardKey.VILLAGE_COLLECTIVE_INCOME_MIN: "元/年",
    StandardKey.COUNTY_ERROR_RATE_MAX: "%",
    StandardKey.COUNTY_SATISFACTION_MIN: "%",
    StandardKey.SCHOOL_AGE_MIN: "周岁",
    StandardKey.SCHOOL_AGE_MAX: "周岁",
    StandardKey.AGE_REFERENCE_MONTH: "月",
    StandardKey.AGE_REFERENCE_DAY: "日",
    StandardKey.PUBLIC_NOTICE_DAYS: "天",
    StandardKey.COLOUR_BLUE_MULTIPLE: "倍",
    StandardKey.COLOUR_GREEN_MULTIPLE: "倍",
    StandardKey.MONITORING_INCOME_DROP_SHARE: "%",
    StandardKey.MONITORING_MEDICAL_SELF_PAID: "元",
    StandardKey.MONITORING_UNEMPLOYED_MONTHS: "月",
    StandardKey.MONITORING_DECISION_DAYS: "天",
    StandardKey.MONITORING_NOTICE_DAYS: "天",
    StandardKey.MONITORING_STABLE_YEARS: "年",
}


class Standard(models.Model):
    key = models.CharField(_("标准项"), max_length=40, choices=StandardKey.choices)
    year = models.PositiveSmallIntegerField(_("起用年度"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("适用区划（空为省级默认）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    range_high = models.DecimalField(
        _("区间上限（如有）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source_document = models.CharField(_("依据文件"), max_length=200)
    source_date = models.DateField(_("文件日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    needs_confirmation = models.BooleanField(_("待核实"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    version = VersionField()
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at", "version"])

    class Meta:
        verbose_name = _("政策标准")
        verbose_name_plural = _("政策标准")
        ordering = ["key", "year"]
        constraints = [
            models.UniqueConstraint(fields=["key", "year", "region"], name="standard_unique_key_year_region"),
            models.UniqueConstraint(
                fields=["key", "year"],
                condition=models.Q(region__isnull=True),
                name="standard_unique_province_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.year}: {self.value}"

    @property
    def unit(self) -> str:
        return UNITS.get(StandardKey(self.key), "")
