"""Reads behind the assessment pages' tables: a run's household results filtered and ready to sort, the
figures of a run by township and by village, and the Chinese names of what a run stores as codes.

Every row starts from ``households_for(user)`` (through the run's stored results); the figures come from
``run_summary_for``, so a township user sees their township's figures only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404

from tuopin.accounts.models import User
from tuopin.assessment.engine.batch import outcome_of_sql
from tuopin.assessment.engine.rules import DQ_RULES, EXIT_RULESET, INDICATOR_RULES, Outcome
from tuopin.assessment.models import AssessmentRun, Colour, HouseholdResult
from tuopin.assessment.selectors import EXITED_FAILING, run_summary_for, villages_in_scope
from tuopin.assessment.selectors.results import rule_outcomes
from tuopin.regions.models import Level, Region
from tuopin.registry.models import NOT_EXITED_STATUSES, Person, PovertyStatus
from tuopin.registry.selectors import households_for

OUTCOME_CHOICES = (
    ("pass", "各项标准均达标"),
    ("fail", "有标准未达标"),
    ("missing", "无未达标但有数据缺失"),
)
STATUS_CHOICES = (("not_exited", "未脱贫（含返贫）"), *PovertyStatus.choices)
EXITED_FAILING_TITLE = "已脱贫户仍有标准未达标（可能错退）"


@dataclass(frozen=True)
class ResultFilters:
    """What the run's household table is narrowed to (every field optional)."""

    township_id: int | None = None
    village_id: int | None = None
    status: str = ""
    outcome: str = ""
    colour: str = ""
    criterion: str = ""  # a criterion code: households failing it or lacking its data
    planned: bool = False  # only the households planned to exit in the run's year


def _bits(codes: list[str]) -> list[str]:
    column = f'"{HouseholdResult._meta.db_table}"."outcomes"'
    return [outcome_of_sql(column, EXIT_RULESET.bit(code)) for code in codes]


def _any(codes: list[str], value: int) -> RawSQL:
    """1 when any of the rules has the outcome ``value`` (the SQL is built from the engine's declarations and
    integer constants only, never from the request)."""
    sql = "CASE WHEN " + " OR ".join(f"{b} = {value}" for b in _bits(codes)) + " THEN 1 ELSE 0 END"
    return RawSQL(sql, [])  # noqa: S611


def run_rows(
    *, run: AssessmentRun, user: User, filters: ResultFilters | None = None
) -> QuerySet[HouseholdResult]:
    """The run's stored results of the user's households, narrowed by ``filters``, with the columns the table
    shows (户编号, 户主, 乡镇, 村). Unordered: the table orders it."""
    filters = filters or ResultFilters()
    households = households_for(user)
    if filters.planned:
        households = households.filter(planned_exit_year=run.year)
    heads = Person.objects.filter(household_id=OuterRef("household_id"), relation="head").values("name")[:1]
    rows = HouseholdResult.objects.filter(run=run, household__in=households.values("pk")).annotate(
        household_no=F("household__household_no"),
        head_name=Subquery(heads),
        village_name=F("village__name"),
        township_name=F("village__parent__name"),
        village_path=F("village__path"),
    )
    if filters.township_id:
        rows = rows.filter(village__parent_id=filters.township_id)
    if filters.village_id:
        rows = rows.filter(village_id=filters.village_id)
    if filters.status == "not_exited":
        rows = rows.filter(status__in=NOT_EXITED_STATUSES)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.colour:
        rows = rows.filter(colour=filters.colour)
    every = [rule.code for rule in EXIT_RULESET.rules]
    if filters.outcome == "pass":
        rows = rows.filter(outcomes=0)
    elif filters.outcome == "fail":
        rows = rows.annotate(any_fail=_any(every, 1)).filter(any_fail=1)
    elif filters.outcome == "missing":
        rows = rows.annotate(any_fail=_any(every, 1), any_missing=_any(every, 2)).filter(
            any_fail=0, any_missing=1
        )
    if filters.criterion in {c.code for c in EXIT_RULESET.criteria}:
        codes = [rule.code for rule in EXIT_RULESET.rules_of(filters.criterion)]
        rows = rows.annotate(criterion_fail=_any(codes, 1), criterion_missing=_any(codes, 2)).exclude(
            criterion_fail=0, criterion_missing=0
        )
    return rows


