"""Reading stored results back: the one place that decodes the packed outcome bits of ``HouseholdResult``
(two bits per rule, ``engine.batch.unpack``). Every other module, app, view or command asks these."""

from dataclasses import dataclass

from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

from tuopin.assessment.engine.batch import outcome_of_sql, unpack
from tuopin.assessment.engine.outcomes import OUTCOME_LABELS, Outcome, combine
from tuopin.assessment.engine.rules import DQ_RULES, EXIT_RULESET, INDICATOR_RULESET, RuleSet
from tuopin.assessment.models import HouseholdResult
from tuopin.registry.models import NOT_EXITED_STATUSES, PovertyStatus

EXIT_CRITERIA_TITLES: dict[str, str] = {c.code: c.title for c in EXIT_RULESET.criteria}


def rule_outcomes(outcomes: int, ruleset: RuleSet = EXIT_RULESET) -> dict[str, Outcome]:
    """A packed ``outcomes`` (or ``flags``) value → {rule code: outcome}."""
    return unpack(outcomes, ruleset)


def result_outcomes(result: HouseholdResult) -> dict[str, Outcome]:
    """The stored exit outcome of one household result, rule by rule."""
    return unpack(result.outcomes, EXIT_RULESET)


def result_flags(result: HouseholdResult) -> dict[str, Outcome]:
    """The stored colour-card and data-quality outcomes of one household result, rule by rule."""
    return unpack(result.flags, INDICATOR_RULESET)


def criterion_outcomes(outcomes: int, ruleset: RuleSet = EXIT_RULESET) -> dict[str, Outcome]:
    """A packed value → {criterion code: combined outcome of its rules}."""
    decoded = unpack(outcomes, ruleset)
    return {
        c.code: combine(decoded[rule.code] for rule in ruleset.rules_of(c.code)) for c in ruleset.criteria
    }


def is_eligible(outcomes: int, status: str) -> bool:
    """A household not yet exited whose every exit rule passes."""
    return outcomes == 0 and status in NOT_EXITED_STATUSES


def is_wrongly_exited(outcomes: int, status: str) -> bool:
    """Marked exited, yet some exit rule fails or lacks data (可能错退)."""
    return status == PovertyStatus.EXITED and outcomes != 0


def matches(result: HouseholdResult, outcomes: dict[str, Outcome]) -> bool:
    """Whether a stored result equals outcomes computed now (the household page's parity note)."""
    return result_outcomes(result) == outcomes


@dataclass(frozen=True)
class RuleLine:
    criterion: str
    rule: str
    outcome: Outcome
    label: str

    @property
    def is_met(self) -> bool:
        return self.outcome == Outcome.PASS


def result_rule_lines(result: HouseholdResult, ruleset: RuleSet = EXIT_RULESET) -> list[RuleLine]:
    """One stored result rule by rule: criterion title, rule title, outcome and its label."""
    decoded = unpack(result.outcomes, ruleset)
    titles = {c.code: c.title for c in ruleset.criteria}
    return [
        RuleLine(titles[r.criterion], r.title, decoded[r.code], OUTCOME_LABELS[decoded[r.code]])
        for r in ruleset.rules
    ]


def result_criteria(result: HouseholdResult, ruleset: RuleSet = EXIT_RULESET) -> list[dict[str, str]]:
    """One stored result as its exit criteria: code, title and the criterion's outcome (达标/未达标/数据缺失)."""
    combined = criterion_outcomes(result.outcomes, ruleset)
    return [
        {"code": c.code, "title": c.title, "outcome": OUTCOME_LABELS[combined[c.code]]}
        for c in ruleset.criteria
    ]


def rules_with(outcomes: int, outcome: Outcome, ruleset: RuleSet = EXIT_RULESET) -> list[str]:
    """Titles of the rules whose stored outcome is ``outcome``."""
    decoded = unpack(outcomes, ruleset)
    return [rule.title for rule in ruleset.rules if decoded[rule.code] == outcome]


def failing_text(outcomes: int, ruleset: RuleSet = EXIT_RULESET) -> list[str]:
    """ "criterion：rule（未达标/数据缺失）、…" for every criterion that is not met."""
    decoded = unpack(outcomes, ruleset)
    failing = []
    for c in ruleset.criteria:
        bad = [r for r in ruleset.rules_of(c.code) if decoded[r.code] != Outcome.PASS]
        if bad:
            parts = "、".join(f"{r.title}（{OUTCOME_LABELS[decoded[r.code]]}）" for r in bad)
            failing.append(f"{c.title}：{parts}")
    return failing


def outcome_changes(old: int | None, new: int, ruleset: RuleSet = EXIT_RULESET) -> list[str]:
    """ "rule：old → new" for every rule whose outcome differs between two packed values."""
    if old is None:
        return []
    before, after = unpack(old, ruleset), unpack(new, ruleset)
    return [
        f"{rule.title}：{OUTCOME_LABELS[before[rule.code]]} → {OUTCOME_LABELS[after[rule.code]]}"
        for rule in ruleset.rules
        if before[rule.code] != after[rule.code]
    ]


def dq_failures(flags: int) -> list[str]:
    """Codes of the data-quality rules a stored ``flags`` value fails."""
    decoded = unpack(flags, INDICATOR_RULESET)
    return [rule.code for rule in DQ_RULES if decoded[rule.code] == Outcome.FAIL]


def deprivation_annotations(groups: dict[str, tuple[str, ...]]) -> dict[str, RawSQL]:
    """For ``HouseholdResult`` querysets: per named group of exit rules, 1 when any rule fails, NULL when none
    fails but one lacks data, else 0 (the SQL is built from the engine's declarations only)."""
    column = f'"{HouseholdResult._meta.db_table}"."outcomes"'
    annotations = {}
    for name, codes in groups.items():
        bits = [outcome_of_sql(column, EXIT_RULESET.bit(code)) for code in codes]
        failed = " OR ".join(f"{b} = {int(Outcome.FAIL)}" for b in bits)
        unknown = " OR ".join(f"{b} = {int(Outcome.MISSING)}" for b in bits)
        sql = f"CASE WHEN {failed} THEN 1 WHEN {unknown} THEN NULL ELSE 0 END"
        annotations[name] = RawSQL(sql, [], output_field=IntegerField())  # noqa: S611
    return annotations
