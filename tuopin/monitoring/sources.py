"""The rows the triggers read: one data year's figures beside the previous year's.

``household_source`` / ``person_source`` filtered to one household feed the Python explanation; ``batch`` gives
the same rows to the set-based SELECT (``engine.batch.compile_triggers``), shaped for speed: the year's rows are
read through the covering ``(year, household, …)`` indexes in household order, the household's previous year is
found by the same index (``year − 1``, household), and the living member count comes from the one grouped pass
over the members. A member's row carries all the batch reads of them: the birth date (a copy of
``Person.birth_date``) and the facts of the previous year (``prev_*``, the same person's row of the year before
*in the same household*; someone who joined from another household has none), both kept by the registry
(``registry.models_years``). So the members are one range of one index, joined to nothing.

The year is an integer validated by the caller and written into the SQL text (the batch binds its own
parameters in order; these subqueries bind none)."""

from __future__ import annotations

from django.db import connection

from tuopin.monitoring.engine.batch import Sources
from tuopin.monitoring.engine.triggers import INCOME_PARTS
from tuopin.registry.models import Household, HouseholdYear, Person, PersonYear
from tuopin.registry.models_years import PREVIOUS_FACTS

MONEY_COLUMNS = (*INCOME_PARTS, "business_expense", "schooling_expense", "medical_self_paid")
YEAR_COLUMNS = (*MONEY_COLUMNS, "has_food_security", "has_clothing_security", "has_safe_drinking_water")
PREV_MONEY = (*INCOME_PARTS, "business_expense")
PERSON_COLUMNS = (
    "schooling",
    "has_serious_disease",
    "is_disabled",
    "is_deceased",
    "labor_skill",
    "work_status",
    "unemployed_months",
    "is_dibao",
    "is_tekun",
)
MEMBER_COLUMNS = ("birth_date", *PERSON_COLUMNS, *(f"prev_{name}" for name in PREVIOUS_FACTS))


def _year(year: int) -> int:
    value = int(year)
    if not 2000 <= value <= 2100:
        raise ValueError("year out of range")
    return value


def household_source(year: int, household_id: int | None = None) -> str:
    """Households with a record for ``year``: id, village, status, the year's figures, ``prev_*`` money columns,
    the living member count (NULL when none) and the number of department reports of the year."""
    from tuopin.monitoring.models import DepartmentReport

    y = _year(year)
    one = f" AND household_id = {int(household_id)}" if household_id is not None else ""
    columns = ", ".join(f"y.{name}" for name in YEAR_COLUMNS)
    prev = ", ".join(f"p.{name} AS prev_{name}" for name in PREV_MONEY)
    return (
        f"(SELECT h.id AS id, h.village_id AS village_id, h.status AS status, {columns}, {prev}, "
        "NULLIF(y.house_grade, '') AS house_grade, y.had_disaster AS had_disaster, "
        "NULLIF(COALESCE(lm.living, 0), 0) AS living_members, "
        "COALESCE(dr.reports, 0) AS department_reports "
        f"FROM {Household._meta.db_table} h "
        f"JOIN {HouseholdYear._meta.db_table} y ON y.household_id = h.id AND y.year = {y} "
        f"LEFT JOIN {HouseholdYear._meta.db_table} p ON p.household_id = h.id AND p.year = {y - 1} "
        f"LEFT JOIN (SELECT household_id, COUNT(*) AS living FROM {PersonYear._meta.db_table} "
        f"WHERE year = {y}{one} AND is_deceased = {_false()} GROUP BY household_id) lm ON lm.household_id = h.id "
        f"LEFT JOIN (SELECT household_id, COUNT(*) AS reports FROM {DepartmentReport._meta.db_table} "
        f"WHERE year = {y}{one} GROUP BY household_id) dr ON dr.household_id = h.id"
        + (f" WHERE h.id = {int(household_id)})" if household_id is not None else ")")
    )


def _false() -> str:
    return "FALSE" if connection.vendor == "postgresql" else "0"


def person_source(year: int, household_id: int | None = None) -> str:
    """Members' facts of ``year`` as the batch reads them (birth date and ``prev_*`` facts of the previous year
    from the yearly row), with the member's name."""
    y = _year(year)
    columns = ", ".join(f"py.{name}" for name in MEMBER_COLUMNS)
    return (
        f"(SELECT py.household_id AS household_id, py.person_id AS person_id, pe.name AS name, {columns} "
        f"FROM {PersonYear._meta.db_table} py JOIN {Person._meta.db_table} pe ON pe.id = py.person_id "
        f"WHERE py.year = {y}"
        + (f" AND py.household_id = {int(household_id)})" if household_id is not None else ")")
    )


def _reports(y: int, span: str) -> str:
    from tuopin.monitoring.models import DepartmentReport

    return (
        f"(SELECT household_id, COUNT(*) AS reports FROM {DepartmentReport._meta.db_table} WHERE year = {y}"
        f"{span} GROUP BY household_id)"
    )


def _span(column: str, households: tuple[int, int] | None) -> str:
    """`` AND <column> BETWEEN lo AND hi`` for a range of household ids (empty for every household)."""
    if households is None:
        return ""
    low, high = (int(value) for value in households)
    return f" AND {column} BETWEEN {low} AND {high}"


def batch(year: int, households: tuple[int, int] | None = None) -> Sources:
    """The year's households and members for the batch SELECT: every household with figures for ``year``, or
    those whose id lies in ``households`` (lowest, highest; a part evaluated by one worker). The range is
    repeated on every table read, so each scan starts and stops at the part's first and last household."""
    y = _year(year)
    hy, py_table = HouseholdYear._meta.db_table, PersonYear._meta.db_table
    columns = ", ".join(f"y.{name}" for name in YEAR_COLUMNS)
    prev = ", ".join(f"p.{name} AS prev_{name}" for name in PREV_MONEY)
    households_sql = (
        f"(SELECT h.id AS id, h.village_id AS village_id, h.status AS status, {columns}, {prev}, "
        "NULLIF(y.house_grade, '') AS house_grade, y.had_disaster AS had_disaster, "
        "COALESCE(dr.reports, 0) AS department_reports "
        f"FROM {hy} y JOIN {Household._meta.db_table} h ON h.id = y.household_id{_span('h.id', households)} "
        f"LEFT JOIN {hy} p ON p.year = {y - 1} AND p.household_id = y.household_id"
        f"{_span('p.household_id', households)} "
        f"LEFT JOIN {_reports(y, _span('household_id', households))} dr ON dr.household_id = y.household_id "
        f"WHERE y.year = {y}{_span('y.household_id', households)})"
    )
    member_columns = ", ".join(f"py.{name}" for name in MEMBER_COLUMNS)
    members = (
        f"(SELECT py.household_id AS household_id, {member_columns} FROM {py_table} py "
        f"WHERE py.year = {y}{_span('py.household_id', households)}) p"
    )
    true = "TRUE" if connection.vendor == "postgresql" else "1"
    living = f"NULLIF(SUM(CASE WHEN p.is_deceased = {true} THEN 0 ELSE 1 END), 0)"
    return Sources(households=households_sql, members=members, member_columns={"living_members": living})