def criteria_not_met(outcomes: int) -> list[str]:
    """One stored result's criteria that fail or lack data: "标准：判定项（未达标）、…"."""
    decoded = rule_outcomes(outcomes)
    lines = []
    for criterion in EXIT_RULESET.criteria:
        bad = [rule for rule in EXIT_RULESET.rules_of(criterion.code) if decoded[rule.code] != Outcome.PASS]
        if bad:
            parts = "、".join(
                f"{rule.title}（{'未达标' if decoded[rule.code] == Outcome.FAIL else '数据缺失'}）"
                for rule in bad
            )
            lines.append(f"{criterion.title}：{parts}")
    return lines


def outcome_label(outcomes: int) -> str:
    """达标 / 未达标 / 数据缺失 for one stored result as a whole."""
    decoded = rule_outcomes(outcomes).values()
    if Outcome.FAIL in decoded:
        return "未达标"
    return "数据缺失" if Outcome.MISSING in decoded else "达标"


# --- Chinese names of stored codes -------------------------------------------------------------------------

RULE_TITLES = {rule.code: rule.title for rule in (*EXIT_RULESET.rules, *INDICATOR_RULES)}
DQ_TITLES = {**{rule.code: rule.title for rule in DQ_RULES}, EXITED_FAILING: EXITED_FAILING_TITLE}
CRITERION_TITLES = {criterion.code: criterion.title for criterion in EXIT_RULESET.criteria}


def colour_name(code: str) -> str:
    """蓝卡 for ``blue``; an empty or unknown code reads 无法判定."""
    return str(Colour(code).label) if code in Colour.values else str(Colour.UNKNOWN.label)


def rule_version_label(fingerprint: str) -> str:
    """``v1-94cfbaa704`` → 第1版."""
    number = fingerprint[1:].split("-", 1)[0] if fingerprint.startswith("v") else ""
    return f"第{number}版" if number.isdigit() else "版本未记录"


def rule_versions(run: AssessmentRun) -> list[dict]:
    """The rules a run used, by title, with their readable version (and the fingerprint for a tooltip)."""
    return [
        {
            "title": RULE_TITLES.get(code, "（已删除的判定项）"),
            "version": rule_version_label(v),
            "fingerprint": v,
        }
        for code, v in run.rule_versions.items()
    ]


# --- figures by township and by village ----------------------------------------------------------------------

FIGURES = ("households", "people", "not_exited", "eligible", "remaining_poor_people")


@dataclass
class AreaFigures:
    region: Region
    households: int = 0
    people: int = 0
    not_exited: int = 0
    eligible: int = 0
    remaining_poor_people: int = 0

    def add(self, figures: dict) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + int(figures.get(name, 0) or 0))


def village_figures(*, run: AssessmentRun, user: User, township: Region | None = None, summary=None) -> list:
    """Each village in the user's scope (of ``township``) with its figures in the run."""
    summary = summary if summary is not None else run_summary_for(run=run, user=user)
    villages = villages_in_scope(user=user).select_related("parent")
    if township is not None:
        villages = villages.filter(parent=township)
    result = []
    for village in villages:
        figures = summary.get("villages", {}).get(str(village.pk))
        if figures:
            row = AreaFigures(village)
            row.add(figures)
            result.append(row)
    return result


def township_figures(*, run: AssessmentRun, user: User, summary=None) -> list[AreaFigures]:
    """Each township in the user's scope with the sum of its villages' figures in the run."""
    townships: dict[int, AreaFigures] = {}
    for row in village_figures(run=run, user=user, summary=summary):
        township = row.region.parent
        if township is None:
            continue
        townships.setdefault(township.pk, AreaFigures(township)).add(
            {name: getattr(row, name) for name in FIGURES}
        )
    return sorted(townships.values(), key=lambda t: t.region.path)


def township_in_scope(*, user: User, pk: int) -> Region:
    """A township holding households of the user's scope, or 404."""
    township = Region.objects.filter(pk=pk, level=Level.TOWNSHIP).first()
    if township is None or not villages_in_scope(user=user).filter(parent=township).exists():
        raise Http404("没有找到该乡镇，或不在您的辖区内")
    return township


def filter_regions(*, user: User) -> tuple[list[Region], list[Region]]:
    """The townships and villages the user may filter the tables by."""
    villages = list(villages_in_scope(user=user).select_related("parent"))
    townships = {v.parent.pk: v.parent for v in villages if v.parent is not None}
    return sorted(townships.values(), key=lambda t: t.path), villages
