"""The records behind the village and county indicators: a village's year figures, sampling checks and
satisfaction surveys, each checked against its fields before it is written."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.assessment.models import SamplingCheck, SatisfactionSurvey, VillageRecord
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import check_fields
from tuopin.regions.models import Level, Region


@transaction.atomic
def village_record_set(
    *,
    village: Region,
    year: int,
    by: User,
    collective_income: Decimal | None,
    has_work_team: bool | None,
    has_first_secretary: bool | None,
    rural_population: int | None = None,
    source: str = "",
) -> VillageRecord:
    """The village's figures for a year (集体经济收入, 工作队, 第一书记, 农村户籍人口)."""
    require(by, "assessment.record_village_year", village)
    if village.level != Level.VILLAGE:
        raise ApplicationError("只能为行政村登记", field="village")
    checked = check_fields(
        VillageRecord,
        {
            "year": year,
            "collective_income": collective_income,
            "rural_population": rural_population,
            "source": source,
        },
    )
    year, collective_income = checked["year"], checked["collective_income"]
    rural_population, source = checked["rural_population"], checked["source"]
    if collective_income is not None and collective_income < 0:
        raise ApplicationError("村集体经济收入不能为负数", field="collective_income")
    if rural_population is not None and rural_population <= 0:
        raise ApplicationError("农村户籍人口应大于0", field="rural_population")
    record, _ = VillageRecord.objects.update_or_create(
        village=village,
        year=year,
        defaults={
            "collective_income": collective_income,
            "has_work_team": has_work_team,
            "has_first_secretary": has_first_secretary,
            "rural_population": rural_population,
            "source": source,
            "recorded_by": by,
        },
    )
    return record


@transaction.atomic
def sampling_check_record(
    *, village: Region, year: int, by: User, checked_on: date, **counts: int
) -> SamplingCheck:
    """A sampling check (抽查): people checked and errors found, errors never more than checked."""
    require(by, "assessment.record_sampling_check", village)
    checked_values = check_fields(SamplingCheck, {"year": year, "checked_on": checked_on, **counts})
    year, checked_on = checked_values.pop("year"), checked_values.pop("checked_on")
    counts = checked_values
    for checked, wrong, label in (
        ("registered_checked", "mis_included", "错评"),
        ("unregistered_checked", "missed", "漏评"),
        ("exited_checked", "mis_exited", "错退"),
    ):
        if counts.get(checked, 0) < 0 or counts.get(wrong, 0) < 0:
            raise ApplicationError("人数不能为负数", field=checked)
        if counts.get(wrong, 0) > counts.get(checked, 0):
            raise ApplicationError(f"{label}人口数不能多于对应的抽查人口数", field=wrong)
    return SamplingCheck.objects.create(
        village=village, year=year, checked_on=checked_on, recorded_by=by, **counts
    )


@transaction.atomic
def satisfaction_survey_record(
    *, village: Region, year: int, by: User, surveyed_on: date, surveyed: int, satisfied: int
) -> SatisfactionSurvey:
    require(by, "assessment.record_satisfaction_survey", village)
    checked = check_fields(
        SatisfactionSurvey,
        {"year": year, "surveyed_on": surveyed_on, "surveyed": surveyed, "satisfied": satisfied},
    )
    year, surveyed_on, surveyed, satisfied = (
        checked["year"],
        checked["surveyed_on"],
        checked["surveyed"],
        checked["satisfied"],
    )
    if surveyed <= 0 or satisfied < 0:
        raise ApplicationError("调查户数应大于0，满意户数不能为负", field="surveyed")
    if satisfied > surveyed:
        raise ApplicationError("满意户数不能多于调查户数", field="satisfied")
    return SatisfactionSurvey.objects.create(
        village=village,
        year=year,
        surveyed_on=surveyed_on,
        surveyed=surveyed,
        satisfied=satisfied,
        recorded_by=by,
    )
