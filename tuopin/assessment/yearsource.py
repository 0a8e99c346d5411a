"""The rows an exit assessment of a year reads: the current ``Household`` / ``Person`` rows with that year's
figures (``HouseholdYear`` / ``PersonYear``, the annual 信息采集) laid over them, so re-running an old year gives
the same answer after later years are recorded.

Fallback (ADR 0080): a household with no yearly row for the year is assessed on its current registration; a
member with no yearly row keeps the current member facts. Only the columns both tables share are overlaid; the
rest (identity, village, status, housing details kept only on the registration) always come from the current
row. The batch SQL and the one-household explanation read the very same subqueries, which keeps them in
parity."""

from __future__ import annotations

from typing import Any

from django.db import connection

from tuopin.assessment.engine.batch import Tables
from tuopin.registry.models import Household, HouseholdYear, Person, PersonYear

KEEP = {"id", "household_id", "is_demo"}


def _columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def _overlay(base, yearly, *, join: str, year: int, where: str = "") -> str:
    """``(SELECT …) `` with every shared column taken from the yearly row when one exists."""
    shared = set(_columns(yearly)) - KEEP
    select = [
        f"CASE WHEN y.id IS NULL THEN b.{name} ELSE y.{name} END AS {name}" if name in shared else f"b.{name}"
        for name in _columns(base)
    ]
    return (
        f"(SELECT {', '.join(select)} FROM {base._meta.db_table} b "
        f"LEFT JOIN {yearly._meta.db_table} y ON y.{join} AND y.year = {int(year)}"
        + (f" WHERE {where}" if where else "")
        + ")"
    )


def household_source(year: int, household_id: int | None = None) -> str:
    where = f"b.id = {int(household_id)}" if household_id is not None else ""
    return _overlay(Household, HouseholdYear, join="household_id = b.id", year=year, where=where)


def person_source(year: int, household_id: int | None = None) -> str:
    where = f"b.household_id = {int(household_id)}" if household_id is not None else ""
    return _overlay(Person, PersonYear, join="person_id = b.id", year=year, where=where)


def tables(year: int) -> Tables:
    return Tables(household=household_source(year), person=person_source(year), person_is_table=False)


def _dict_rows(sql: str) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def year_inputs(
    household_id: int, year: int, fields: tuple[str, ...], member_fields: tuple[str, ...]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One household's row and members for ``year``, as the batch reads them (the Python explanation)."""

    def pick(model, raw: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
        # raw cursor values (SQLite: floats, 0/1, ISO text) → the field's Python value, as the ORM gives them
        fields = [model._meta.get_field(name) for name in names]
        return {f.name: None if raw[f.column] is None else f.to_python(raw[f.column]) for f in fields}

    rows = _dict_rows(f"SELECT * FROM {household_source(year, household_id)} s")
    if not rows:
        raise Household.DoesNotExist(household_id)
    members = _dict_rows(f"SELECT * FROM {person_source(year, household_id)} s ORDER BY s.id")
    return pick(Household, rows[0], fields), [pick(Person, m, member_fields) for m in members]
