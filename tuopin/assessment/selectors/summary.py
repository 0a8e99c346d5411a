"""Run summaries: one statement over a run's stored rows, grouped by village and status, giving per rule and
criterion the households not yet exited that pass, fail or lack data, those eligible to exit, the five-colour
cards and the data-quality findings per village; scoped to a user's households when asked."""

from typing import Any

from django.db import connection

from tuopin.accounts.models import User
from tuopin.assessment.engine.batch import outcome_of_sql
from tuopin.assessment.engine.rules import DQ_RULES, EXIT_RULESET, INDICATOR_RULESET, RuleSet
from tuopin.assessment.models import AssessmentRun, Colour, HouseholdResult
from tuopin.assessment.selectors.scope import household_scope_sql, sees_every_household
from tuopin.registry.models import NOT_EXITED_STATUSES, PovertyStatus

NOT_EXITED = NOT_EXITED_STATUSES

EXITED_FAILING = "dq_exited_failing"
COLOUR_VALUES: tuple[str, ...] = tuple(Colour.values)


def _summary_columns(ruleset: RuleSet) -> tuple[list[str], list[str]]:
    """(names, SQL aggregates) of the summary over pre-grouped rows (``n`` households, ``people``)."""
    names, columns = (
        ["households", "people", "eligible", "remaining_people"],
        [
            "SUM(n)",
            "SUM(people)",
            "SUM(CASE WHEN outcomes = 0 THEN n ELSE 0 END)",
            "SUM(CASE WHEN outcomes <> 0 THEN people ELSE 0 END)",
        ],
    )
    bit = {rule.code: outcome_of_sql("outcomes", index) for index, rule in enumerate(ruleset.rules)}
    for rule in ruleset.rules:
        names += [f"rule:{rule.code}:fail", f"rule:{rule.code}:missing"]
        columns += [
            f"SUM(CASE WHEN {bit[rule.code]} = 1 THEN n ELSE 0 END)",
            f"SUM(CASE WHEN {bit[rule.code]} = 2 THEN n ELSE 0 END)",
        ]
    for criterion in ruleset.criteria:
        bits = [bit[rule.code] for rule in ruleset.rules_of(criterion.code)]
        any_fail = " OR ".join(f"{b} = 1" for b in bits)
        any_missing = " OR ".join(f"{b} = 2" for b in bits)
        names += [f"criterion:{criterion.code}:fail", f"criterion:{criterion.code}:missing"]
        columns += [
            f"SUM(CASE WHEN {any_fail} THEN n ELSE 0 END)",
            f"SUM(CASE WHEN NOT ({any_fail}) AND ({any_missing}) THEN n ELSE 0 END)",
        ]
    for colour in COLOUR_VALUES:
        names.append(f"colour:{colour}")
        columns.append(f"SUM(CASE WHEN colour = '{colour}' THEN n ELSE 0 END)")
    for rule in DQ_RULES:
        names.append(f"dq:{rule.code}")
        columns.append(
            f"SUM(CASE WHEN {outcome_of_sql('flags', INDICATOR_RULESET.bit(rule.code))} = 1 THEN n ELSE 0 END)"
        )
    names.append(f"dq:{EXITED_FAILING}")
    columns.append(
        f"SUM(CASE WHEN status = '{PovertyStatus.EXITED.value}' AND outcomes <> 0 THEN n ELSE 0 END)"
    )
    return names, columns


def run_summary_for(*, run: AssessmentRun, user: User, ruleset: RuleSet = EXIT_RULESET) -> dict[str, Any]:
    """The run's summary as ``user`` may see it: the stored county-wide summary for users who see every
    household, otherwise the same figures computed from the run's stored results of the user's households."""
    if sees_every_household(user):
        return run.summary
    return run_summary_compute(run=run, ruleset=ruleset, user=user)


