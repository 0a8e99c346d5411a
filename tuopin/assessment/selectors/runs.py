"""Runs and their stored rows: the latest run of a year, the list, a run's results for the API and the
households whose results differ between two runs."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from tuopin.accounts.models import User
from tuopin.assessment.models import AssessmentRun, HouseholdResult, RunKind
from tuopin.assessment.selectors.results import is_eligible, outcome_changes
from tuopin.registry.models import Household
from tuopin.registry.selectors import households_for


def latest_run(*, year: int) -> AssessmentRun | None:
    return AssessmentRun.objects.filter(year=year, kind=RunKind.ASSESSMENT, region__isnull=True).first()


def run_list(*, year: int | None = None) -> QuerySet[AssessmentRun]:
    qs = AssessmentRun.objects.filter(kind=RunKind.ASSESSMENT).select_related("created_by", "region")
    return qs.filter(year=year) if year else qs


def run_results(*, run: AssessmentRun, user: User) -> QuerySet[HouseholdResult]:
    """The run's stored household results that the user may see, in household order."""
    return (
        HouseholdResult.objects.filter(run=run, household__in=households_for(user).values("pk"))
        .select_related("household", "village")
        .order_by("household_id")
    )


@dataclass(frozen=True)
class DiffRow:
    household_id: int
    household_no: str
    old_status: str | None
    new_status: str | None
    old_eligible: bool | None
    new_eligible: bool | None
    changed_rules: list[str] = field(default_factory=list)  # "规则：旧 → 新"


def _diff_rows(
    old: AssessmentRun, new: AssessmentRun
) -> list[tuple[int, str, str | None, str, int | None, int]]:
    table = HouseholdResult._meta.db_table
    households = Household._meta.db_table
    sql = f"""
        SELECT n.household_id, hh.household_no, o.status, n.status, o.outcomes, n.outcomes
        FROM (SELECT household_id, status, outcomes FROM {table} WHERE run_id = %s) n
        LEFT JOIN (SELECT household_id, status, outcomes FROM {table} WHERE run_id = %s) o
               ON o.household_id = n.household_id
        JOIN {households} hh ON hh.id = n.household_id
        WHERE o.household_id IS NULL OR o.outcomes <> n.outcomes OR o.status <> n.status
        ORDER BY hh.household_no
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [new.pk, old.pk])
        return cursor.fetchall()


def run_diff(
    *, old: AssessmentRun, new: AssessmentRun, user: User | None = None, limit: int = 1000
) -> list[DiffRow]:
    """Households whose outcomes or status differ between two runs, and which rules changed (one join)."""
    allowed = set(households_for(user).values_list("pk", flat=True)) if user is not None else None
    result = []
    for household_id, no, old_status, new_status, old_out, new_out in _diff_rows(old, new):
        if allowed is not None and household_id not in allowed:
            continue
        result.append(
            DiffRow(
                household_id,
                no,
                old_status,
                new_status,
                None if old_out is None or old_status is None else is_eligible(old_out, old_status),
                is_eligible(new_out, new_status),
                outcome_changes(old_out, new_out),
            )
        )
        if len(result) >= limit:
            break
    return result
