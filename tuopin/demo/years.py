"""The demo county carried forward year by year from 2018 to 2026 (deterministic, flagged ``is_demo``).

2018 is the registry as built (its figures are copied, never changed). Each later year follows from the one
before: incomes grow and fall, members fall seriously ill, disasters strike, main labourers die or lose their
work, children reach school age (a few are not enrolled), houses decay or are renovated, 低保 ends for some.
The monitoring lines of each year are standards (flagged demo values where no document was found). Then the
monitoring of 2022–2025 is run and its cases handled through the procedure, so that the county has a history:
exited households that slid back (脱贫不稳定户), unregistered ones falling into poverty (边缘易致贫户), and risks
eliminated the following year. 2026 is left for ``tuopin monitor --year 2026``.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from tuopin.accounts.permissions import console_actor
from tuopin.demo.db import refresh_planner_statistics
from tuopin.demo.monitoring_history import handle_history
from tuopin.monitoring.models import Department, DepartmentReport
from tuopin.policy.services import standard_set
from tuopin.registry.models import Household, HouseholdYear, Person, PersonYear, PovertyStatus
from tuopin.registry.models_years import link_previous_years

FIRST, LAST = 2018, 2026
MONITORED_YEARS = range(2022, 2026)
SEED = 2018
MONEY = ("wage_income", "business_income", "property_income", "transfer_income", "business_expense")
CENT = Decimal("0.01")

# Monitoring lines the demo adds (flagged): values not found for Yunnan in these years.
DEMO_LINES = {
    2020: ("6000", "演示值：2020年“国家扶贫标准1.5倍左右”推算，须核实"),
    2022: ("6300", "演示值：云南省2022年监测范围未找到，须核实"),
    2023: ("7500", "演示值：取另一省份（河南林州）2023年参考值7500元，非云南标准，须核实"),
    2024: ("8100", "演示值：云南省2024年监测范围未找到，须核实"),
    2026: ("9000", "演示值：2026年常态化帮扶对象认定标准未找到，须核实"),
}


def _standards() -> None:
    for year, (value, source) in DEMO_LINES.items():
        standard_set(
            key="monitoring_line",
            year=year,
            region=None,
            value=Decimal(value),
            source_document=source,
            note="演示数据",
            needs_confirmation=True,
            by=console_actor(),
        )


def _age(birth: datetime.date | None, year: int) -> int | None:
    if birth is None:
        return None
    reference = datetime.date(year, 8, 31)
    return reference.year - birth.year - ((reference.month, reference.day) < (birth.month, birth.day))


def _school(age: int | None, previous: str, rng: random.Random) -> str:
    if age is None or age < 6:
        return previous if previous in ("preschool", "preschool_child") else ""
    if age <= 11:
        return "" if rng.random() < 0.01 else "primary"
    if age <= 14:
        return "" if rng.random() < 0.01 else ("grade7", "grade8", "grade9")[min(age - 12, 2)]
    if age == 15:
        return "" if rng.random() < 0.01 else "grade9"
    return "senior1" if age <= 18 and previous and rng.random() < 0.6 else ""


def _first_year(households: list[Household], people: dict[int, list[Person]]) -> tuple[list, list]:
    years, members = [], []
    for h in households:
        years.append(
            HouseholdYear(
                household=h,
                year=FIRST,
                is_demo=True,
                house_grade=h.house_grade,
                has_food_security=h.has_food_security,
                has_clothing_security=h.has_clothing_security,
                has_safe_drinking_water=h.has_safe_drinking_water,
                schooling_expense=h.schooling_expense,
                medical_self_paid=h.medical_self_paid if h.medical_self_paid is not None else Decimal(0),
                **{name: getattr(h, name) for name in MONEY},
            )
        )
        for p in people.get(h.pk, []):
            labourer = p.labor_skill in ("ordinary", "skilled")
            members.append(
                PersonYear(
                    person=p,
                    household=h,
                    year=FIRST,
                    schooling=p.schooling,
                    has_serious_disease=p.has_serious_disease,
                    is_disabled=p.is_disabled,
                    labor_skill=p.labor_skill,
                    work_status=p.work_status,
                    unemployed_months=(0 if not p.work_status else max(0, 12 - (p.work_months or 12)) // 2)
                    if labourer
                    else None,
                    is_dibao=p.is_dibao,
                    is_tekun=p.is_tekun,
                    birth_date=p.birth_date,
                )
            )
    return years, members


def _next_member(prev: PersonYear, birth, year: int, rng: random.Random, shock: bool) -> PersonYear:
    if prev.is_deceased:
        return PersonYear(
            person_id=prev.person_id,
            household_id=prev.household_id,
            year=year,
            is_deceased=True,
            labor_skill="",
            birth_date=birth,
        )
    age = _age(birth, year)
    labourer = prev.labor_skill in ("ordinary", "skilled")
    dies = (labourer and rng.random() < 0.004) or ((age or 0) > 75 and rng.random() < 0.03)
    ill = not prev.has_serious_disease and rng.random() < 0.006
    skill = prev.labor_skill
    if (age is not None and 16 <= age <= 60 and not skill) or (
        skill == "none" and age is not None and 16 <= age <= 60
    ):
        skill = "ordinary"
    if age is not None and age > 64 and labourer:
        skill = "lost"
    if ill and labourer and rng.random() < 0.5:
        skill = "weak_or_half"
    is_labourer = skill in ("ordinary", "skilled") and not dies
    return PersonYear(
        person_id=prev.person_id,
        household_id=prev.household_id,
        year=year,
        birth_date=birth,
        schooling=_school(age, prev.schooling, rng),
        has_serious_disease=prev.has_serious_disease or ill,
        is_disabled=prev.is_disabled or (labourer and rng.random() < 0.002),
        is_deceased=dies,
        labor_skill=skill,
        work_status=prev.work_status,
        unemployed_months=(rng.randrange(6, 13) if shock else rng.choice((0, 0, 0, 1, 2, 3)))
        if is_labourer
        else None,
        is_dibao=prev.is_dibao and rng.random() > 0.08,
        is_tekun=prev.is_tekun,
    )


def _lift(values: dict[str, Decimal], living: int, rng: random.Random) -> None:
    """2020: a registered household still under the line is lifted by transfers and public jobs (exit support)."""
    net = sum(values[name] for name in MONEY[:4]) - values["business_expense"]
    floor = Decimal(rng.randrange(4500, 7000)) * max(living, 1)
    if net < floor:
        values["transfer_income"] += (floor - net).quantize(CENT)


def _next_year(
    prev: HouseholdYear,
    year: int,
    rng: random.Random,
    shock: bool,
    members: list,
    *,
    registered: bool,
    newly_ill: bool,
) -> HouseholdYear:
    growth = Decimal(str(round(rng.gauss(0.12 if registered else 0.07, 0.05), 3)))
    disaster = rng.random() < 0.015
    values = {}
    for name in MONEY:
        base = getattr(prev, name) or Decimal(0)
        values[name] = max(Decimal(0), base * (1 + growth)).quantize(CENT)
    if shock:
        values["wage_income"] = (values["wage_income"] * Decimal(str(rng.uniform(0.1, 0.5)))).quantize(CENT)
    if disaster:
        values["business_income"] = (values["business_income"] * Decimal("0.4")).quantize(CENT)
    if any(m.is_deceased and m.labor_skill for m in members):
        values["wage_income"] = (values["wage_income"] * Decimal("0.5")).quantize(CENT)
    living = sum(not m.is_deceased for m in members)
    if registered and year == 2020:
        _lift(values, living, rng)
    chronic = any(m.has_serious_disease for m in members) and rng.random() < 0.05
    medical = Decimal(rng.randrange(3000, 30000) if newly_ill or chronic else rng.randrange(0, 2500))
    grade = prev.house_grade
    if grade in ("C", "D") and rng.random() < 0.4:
        grade = "B"
    elif grade in ("A", "B", "") and rng.random() < 0.006:
        grade = "C"
    return HouseholdYear(
        household_id=prev.household_id,
        year=year,
        is_demo=True,
        house_grade=grade,
        has_food_security=True,
        has_clothing_security=True,
        has_safe_drinking_water=prev.has_safe_drinking_water if rng.random() > 0.003 else False,
        schooling_expense=prev.schooling_expense,
        medical_self_paid=medical,
        had_disaster=disaster,
        disaster_note="洪涝受灾，农作物减产" if disaster else "",
        **values,
    )


def carry_forward() -> dict[str, int]:
    """Write 2018 (a copy of the registry) and every later year up to 2026; returns rows per kind."""
    households = list(Household.objects.order_by("pk"))
    people: dict[int, list[Person]] = {}
    for person in Person.objects.order_by("pk"):
        people.setdefault(person.household_id, []).append(person)
    births = {p.pk: p.birth_date for group in people.values() for p in group}
    years, members = _first_year(households, people)
    HouseholdYear.objects.bulk_create(years, batch_size=2000)
    PersonYear.objects.bulk_create(members, batch_size=2000)
    written = len(years)
    by_household: dict[int, list[PersonYear]] = {}
    for m in members:
        by_household.setdefault(m.household_id, []).append(m)
    previous = {y.household_id: y for y in years}
    for year in range(FIRST + 1, LAST + 1):
        rng = random.Random(SEED * 1000 + year)
        new_years, new_members = [], []
        for h in households:
            shock = rng.random() < 0.015
            before = by_household.get(h.pk, [])
            row = [_next_member(m, births[m.person_id], year, rng, shock) for m in before]
            newly_ill = any(
                n.has_serious_disease and not o.has_serious_disease for o, n in zip(before, row, strict=True)
            )
            new_members += row
            by_household[h.pk] = row
            registered = h.status != PovertyStatus.UNREGISTERED
            new_years.append(
                _next_year(previous[h.pk], year, rng, shock, row, registered=registered, newly_ill=newly_ill)
            )
        HouseholdYear.objects.bulk_create(new_years, batch_size=2000)
        PersonYear.objects.bulk_create(new_members, batch_size=2000)
        previous = {y.household_id: y for y in new_years}
        written += len(new_years)
    link_previous_years()
    return {"household_years": written, "person_years": PersonYear.objects.count()}


def _emergency_reports(year: int) -> int:
    """The emergency-management list of ``year``: every household with a disaster record (部门推送)."""
    reports = [
        DepartmentReport(
            household_id=household_id,
            year=year,
            department=Department.EMERGENCY,
            reason="汛期洪涝受灾（演示）",
            reported_on=datetime.date(year, 7, 15),
        )
        for household_id in HouseholdYear.objects.filter(year=year, had_disaster=True).values_list(
            "household_id", flat=True
        )
    ]
    DepartmentReport.objects.bulk_create(reports)
    return len(reports)


def build_years() -> dict[str, int]:
    """The demo's yearly figures, monitoring lines, and the handled monitoring history of 2022–2025."""
    _standards()
    counts = carry_forward()
    counts["department_reports"] = _emergency_reports(LAST)
    refresh_planner_statistics()  # the monitoring runs below join 10^5 yearly rows
    counts.update(handle_history(by=console_actor(), years=MONITORED_YEARS))
    return counts
