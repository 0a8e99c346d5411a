"""One household: its criteria explained, its card and data-quality findings, its latest stored result and
its exit procedure. Anything shown is limited to ``households_for(user)`` (404 outside)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tuopin.accounts.models import User
from tuopin.assessment.engine.batch import pack
from tuopin.assessment.engine.colours import DEFAULT_SCHEME, colour_of
from tuopin.assessment.engine.explain import Explanation, evaluate_all, explain, explain_rule
from tuopin.assessment.engine.expr import Env
from tuopin.assessment.engine.rules import DQ_RULES, EXIT_RULESET, INDICATOR_RULESET, Outcome
from tuopin.assessment.models import (
    Colour,
    ColourChange,
    ExitCase,
    HouseholdResult,
    RunKind,
    Severity,
)
from tuopin.assessment.selectors.results import is_wrongly_exited
from tuopin.assessment.selectors.summary import EXITED_FAILING
from tuopin.assessment.standards import labels, resolve
from tuopin.assessment.yearsource import year_inputs
from tuopin.registry.models import Household
from tuopin.registry.selectors import households_for

HOUSEHOLD_FIELDS = (
    "status_by_procedure",
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
    "schooling_expense",
    "medical_self_paid",
    "has_food_security",
    "has_clothing_security",
    "has_safe_drinking_water",
    "house_grade",
    "is_relocated",
    "relocation_self_funding",
    "relocation_debt",
    "main_cause",
    "other_cause_1",
    "other_cause_2",
    "status",
    "attribute",
    "responsible_cadre_id",
    "relocation_year",
)
MEMBER_FIELDS = ("id", "name", "birth_date", "schooling", "has_medical_insurance", "relation", "is_dibao")
NOT_FOUND = "没有找到该农户，或不在您的辖区内"


def household_inputs(household_id: int, *, year: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The household's row and members as the batch of ``year`` reads them (that year's figures, ADR 0080)."""
    return year_inputs(household_id, year, HOUSEHOLD_FIELDS, MEMBER_FIELDS)


def _check_visible(user: User, household: Household) -> None:
    if not households_for(user).filter(pk=household.pk).exists():
        raise Http404(NOT_FOUND)


def household_explanation(*, user: User, household: Household, year: int) -> Explanation:
    """Criterion by criterion for one household (scoped: 404 outside the user's jurisdiction)."""
    _check_visible(user, household)
    resolved, params, _ = resolve(year, household.village)
    row, members = household_inputs(household.pk, year=year)
    return explain(EXIT_RULESET, row, members, params, year=year, labels=labels(resolved))


def household_latest_result(*, household: Household, year: int) -> HouseholdResult | None:
    return (
        HouseholdResult.objects.filter(household=household, run__year=year, run__kind=RunKind.ASSESSMENT)
        .select_related("run")
        .order_by("-run_id")
        .first()
    )


@dataclass(frozen=True)
class DqFinding:
    code: str
    title: str
    severity: str
    severity_label: str
    sentence: str
    fix: str


@dataclass(frozen=True)
class HouseholdIndicators:
    colour: str
    colour_label: str
    colour_history: list[ColourChange]
    findings: list[DqFinding]


WRONGLY_EXITED_FINDING = DqFinding(
    EXITED_FAILING,
    "已脱贫户仍有标准未达标",
    Severity.CRITICAL,
    str(Severity.CRITICAL.label),
    "已标注脱贫，但按现行标准仍有判定项未达标或数据缺失，可能属于错退",
    "入户核实；确属未达标的按程序标注返贫，属数据错误的更正数据",
)


def household_indicators(*, user: User, household: Household, year: int) -> HouseholdIndicators:
    """The card and the data-quality findings of one household, from the same rule definitions as a run."""
    _check_visible(user, household)
    resolved, params, _ = resolve(year, household.village)
    row, members = household_inputs(household.pk, year=year)
    packed = pack(evaluate_all(EXIT_RULESET, row, members, params), EXIT_RULESET)
    flags = evaluate_all(INDICATOR_RULESET, row, members, params)
    colour = colour_of(household.status, packed, flags, DEFAULT_SCHEME)
    env = Env(row, tuple(members), params)
    field_labels = labels(resolved)
    findings = []
    for rule in DQ_RULES:
        if flags[rule.code] != Outcome.FAIL:
            continue
        result = explain_rule(rule, env, year=year, labels=field_labels)
        severity = Severity(rule.severity)
        findings.append(
            DqFinding(rule.code, rule.title, severity, str(severity.label), result.sentence, rule.fix)
        )
    if is_wrongly_exited(packed, household.status):
        findings.append(WRONGLY_EXITED_FINDING)
    history = list(
        ColourChange.objects.filter(household=household).select_related("run").order_by("-id")[:20]
    )
    return HouseholdIndicators(colour, str(Colour(colour).label), history, findings)


def exit_cases(*, household: Household) -> QuerySet[ExitCase]:
    return ExitCase.objects.filter(household=household).prefetch_related("steps__by").order_by("-year", "-id")
