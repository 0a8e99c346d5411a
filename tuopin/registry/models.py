"""Households and people of the 建档立卡 registry (docs/policy-facts.md §2–2.5), plus rural households outside it (卡外).

Coded fields hold a code of a year-versioned code list (``CodeValue``); the lists are data, loaded by a
data migration from ``codelists.json``. Derived figures (net income, per-capita net income, household size)
are computed, never stored.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tuopin.core.concurrency import VersionField
from tuopin.core.money import MoneyField


class AreaField(models.DecimalField):
    """An optional land area in mu (亩): ``DECIMAL(10, 2)``, deconstructed as a plain ``DecimalField``."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.update(max_digits=10, decimal_places=2, null=True, blank=True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


class CodeList(models.TextChoices):
    RELATION = "relation", _("与户主关系")
    ETHNICITY = "ethnicity", _("民族")
    EDUCATION = "education", _("文化程度")
    SCHOOLING = "schooling", _("在校生状况")
    DISABILITY = "disability", _("残疾类别")
    LABOR_SKILL = "labor_skill", _("劳动技能")
    WORK_STATUS = "work_status", _("务工状况")
    ID_TYPE = "id_type", _("证件类型")
    ATTRIBUTE = "attribute", _("贫困户属性")
    CAUSE = "cause", _("致贫原因")
    IDENTIFICATION_STANDARD = "identification_standard", _("识别标准")
    HOUSE_GRADE = "house_grade", _("危房等级")
    HOUSE_STRUCTURE = "house_structure", _("房屋主要结构")
    WATER_SOURCE = "water_source", _("饮水情况")
    FUEL = "fuel", _("主要燃料类型")
    ROAD = "road", _("入户路类型")
    RELOCATION_MODE = "relocation_mode", _("安置方式")


