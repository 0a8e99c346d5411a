"""Yearly figures: one household's year written by the service, a year's CSV loaded by the command, bad input
refused with a Chinese message naming the row and field and nothing written."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.tests import factories
from tuopin.core.errors import ApplicationError
from tuopin.registry.models import HouseholdYear
from tuopin.registry.yearly import household_year_record, household_years


@pytest.mark.django_db
def test_record_and_read_years_side_by_side():
    h = factories.household(members=2)
    head = h.members.order_by("id").first()
    assert head is not None
    by = console_actor()
    household_year_record(
        household=h,
        year=2021,
        figures={
            "wage_income": "12000",
            "business_income": 0,
            "property_income": 0,
            "transfer_income": 0,
            "business_expense": 0,
        },
        by=by,
    )
    household_year_record(
        household=h,
        year=2022,
        figures={
            "wage_income": "9000",
            "business_income": 0,
            "property_income": 0,
            "transfer_income": 0,
            "business_expense": 0,
            "house_grade": "c",
        },
        members={head.pk: {"is_deceased": "是"}},
        by=by,
    )
    years = household_years(household=h)
    assert [y.year for y in years] == [2021, 2022]
    assert years[1].record.house_grade == "C"
    assert years[1].living_members == 0  # only the head has a 2022 member record, and he died
    with pytest.raises(ApplicationError, match="工资性收入"):
        household_year_record(household=h, year=2023, figures={"wage_income": "-1"}, by=by)
    assert not HouseholdYear.objects.filter(year=2023).exists()


@pytest.mark.django_db
def test_yearly_load_command(tmp_path):
    h = factories.household(members=1)
    good = tmp_path / "2024.csv"
    good.write_text(
        f"household_no,wage_income,business_income,property_income,transfer_income,business_expense\n"
        f"{h.household_no},8000,100,0,50,20\n",
        encoding="utf-8",
    )
    call_command("yearly", "load", str(good), "--year", "2024")
    assert HouseholdYear.objects.get(household=h, year=2024).wage_income == Decimal("8000.00")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"household_no,wage_income\n{h.household_no},abc\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第2行"):
        call_command("yearly", "load", str(bad), "--year", "2025")
    assert not HouseholdYear.objects.filter(year=2025).exists()
