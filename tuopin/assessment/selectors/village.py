"""A village in a run: its exit indicators (engine rules ``VILLAGE_RULESET`` judged by the run's own stored
standards), its households' stored results, its data-quality scorecard and worklist."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from tuopin.accounts.models import User
from tuopin.assessment.engine.areas import AreaResult, area_outcome, explain_area, stored_params
from tuopin.assessment.engine.rules import DQ_RULES, VILLAGE_RULESET, Outcome
from tuopin.assessment.models import AssessmentRun, HouseholdResult, SamplingCheck, Severity, VillageRecord
from tuopin.assessment.selectors.results import dq_failures, is_wrongly_exited, rules_with
from tuopin.assessment.selectors.summary import EXITED_FAILING, run_summary_for
from tuopin.regions.models import Region
from tuopin.registry.models import NOT_EXITED_STATUSES, Household
from tuopin.registry.selectors import households_for

Indicator = AreaResult  # one village or county indicator: code, title, outcome, value, threshold, formula

VILLAGE_LABELS = {
    Outcome.PASS: "达到出列标准",
    Outcome.FAIL: "未达到出列标准",
    Outcome.MISSING: "数据缺失，无法判定",
}


@dataclass(frozen=True)
class VillageStatus:
    village_id: int
    name: str
    is_poor_village: bool
    exited_year: int | None
    indicators: list[Indicator]

    @property
    def outcome(self) -> Outcome:
        return area_outcome(self.indicators)

    @property
    def label(self) -> str:
        if self.exited_year:
            return f"已于{self.exited_year}年出列"
        if not self.is_poor_village:
            return "非贫困村"
        return VILLAGE_LABELS[self.outcome]


SAMPLING_SUMS = {
    "registered_checked": Sum("registered_checked"),
    "mis_included": Sum("mis_included"),
    "unregistered_checked": Sum("unregistered_checked"),
    "missed": Sum("missed"),
    "exited_checked": Sum("exited_checked"),
    "mis_exited": Sum("mis_exited"),
}


def village_figures(*, run: AssessmentRun, village: Region, summary: dict[str, Any]) -> dict[str, Any]:
    """What the village indicators read: counts from the run's stored results (``summary``), the village's
    year record and the sums of its sampling checks of the run's year."""
    counted = summary.get("villages", {}).get(str(village.pk), {})
    record = VillageRecord.objects.filter(village=village, year=run.year).first()
    checks = SamplingCheck.objects.filter(village=village, year=run.year).aggregate(**SAMPLING_SUMS)
    return {
        "population": (record.rural_population if record else None) or counted.get("people", 0),
        "remaining_poor_people": counted.get("remaining_poor_people", 0),
        "collective_income": record.collective_income if record else None,
        "has_work_team": record.has_work_team if record else None,
        "has_first_secretary": record.has_first_secretary if record else None,
        "households_without_cadre": counted.get("dq", {}).get("dq_cadre_assigned", 0),
        "not_exited": counted.get("not_exited", 0),
        **checks,
    }


def village_status(
    *, run: AssessmentRun, village: Region, user: User | None = None, summary: dict[str, Any] | None = None
) -> VillageStatus:
    """Village exit indicators (规划一(二)6) from the run's stored results and standards and the village's
    records; given ``user``, household figures cover only their households (``summary``: ``run_summary_for``
    already computed for that user)."""
    if summary is None:
        summary = run_summary_for(run=run, user=user) if user is not None else run.summary
    figures = village_figures(run=run, village=village, summary=summary)
    results = explain_area(VILLAGE_RULESET, figures, stored_params(run.standards, VILLAGE_RULESET))
    return VillageStatus(
        village.pk, village.name, village.is_poor_village, village.poor_village_exit_year, list(results)
    )


def villages_in_scope(*, user: User) -> QuerySet[Region]:
    """Villages the user may see (those holding households in the user's jurisdiction)."""
    ids = households_for(user).values("village_id")
    return Region.objects.filter(pk__in=ids).annotate(n=Count("households")).order_by("path")


@dataclass(frozen=True)
class VillageRow:
    household: Household
    eligible: bool
    failing: list[str]  # titles of the rules not met
    missing: list[str]  # titles of the rules without the data to decide


def village_rows(*, run: AssessmentRun, village: Region, user: User) -> list[VillageRow]:
    """The village's households not yet exited (in the user's jurisdiction) with their stored result."""
    results = (
        HouseholdResult.objects.filter(
            run=run,
            village=village,
            household__in=households_for(user).values("pk"),
            status__in=NOT_EXITED_STATUSES,
        )
        .select_related("household")
        .order_by("household__household_no")
    )
    return [
        VillageRow(
            result.household,
            result.outcomes == 0,
            rules_with(result.outcomes, Outcome.FAIL),
            rules_with(result.outcomes, Outcome.MISSING),
        )
        for result in results
    ]


def _share(n: int, households: int) -> Decimal | None:
    """``n`` as a percentage of ``households`` (two decimals; None without households)."""
    if not households:
        return None
    return (Decimal(n) * 100 / Decimal(households)).quantize(Decimal("0.01"))


def village_scorecard(
    *, run: AssessmentRun, village: Region, summary: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Data-quality counts of one village in a run: rule, severity, households failing, share, fix
    (``summary``: the run's summary as the user may see it; default the stored one)."""
    figures = (summary or run.summary).get("villages", {}).get(str(village.pk), {})
    counts = figures.get("dq", {})
    households = figures.get("households", 0) or 0
    entries = [(rule.code, rule.title, Severity(rule.severity), rule.fix) for rule in DQ_RULES]
    entries.append(
        (
            EXITED_FAILING,
            "已脱贫户仍有标准未达标（可能错退）",
            Severity.CRITICAL,
            "入户核实，确属未达标的按程序标注返贫",
        )
    )
    rows = []
    for code, title, severity, fix in entries:
        n = counts.get(code, 0) or 0
        rows.append(
            {
                "code": code,
                "title": title,
                "severity": severity,
                "severity_label": severity.label,
                "count": n,
                "share": _share(n, households),
                "fix": fix,
            }
        )
    return rows


def village_worklist(
    *, run: AssessmentRun, village: Region, user: User, limit: int = 300
) -> list[dict[str, Any]]:
    """Households of the village with data-quality failures (in the user's jurisdiction), worst first."""
    rows = (
        HouseholdResult.objects.filter(
            run=run, village=village, household__in=households_for(user).values("pk")
        )
        .select_related("household")
        .order_by("household__household_no")
    )
    rules = {rule.code: rule for rule in DQ_RULES}
    result: list[dict[str, Any]] = []
    for row in rows.iterator():
        failing = [rules[code] for code in dq_failures(row.flags)]
        wrongly_exited = is_wrongly_exited(row.outcomes, row.status)
        titles = (["已脱贫户仍有标准未达标"] if wrongly_exited else []) + [r.title for r in failing]
        if titles:
            critical = wrongly_exited or any(r.severity == Severity.CRITICAL for r in failing)
            result.append({"household": row.household, "problems": titles, "critical": critical})
    result.sort(key=lambda item: (not item["critical"], item["household"].household_no))
    return result[:limit]
