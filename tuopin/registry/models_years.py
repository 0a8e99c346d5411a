"""Yearly figures of the registry (the annual 信息采集): one household's figures and one member's key facts per data
year. ``Household`` / ``Person`` keep the current registration; these rows keep each year's, so an old year can be
re-assessed and the monitoring triggers compare a year with the previous one. Re-exported by
``registry.models``.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from tuopin.core.money import MoneyField
from tuopin.registry.models import Household, Person

#: the columns the monitoring triggers read, kept in the ``(year, household, …)`` indexes so that a run over 10^6
#: households reads the indexes only (docs/performance.md)
TRIGGER_HOUSEHOLD_COLUMNS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
    "medical_self_paid",
    "house_grade",
    "had_disaster",
)
TRIGGER_PERSON_COLUMNS = (
    "is_deceased",
    "labor_skill",
    "has_serious_disease",
    "is_disabled",
    "is_dibao",
    "is_tekun",
    "unemployed_months",
    "schooling",
    "birth_date",
    "prev_labor_skill",
    "prev_is_dibao",
    "prev_is_tekun",
    "prev_has_serious_disease",
    "prev_is_disabled",
)
#: the facts of a member's previous year each yearly row carries as ``prev_<name>``
PREVIOUS_FACTS = ("labor_skill", "is_dibao", "is_tekun", "has_serious_disease", "is_disabled")


class HouseholdYear(models.Model):
    """One household's figures of one data year (the annual 信息采集): income, expenses, conditions and the
    events of the year. Written by ``registry.yearly`` services; read by the monitoring triggers, which
    compare a year with the previous one. ``Household`` keeps the current registration."""

    household = models.ForeignKey(
        Household, verbose_name=_("农户"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("数据年度"))
    wage_income = MoneyField(_("工资性收入"), null=True, blank=True)
    business_income = MoneyField(_("生产经营性收入"), null=True, blank=True)
    property_income = MoneyField(_("财产性收入"), null=True, blank=True)
    transfer_income = MoneyField(_("转移性收入"), null=True, blank=True)
    business_expense = MoneyField(_("生产经营性支出"), null=True, blank=True)
    schooling_expense = MoneyField(_("就学支出"), null=True, blank=True)
    medical_self_paid = MoneyField(_("合规自付医疗费用"), null=True, blank=True)
    has_food_security = models.BooleanField(_("不愁吃"), null=True, blank=True)
    has_clothing_security = models.BooleanField(_("不愁穿"), null=True, blank=True)
    has_safe_drinking_water = models.BooleanField(_("饮水安全"), null=True, blank=True)
    house_grade = models.CharField(_("危房等级"), max_length=8, blank=True)
    had_disaster = models.BooleanField(_("遭受自然灾害或意外事故"), default=False)
    disaster_note = models.CharField(_("灾害或事故情况"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("农户年度数据")
        verbose_name_plural = _("农户年度数据")
        ordering = ["household_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="householdyear_unique_year"),
        ]
        # covering: the triggers read the year's rows (and the previous year's by household) from the index alone
        indexes = [
            models.Index(
                fields=["year", "household", *TRIGGER_HOUSEHOLD_COLUMNS], name="householdyear_year_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.year}"

    @property
    def net_income(self) -> Decimal | None:
        parts = (self.wage_income, self.business_income, self.property_income, self.transfer_income)
        known = [part for part in parts if part is not None]
        if len(known) < len(parts) or self.business_expense is None:
            return None
        return sum(known, Decimal(0)) - self.business_expense


class PersonYear(models.Model):
    """One member's key facts of one data year: schooling, health, labour, work and social assistance."""

    person = models.ForeignKey(Person, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="years")
    household = models.ForeignKey(
        Household, verbose_name=_("农户"), on_delete=models.CASCADE, related_name="member_years"
    )
    year = models.PositiveSmallIntegerField(_("数据年度"))
    schooling = models.CharField(_("在校生状况"), max_length=32, blank=True)
    has_serious_disease = models.BooleanField(_("患有大病"), default=False)
    is_disabled = models.BooleanField(_("残疾"), default=False)
    is_deceased = models.BooleanField(_("已去世"), default=False)
    labor_skill = models.CharField(_("劳动技能"), max_length=32, blank=True)
    work_status = models.CharField(_("务工状况"), max_length=32, blank=True)
    unemployed_months = models.PositiveSmallIntegerField(_("失业或无工可务（月）"), null=True, blank=True)
    is_dibao = models.BooleanField(_("享受低保"), default=False)
    is_tekun = models.BooleanField(_("特困供养人员"), default=False)
    #: the member's birth date (``Person.birth_date``), kept beside the year's facts so that the triggers' age
    #: tests read the yearly rows alone; written with the row and copied again whenever the person's birth date
    #: changes (``copy_birth_dates``)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True, editable=False)
    #: the same member's facts of the year before in the same household (``PREVIOUS_FACTS``; empty when there is
    #: no such row), kept on the row so that the triggers compare the two years without a join; written by
    #: ``link_previous_years`` whenever a yearly row is written
    prev_labor_skill = models.CharField(
        _("上年劳动技能"), max_length=32, null=True, blank=True, editable=False
    )
    prev_is_dibao = models.BooleanField(_("上年享受低保"), null=True, editable=False)
    prev_is_tekun = models.BooleanField(_("上年特困供养人员"), null=True, editable=False)
    prev_has_serious_disease = models.BooleanField(_("上年患有大病"), null=True, editable=False)
    prev_is_disabled = models.BooleanField(_("上年残疾"), null=True, editable=False)

    class Meta:
        verbose_name = _("成员年度数据")
        verbose_name_plural = _("成员年度数据")
        ordering = ["household_id", "year", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="personyear_unique_year"),
        ]
        indexes = [
            models.Index(
                fields=["year", "household", "person", *TRIGGER_PERSON_COLUMNS], name="personyear_year_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.year}"


def copy_birth_dates(person_ids: Iterable[int]) -> int:
    """Copy ``Person.birth_date`` onto every yearly row of ``person_ids``; returns the rows written. With the
    row's creation, the one writer of ``PersonYear.birth_date``."""
    current = Person.objects.filter(pk=OuterRef("person_id")).values("birth_date")[:1]
    return PersonYear.objects.filter(person_id__in=list(person_ids)).update(birth_date=Subquery(current))


def link_previous_years(
    person_ids: Iterable[int] | None = None, *, years: Iterable[int] | None = None
) -> int:
    """Set the ``prev_*`` facts of every yearly row of ``person_ids`` (every person: None; of ``years`` only when
    given) from the same person's
    row of the year before in the same household, or empty when there is none; returns the rows written.
    Called by every writer of yearly member rows, after it wrote them (a row of a year and the row of the year
    after both change when a year is written)."""
    previous = PersonYear.objects.filter(
        person_id=OuterRef("person_id"), household_id=OuterRef("household_id"), year=OuterRef("year") - 1
    )
    rows = PersonYear.objects.all()
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    if years is not None:
        rows = rows.filter(year__in=list(years))
    return rows.update(**{f"prev_{name}": Subquery(previous.values(name)[:1]) for name in PREVIOUS_FACTS})