def _stored_groups(run: AssessmentRun, columns: list[str], user: User | None) -> list[tuple[Any, ...]]:
    table = HouseholdResult._meta.db_table
    scope_sql, scope_params = household_scope_sql(user) if user is not None else ("", [])
    scope_where = f" AND household_id IN ({scope_sql})" if scope_sql else ""
    with connection.cursor() as cursor:
        # group the run's rows by everything the figures depend on first (one sort, no per-row CASE work),
        # then evaluate the conditional sums over the far fewer groups
        cursor.execute(
            f"SELECT village_id, status, {', '.join(columns)} FROM ("
            f"SELECT village_id, status, outcomes, flags, colour, COUNT(*) AS n, SUM(member_count) AS people "
            f"FROM {table} WHERE run_id = %s{scope_where} GROUP BY village_id, status, outcomes, flags, colour) g "
            "GROUP BY village_id, status",
            [run.pk, *scope_params],
        )
        return cursor.fetchall()


def _new_village(dq_codes: list[str]) -> dict[str, Any]:
    return {
        "households": 0,
        "people": 0,
        "not_exited": 0,
        "eligible": 0,
        "remaining_poor_people": 0,
        "colours": {},
        "dq": dict.fromkeys(dq_codes, 0),
    }


class _Totals:
    """The figures being summed over the groups of one summary statement."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.rules = {rule.code: {"pass": 0, "fail": 0, "missing": 0} for rule in ruleset.rules}
        self.criteria = {c.code: {"pass": 0, "fail": 0, "missing": 0} for c in ruleset.criteria}
        self.by_status: dict[str, int] = {}
        self.colours: dict[str, int] = {}
        self.dq = dict.fromkeys([*(r.code for r in DQ_RULES), EXITED_FAILING], 0)
        self.villages: dict[int, dict[str, Any]] = {}
        self.total = self.eligible = 0

    def add(self, village_id: int, status: str, row: dict[str, int]) -> None:
        households = row["households"]
        self.total += households
        self.by_status[status] = self.by_status.get(status, 0) + households
        village = self.villages.setdefault(village_id, _new_village(list(self.dq)))
        village["households"] += households
        village["people"] += row["people"]
        for colour in COLOUR_VALUES:
            if row[f"colour:{colour}"]:
                village["colours"][colour] = village["colours"].get(colour, 0) + row[f"colour:{colour}"]
                self.colours[colour] = self.colours.get(colour, 0) + row[f"colour:{colour}"]
        for code in self.dq:
            village["dq"][code] += row[f"dq:{code}"]
            self.dq[code] += row[f"dq:{code}"]
        if status in NOT_EXITED:
            self._add_not_exited(village, row)

    def _add_not_exited(self, village: dict[str, Any], row: dict[str, int]) -> None:
        households = row["households"]
        village["not_exited"] += households
        village["eligible"] += row["eligible"]
        village["remaining_poor_people"] += row["remaining_people"]
        self.eligible += row["eligible"]
        for kind, target in (("rule", self.rules), ("criterion", self.criteria)):
            for code, counts in target.items():
                fail, missing = row[f"{kind}:{code}:fail"], row[f"{kind}:{code}:missing"]
                counts["fail"] += fail
                counts["missing"] += missing
                counts["pass"] += households - fail - missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "households": self.total,
            "colours": self.colours,
            "dq": self.dq,
            "by_status": self.by_status,
            "not_exited": sum(self.by_status.get(s, 0) for s in NOT_EXITED),
            "eligible_to_exit": self.eligible,
            "rules": self.rules,
            "criteria": self.criteria,
            "villages": {str(k): v for k, v in self.villages.items()},
        }


def run_summary_compute(
    *, run: AssessmentRun, ruleset: RuleSet = EXIT_RULESET, user: User | None = None
) -> dict[str, Any]:
    """Counts stored with the run, from one statement over its stored rows grouped by village and status:
    per rule and criterion among households not yet exited, households eligible to exit, five-colour
    cards and data-quality findings per village. Given ``user``, only the rows of their households."""
    names, columns = _summary_columns(ruleset)
    totals = _Totals(ruleset)
    for village_id, status, *values in _stored_groups(run, columns, user):
        totals.add(
            village_id, status, {name: int(value or 0) for name, value in zip(names, values, strict=True)}
        )
    return totals.as_dict()