class CodeValue(models.Model):
    """One value of a code list, valid for the years ``valid_from``..``valid_to`` (inclusive; open when null)."""

    list_name = models.CharField(_("代码表"), max_length=32, choices=CodeList.choices)
    code = models.CharField(_("代码"), max_length=32)
    label = models.CharField(_("名称"), max_length=50)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    valid_from = models.PositiveSmallIntegerField(_("起始年度"), default=2014)
    valid_to = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    source = models.CharField(_("出处"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("代码值")
        verbose_name_plural = _("代码值")
        ordering = ["list_name", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["list_name", "code"], name="codevalue_unique_code"),
        ]

    def __str__(self) -> str:
        return self.label


class PovertyStatus(models.TextChoices):
    UNREGISTERED = "unregistered", _("卡外农户")
    POOR = "poor", _("未脱贫")
    EXITED = "exited", _("已脱贫")
    RELAPSED = "relapsed", _("返贫")


REGISTERED_STATUSES = (PovertyStatus.POOR, PovertyStatus.EXITED, PovertyStatus.RELAPSED)
NOT_EXITED_STATUSES = (PovertyStatus.POOR, PovertyStatus.RELAPSED)


class HouseholdQuerySet(models.QuerySet["Household"]):
    def registered(self):
        return self.filter(status__in=REGISTERED_STATUSES)

    def in_region_path(self, path: str):
        return self.filter(village__path__startswith=path)


class Household(models.Model):
    household_no = models.CharField(_("户编号"), max_length=32, unique=True)
    village = models.ForeignKey(
        "regions.Region", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="households"
    )
    group = models.ForeignKey(
        "regions.Region",
        verbose_name=_("村民小组/自然村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_households",
    )
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    data_year = models.PositiveSmallIntegerField(_("数据年度"))

    # identification and status
    status = models.CharField(_("脱贫状态"), max_length=16, choices=PovertyStatus.choices)
    # the status the last recorded procedure (纳入, 退出, 返贫, a county import, 历史数据迁入) set; written only
    # by ``registry.procedures.household_status_record``; a data-quality rule flags any difference
    status_by_procedure = models.CharField(
        _("程序认定状态"), max_length=16, choices=PovertyStatus.choices, default=PovertyStatus.UNREGISTERED
    )
    identification_standard = models.CharField(_("识别标准"), max_length=32, blank=True)
    attribute = models.CharField(_("贫困户属性"), max_length=32, blank=True)
    identification_year = models.PositiveSmallIntegerField(_("识别年度"), null=True, blank=True)
    exit_year = models.PositiveSmallIntegerField(_("脱贫年度"), null=True, blank=True)
    planned_exit_year = models.PositiveSmallIntegerField(_("计划脱贫年度"), null=True, blank=True)
    main_cause = models.CharField(_("主要致贫原因"), max_length=32, blank=True)
    other_cause_1 = models.CharField(_("其他致贫原因一"), max_length=32, blank=True)
    other_cause_2 = models.CharField(_("其他致贫原因二"), max_length=32, blank=True)
    is_military_family = models.BooleanField(_("军烈属"), default=False)

    # income and expenditure (yuan per year)
    wage_income = MoneyField(_("工资性收入"), null=True, blank=True)
    business_income = MoneyField(_("生产经营性收入"), null=True, blank=True)
    property_income = MoneyField(_("财产性收入"), null=True, blank=True)
    transfer_income = MoneyField(_("转移性收入"), null=True, blank=True)
    business_expense = MoneyField(_("生产经营性支出"), null=True, blank=True)
    schooling_expense = MoneyField(_("就学支出"), null=True, blank=True)
    medical_self_paid = MoneyField(_("合规自付医疗费用"), null=True, blank=True)

    # production conditions (mu)
    cultivated_land = AreaField(_("耕地面积（亩）"))
    irrigated_land = AreaField(_("有效灌溉面积（亩）"))
    forest_land = AreaField(_("林地面积（亩）"))
    returned_farmland = AreaField(_("退耕还林面积（亩）"))
    fruit_forest = AreaField(_("林果面积（亩）"))
    pasture = AreaField(_("牧草地面积（亩）"))
    water_surface = AreaField(_("水面面积（亩）"))

    # living conditions
    has_food_security = models.BooleanField(_("不愁吃"), null=True, blank=True)
    has_clothing_security = models.BooleanField(_("不愁穿"), null=True, blank=True)
    has_living_power = models.BooleanField(_("通生活用电"), null=True, blank=True)
    has_production_power = models.BooleanField(_("通生产用电"), null=True, blank=True)
    has_broadcast_tv = models.BooleanField(_("通广播电视"), null=True, blank=True)
    has_safe_drinking_water = models.BooleanField(_("饮水安全"), null=True, blank=True)
    is_water_difficult = models.BooleanField(_("饮水困难"), null=True, blank=True)
    water_source = models.CharField(_("饮水情况"), max_length=32, blank=True)
    fuel = models.CharField(_("主要燃料类型"), max_length=32, blank=True)
    road = models.CharField(_("入户路类型"), max_length=32, blank=True)
    distance_to_road_km = AreaField(_("与村主干路距离（公里）"))
    has_sanitary_toilet = models.BooleanField(_("有卫生厕所"), null=True, blank=True)
    joined_cooperative = models.BooleanField(_("加入农民专业合作社"), null=True, blank=True)
    housing_area = AreaField(_("住房面积（平方米）"))
    house_structure = models.CharField(_("房屋主要结构"), max_length=32, blank=True)
    house_grade = models.CharField(_("危房等级"), max_length=8, blank=True)
    house_built_year = models.PositiveSmallIntegerField(_("建房年度"), null=True, blank=True)

    # relocation (易地扶贫搬迁)
    is_relocated = models.BooleanField(_("易地扶贫搬迁户"), default=False)
    relocation_mode = models.CharField(_("安置方式"), max_length=32, blank=True)
    relocation_site = models.CharField(_("安置点"), max_length=100, blank=True)
    relocation_year = models.PositiveSmallIntegerField(_("搬迁年度"), null=True, blank=True)
    relocation_self_funding = MoneyField(_("建房自筹资金"), null=True, blank=True)
    relocation_debt = MoneyField(_("建房举债"), null=True, blank=True)

    responsible_cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("帮扶责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paired_households",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    version = VersionField()
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "version"])
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("农户")
        verbose_name_plural = _("农户")
        ordering = ["household_no"]
        indexes = [models.Index(fields=["status", "village"], name="household_status_village")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="unregistered") | ~models.Q(main_cause=""),
                name="household_registered_has_main_cause",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="exited") | models.Q(exit_year__isnull=False),
                name="household_exited_has_exit_year",
            ),
        ]

    def __str__(self) -> str:
        return self.household_no

    @property
    def is_registered(self) -> bool:
        return self.status != PovertyStatus.UNREGISTERED

    @property
    def gross_income(self) -> Decimal | None:
        parts = (self.wage_income, self.business_income, self.property_income, self.transfer_income)
        known = [part for part in parts if part is not None]
        if len(known) < len(parts):
            return None
        return sum(known, Decimal(0))

    @property
    def net_income(self) -> Decimal | None:
        """家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出 (docs/policy-facts.md §2)."""
        gross = self.gross_income
        if gross is None or self.business_expense is None:
            return None
        return gross - self.business_expense


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Person(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("所属农户"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(_("证件类型"), max_length=32, default="resident_id")
    id_number = models.CharField(_("证件号码"), max_length=20, unique=True, null=True, blank=True)
    person_no = models.CharField(_("人口编号"), max_length=32, blank=True)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    relation = models.CharField(_("与户主关系"), max_length=32)
    ethnicity = models.CharField(_("民族"), max_length=32, blank=True)
    education = models.CharField(_("文化程度"), max_length=32, blank=True)
    schooling = models.CharField(_("在校生状况"), max_length=32, blank=True)
    is_healthy = models.BooleanField(_("健康"), default=False)
    has_chronic_disease = models.BooleanField(_("长期慢性病"), default=False)
    has_serious_disease = models.BooleanField(_("患有大病"), default=False)
    is_disabled = models.BooleanField(_("残疾"), default=False)
    disability_category = models.CharField(_("残疾类别"), max_length=32, blank=True)
    labor_skill = models.CharField(_("劳动技能"), max_length=32, blank=True)
    work_status = models.CharField(_("务工状况"), max_length=32, blank=True)
    work_location = models.CharField(_("务工所在地"), max_length=100, blank=True)
    work_months = models.PositiveSmallIntegerField(_("务工时间（月）"), null=True, blank=True)
    has_medical_insurance = models.BooleanField(_("参加城乡居民基本医疗保险"), null=True, blank=True)
    has_serious_illness_insurance = models.BooleanField(_("参加大病保险"), null=True, blank=True)
    has_pension_insurance = models.BooleanField(_("参加城乡居民基本养老保险"), null=True, blank=True)
    is_dibao = models.BooleanField(_("享受低保"), default=False)
    is_tekun = models.BooleanField(_("特困供养人员"), default=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    version = VersionField()
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "version"])

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="head"),
                name="person_one_head_per_household",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="spouse"),
                name="person_one_spouse_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(education="") | models.Q(schooling=""),
                name="person_education_or_schooling",
            ),
        ]
        # the monitoring triggers read each member's birth date (school age) from this index alone
        indexes = [models.Index(fields=["id", "birth_date"], name="person_id_birth")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_head(self) -> bool:
        return self.relation == "head"

    @property
    def health_codes(self) -> list[str]:
        flags = [
            ("healthy", self.is_healthy),
            ("chronic_disease", self.has_chronic_disease),
            ("serious_disease", self.has_serious_disease),
            ("disabled", self.is_disabled),
        ]
        return [code for code, on in flags if on]


# the procedure records (纳入, 返贫, member changes) and the yearly figures live in their own modules; imported
# here so Django finds them
from tuopin.registry.models_procedures import (  # noqa: E402
    MemberChange,
    MemberChangeKind,
    MemberChangeReason,
    ProcedureCase,
    ProcedureKind,
    ProcedureStatus,
    ProcedureStep,
)
from tuopin.registry.models_years import HouseholdYear, PersonYear  # noqa: E402

__all__ = [
    "CodeList",
    "CodeValue",
    "Household",
    "HouseholdYear",
    "MemberChange",
    "MemberChangeKind",
    "MemberChangeReason",
    "Person",
    "PersonYear",
    "PovertyStatus",
    "ProcedureCase",
    "ProcedureKind",
    "ProcedureStatus",
    "ProcedureStep",
    "Sex",
]
