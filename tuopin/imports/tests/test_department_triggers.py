"""A department list imported as a real ``.xlsx`` (written with openpyxl) makes the department trigger fire for the
household of a person it reports a risk for, in the year of the list's date — exactly on the alert line it does
not, one fen above it does; a newer list without the risk withdraws it."""

import datetime
import io

import pytest
from openpyxl import Workbook

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.engine.rules import Outcome
from tuopin.imports.departments import department_list_import
from tuopin.imports.tests.conftest import make_id
from tuopin.monitoring.models import DepartmentReport, TriggerHit
from tuopin.monitoring.runs import hit_outcomes, household_triggers, monitoring_run
from tuopin.monitoring.tests import factories as f
from tuopin.registry.models import Person

YEAR = 2022  # the 2021 medical alert line (5,000 元) applies
MEDICAL = ["证件号码", "姓名", "是否参保", "个人自付金额（元）"]
HOUSING = ["证件号码", "姓名", "危房等级"]


def _xlsx(headers: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _household(seq: int):
    h = f.household(members=2)
    person = Person.objects.filter(household=h).order_by("id").first()
    number = make_id(seq)
    Person.objects.filter(pk=person.pk).update(id_number=number)
    f.year(h, YEAR - 1)
    f.year(h, YEAR)
    return h, number, person.name


def _load(user, department: str, headers: list[str], rows: list[list[object]], month: int = 6):
    return department_list_import(
        user=user,
        department=department,
        as_of=datetime.date(YEAR, month, 30),
        file_name=f"{department}.xlsx",
        content=_xlsx(headers, rows),
    )


def _department_outcome(h) -> Outcome:
    hit = TriggerHit.objects.filter(year=YEAR, household=h).first()
    return hit_outcomes(hit)["department_report"] if hit else Outcome.PASS


@pytest.mark.django_db
@pytest.mark.parametrize(("paid", "fires"), [("5000.00", False), ("5000.01", True)])
def test_a_medical_list_above_the_alert_line_fires_the_department_trigger(county_user, paid, fires):
    h, number, name = _household(901)
    _load(county_user, "medical", MEDICAL, [[number, name, "是", paid]])
    monitoring_run(year=YEAR, by=console_actor())
    assert _department_outcome(h) == (Outcome.FAIL if fires else Outcome.PASS)
    explained = household_triggers(household_id=h.pk, year=YEAR)
    assert explained is not None
    assert ("department_report" in {r.rule.code for r in explained.fired}) is fires
    if fires:
        (report,) = DepartmentReport.objects.filter(household=h, year=YEAR)
        assert report.department == "medical_insurance"
        assert "5,000.01元，超过预警线5,000.00元" in report.reason


@pytest.mark.django_db
def test_a_newer_list_without_the_risk_withdraws_it(county_user):
    h, number, name = _household(902)
    quiet, other, other_name = _household(903)
    _load(county_user, "housing", HOUSING, [[number, name, "D级"], [other, other_name, "B级"]], month=3)
    monitoring_run(year=YEAR, by=console_actor())
    assert _department_outcome(h) == Outcome.FAIL
    assert _department_outcome(quiet) == Outcome.PASS
    assert "住房鉴定为D级危房" in DepartmentReport.objects.get(household=h).reason
    _load(county_user, "housing", HOUSING, [[number, name, "B级"]], month=9)  # renovated
    monitoring_run(year=YEAR, by=console_actor())
    assert _department_outcome(h) == Outcome.PASS
    assert not DepartmentReport.objects.filter(household=h).exists()
    assert not TriggerHit.objects.filter(year=YEAR, household=h).exists()
