"""Reads of runs and results. Anything shown to a user is limited by ``households_for(user)``."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.assessment.engine.batch import outcome_of_sql, unpack
from tuopin.assessment.engine.explain import Explanation, explain
from tuopin.assessment.engine.rules import (
    DQ_RULES,
    EXIT_RULESET,
    INDICATOR_RULESET,
    OUTCOME_LABELS,
    Outcome,
    RuleSet,
)
from tuopin.assessment.models import (
    AssessmentRun,
    HouseholdResult,
    RunKind,
    SamplingCheck,
    SatisfactionSurvey,
    VillageRecord,
)
from tuopin.assessment.standards import labels, resolve
from tuopin.registry.models import Household
from tuopin.registry.selectors import households_for

NOT_EXITED = ("poor", "relapsed")
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


# --- one household ---------------------------------------------------------------------------------------


def household_inputs(household_id: int, *, year: int) -> tuple[dict, list[dict]]:
    """The household's row and members as the batch of ``year`` reads them (that year's figures, ADR 0080)."""
    from tuopin.assessment.yearsource import year_inputs

    return year_inputs(household_id, year, HOUSEHOLD_FIELDS, MEMBER_FIELDS)


def household_explanation(*, user: User, household: Household, year: int) -> Explanation:
    """Criterion by criterion for one household (scoped: 404 outside the user's jurisdiction)."""
    from django.http import Http404

    if not households_for(user).filter(pk=household.pk).exists():
        raise Http404("没有找到该农户，或不在您的辖区内")
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


# --- runs ------------------------------------------------------------------------------------------------


def latest_run(*, year: int) -> AssessmentRun | None:
    return AssessmentRun.objects.filter(year=year, kind=RunKind.ASSESSMENT, region__isnull=True).first()


def run_list(*, year: int | None = None):
    qs = AssessmentRun.objects.filter(kind=RunKind.ASSESSMENT).select_related("created_by", "region")
    return qs.filter(year=year) if year else qs


EXITED_FAILING = "dq_exited_failing"
COLOUR_VALUES = ("red", "blue", "purple", "yellow", "green", "none", "unknown")


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
    columns.append("SUM(CASE WHEN status = 'exited' AND outcomes <> 0 THEN n ELSE 0 END)")
    return names, columns


def sees_every_household(user: User) -> bool:
    """Whether the user's jurisdiction is the whole installation: no region limit, or the region is the
    only county there is (a cheap test on regions, so stored county-wide figures can be shown as they are)."""
    from tuopin.regions.models import Level, Region

    scope = scope_for(user)
    if scope.everything:
        return True
    if scope.cadre_id is not None or not scope.region_path:
        return False
    counties = list(Region.objects.filter(level=Level.COUNTY).values_list("path", flat=True)[:2])
    return counties == [scope.region_path]


def household_scope_sql(user: User) -> tuple[str, list]:
    """A subquery of the ids of the households ``user`` may see, for raw statements (``""`` when the user
    sees every household, so no filter is needed)."""
    if sees_every_household(user):
        return "", []
    sql, params = households_for(user).values("pk").query.sql_with_params()
    return sql, list(params)


def run_summary_for(*, run: AssessmentRun, user: User, ruleset: RuleSet = EXIT_RULESET) -> dict:
    """The run's summary as ``user`` may see it: the stored county-wide summary for users who see every
    household, otherwise the same figures computed from the run's stored results of the user's households."""
    if sees_every_household(user):
        return run.summary
    return run_summary_compute(run=run, ruleset=ruleset, user=user)


def run_summary_compute(
    *, run: AssessmentRun, ruleset: RuleSet = EXIT_RULESET, user: User | None = None
) -> dict:
    """Counts stored with the run, from one statement over its stored rows grouped by village and status:
    per rule and criterion among households not yet exited, households eligible to exit, five-colour
    cards and data-quality findings per village. Given ``user``, only the rows of their households."""
    names, columns = _summary_columns(ruleset)
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
        groups = cursor.fetchall()
    rules = {rule.code: {"pass": 0, "fail": 0, "missing": 0} for rule in ruleset.rules}
    criteria = {c.code: {"pass": 0, "fail": 0, "missing": 0} for c in ruleset.criteria}
    by_status: dict[str, int] = {}
    colours: dict[str, int] = {}
    dq_totals = dict.fromkeys([*(r.code for r in DQ_RULES), EXITED_FAILING], 0)
    villages: dict[int, dict] = {}
    total = eligible = 0
    for village_id, status, *values in groups:
        row = {name: int(value or 0) for name, value in zip(names, values, strict=True)}
        households = row["households"]
        total += households
        by_status[status] = by_status.get(status, 0) + households
        village = villages.setdefault(
            village_id,
            {
                "households": 0,
                "people": 0,
                "not_exited": 0,
                "eligible": 0,
                "remaining_poor_people": 0,
                "colours": {},
                "dq": dict.fromkeys(dq_totals, 0),
            },
        )
        village["households"] += households
        village["people"] += row["people"]
        for colour in COLOUR_VALUES:
            if row[f"colour:{colour}"]:
                village["colours"][colour] = village["colours"].get(colour, 0) + row[f"colour:{colour}"]
                colours[colour] = colours.get(colour, 0) + row[f"colour:{colour}"]
        for code in dq_totals:
            village["dq"][code] += row[f"dq:{code}"]
            dq_totals[code] += row[f"dq:{code}"]
        if status not in NOT_EXITED:
            continue
        village["not_exited"] += households
        village["eligible"] += row["eligible"]
        village["remaining_poor_people"] += row["remaining_people"]
        eligible += row["eligible"]
        for kind, target in (("rule", rules), ("criterion", criteria)):
            for code, counts in target.items():
                fail, missing = row[f"{kind}:{code}:fail"], row[f"{kind}:{code}:missing"]
                counts["fail"] += fail
                counts["missing"] += missing
                counts["pass"] += households - fail - missing
    return {
        "households": total,
        "colours": colours,
        "dq": dq_totals,
        "by_status": by_status,
        "not_exited": sum(by_status.get(s, 0) for s in NOT_EXITED),
        "eligible_to_exit": eligible,
        "rules": rules,
        "criteria": criteria,
        "villages": {str(k): v for k, v in villages.items()},
    }


def _combine(outcomes: list[Outcome]) -> Outcome:
    if Outcome.FAIL in outcomes:
        return Outcome.FAIL
    if Outcome.MISSING in outcomes:
        return Outcome.MISSING
    return Outcome.PASS


@dataclass(frozen=True)
class PlanHousehold:
    household_id: int
    household_no: str
    head_name: str
    village: str
    status: str
    eligible: bool
    failing: list[str]  # "criterion title：未达标/数据缺失（rule titles）"


def exit_plan(
    *, run: AssessmentRun, user: User | None = None, ruleset: RuleSet = EXIT_RULESET
) -> list[PlanHousehold]:
    """Households planned to exit in the run's year, with the criteria that still fail or lack data."""
    households = households_for(user) if user is not None else Household.objects.all()
    rows = (
        HouseholdResult.objects.filter(
            run=run, household__in=households.filter(planned_exit_year=run.year).values("pk")
        )
        .select_related("household__village")
        .order_by("household__household_no")
    )
    from tuopin.registry.models import Person

    heads = dict(
        Person.objects.filter(relation="head", household__planned_exit_year=run.year).values_list(
            "household_id", "name"
        )
    )
    result = []
    for row in rows:
        decoded = unpack(row.outcomes, ruleset)
        failing = []
        for c in ruleset.criteria:
            bad = [r for r in ruleset.rules_of(c.code) if decoded[r.code] != Outcome.PASS]
            if bad:
                parts = "、".join(
                    f"{r.title}（{'未达标' if decoded[r.code] == Outcome.FAIL else '数据缺失'}）" for r in bad
                )
                failing.append(f"{c.title}：{parts}")
        result.append(
            PlanHousehold(
                row.household_id,
                row.household.household_no,
                heads.get(row.household_id, ""),
                row.household.village.name,
                row.status,
                row.outcomes == 0 and row.status in NOT_EXITED,
                failing,
            )
        )
    return result


@dataclass(frozen=True)
class DiffRow:
    household_id: int
    household_no: str
    old_status: str | None
    new_status: str | None
    old_eligible: bool | None
    new_eligible: bool | None
    changed_rules: list[str] = field(default_factory=list)  # "规则：旧 → 新"


def run_diff(
    *, old: AssessmentRun, new: AssessmentRun, user: User | None = None, limit: int = 1000
) -> list[DiffRow]:
    """Households whose outcomes or status differ between two runs, and which rules changed (one join)."""
    table = HouseholdResult._meta.db_table
    households = Household._meta.db_table
    scope_ids = None
    if user is not None:
        scope_ids = households_for(user).values("pk")
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
        raw = cursor.fetchall()
    allowed = set(scope_ids.values_list("pk", flat=True)) if scope_ids is not None else None
    labels_ = {"0": "达标", "1": "未达标", "2": "数据缺失"}
    result = []
    for household_id, no, old_status, new_status, old_out, new_out in raw:
        if allowed is not None and household_id not in allowed:
            continue
        changed = []
        if old_out is not None:
            before, after = unpack(old_out, EXIT_RULESET), unpack(new_out, EXIT_RULESET)
            for rule in EXIT_RULESET.rules:
                if before[rule.code] != after[rule.code]:
                    old_label, new_label = (
                        labels_[str(int(before[rule.code]))],
                        labels_[str(int(after[rule.code]))],
                    )
                    changed.append(f"{rule.title}：{old_label} → {new_label}")
        result.append(
            DiffRow(
                household_id,
                no,
                old_status,
                new_status,
                None if old_out is None else (old_out == 0 and old_status in NOT_EXITED),
                new_out == 0 and new_status in NOT_EXITED,
                changed,
            )
        )
        if len(result) >= limit:
            break
    return result


# --- villages and county -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    outcome: Outcome
    value: str
    threshold: str
    formula: str


@dataclass(frozen=True)
class VillageStatus:
    village_id: int
    name: str
    is_poor_village: bool
    exited_year: int | None
    indicators: list[Indicator]

    @property
    def outcome(self) -> Outcome:
        return _combine([i.outcome for i in self.indicators])

    @property
    def label(self) -> str:
        if self.exited_year:
            return f"已于{self.exited_year}年出列"
        if not self.is_poor_village:
            return "非贫困村"
        return {
            Outcome.PASS: "达到出列标准",
            Outcome.FAIL: "未达到出列标准",
            Outcome.MISSING: "数据缺失，无法判定",
        }[self.outcome]


def _pct(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))


def _compare(value: Decimal | None, limit: Decimal | None, *, at_most: bool) -> Outcome:
    if value is None or limit is None:
        return Outcome.MISSING
    ok = value <= limit if at_most else value >= limit
    return Outcome.PASS if ok else Outcome.FAIL


def _fmt(value, unit: str = "") -> str:
    return "（无数据）" if value is None else f"{value}{unit}"


def village_status(
    *, run: AssessmentRun, village, user: User | None = None, summary: dict | None = None
) -> VillageStatus:
    """Village exit indicators (规划一(二)6) from the run's stored results and the village's records; given
    ``user``, household figures cover only their households (``summary``: ``run_summary_for`` already
    computed for that user)."""
    _, params, _ = resolve(run.year, village)
    if summary is None:
        summary = run_summary_for(run=run, user=user) if user is not None else run.summary
    figures = summary.get("villages", {}).get(str(village.pk), {})
    record = VillageRecord.objects.filter(village=village, year=run.year).first()
    people = (record.rural_population if record and record.rural_population else None) or figures.get(
        "people", 0
    )
    remaining = figures.get("remaining_poor_people", 0)
    incidence = _pct(remaining, people)
    indicators = [
        Indicator(
            "incidence",
            "综合贫困发生率",
            _compare(incidence, params.get("village_incidence_max"), at_most=True),
            _fmt(incidence, "%"),
            f"≤ {_fmt(params.get('village_incidence_max'), '%')}",
            f"未脱贫人口（评估后仍未达标的未脱贫户人口 {remaining} 人）÷ 农村户籍人口（{people} 人）× 100%",
        )
    ]
    income = record.collective_income if record else None
    indicators.append(
        Indicator(
            "collective_income",
            "村集体经济收入",
            _compare(income, params.get("village_collective_income_min"), at_most=False),
            _fmt(income, " 元"),
            f"≥ {_fmt(params.get('village_collective_income_min'), ' 元')}（规划：2—5万元）",
            "村年度情况登记的当年集体经济收入",
        )
    )
    team = (
        None
        if record is None or record.has_work_team is None or record.has_first_secretary is None
        else (record.has_work_team and record.has_first_secretary)
    )
    indicators.append(
        Indicator(
            "work_team",
            "驻村工作队和第一书记",
            Outcome.MISSING if team is None else (Outcome.PASS if team else Outcome.FAIL),
            "（无数据）" if team is None else ("均已派驻" if team else "未全部派驻"),
            "有县以上派驻的扶贫工作队和第一书记",
            "村年度情况登记",
        )
    )
    households = households_for(user) if user is not None else Household.objects.all()
    poor = households.filter(village=village, status__in=NOT_EXITED)
    without_cadre = poor.filter(responsible_cadre__isnull=True).count()
    indicators.append(
        Indicator(
            "cadre",
            "每个贫困户有帮扶责任人",
            Outcome.PASS if without_cadre == 0 else Outcome.FAIL,
            f"{without_cadre} 户未落实帮扶责任人（共 {poor.count()} 户）",
            "0 户",
            "未脱贫户中帮扶责任人为空的户数",
        )
    )
    checks = SamplingCheck.objects.filter(village=village, year=run.year).aggregate(
        reg=Sum("registered_checked"),
        wrong=Sum("mis_included"),
        unreg=Sum("unregistered_checked"),
        missed=Sum("missed"),
    )
    limit = params.get("village_sampling_error_max")
    for code, title, num, den, formula in (
        (
            "mis_included_rate",
            "抽查错评率",
            checks["wrong"],
            checks["reg"],
            "错评人口数 ÷ 抽查建档立卡人口数 × 100%",
        ),
        (
            "missed_rate",
            "抽查漏评率",
            checks["missed"],
            checks["unreg"],
            "漏评人口数 ÷ 抽查未建档立卡人口数 × 100%",
        ),
    ):
        rate = _pct(num or 0, den or 0) if den else None
        indicators.append(
            Indicator(
                code,
                title,
                _compare(rate, limit, at_most=True),
                _fmt(rate, "%"),
                f"≤ {_fmt(limit, '%')}",
                formula,
            )
        )
    return VillageStatus(
        village.pk, village.name, village.is_poor_village, village.poor_village_exit_year, indicators
    )


def county_indicators(*, run: AssessmentRun) -> list[Indicator]:
    """County indicators (规划一(二)6 扶贫开发成效考核) from the run and recorded checks and surveys."""
    _, params, _ = resolve(run.year, run.region)
    villages = run.summary.get("villages", {})
    people = sum(v.get("people", 0) for v in villages.values())
    remaining = sum(v.get("remaining_poor_people", 0) for v in villages.values())
    incidence = _pct(remaining, people)
    result = [
        Indicator(
            "incidence",
            "综合贫困发生率",
            _compare(incidence, params.get("village_incidence_max"), at_most=True),
            _fmt(incidence, "%"),
            f"≤ {_fmt(params.get('village_incidence_max'), '%')}",
            f"评估后仍未达标的未脱贫人口 {remaining} 人 ÷ 系统登记农村人口 {people} 人 × 100%",
        )
    ]
    checks = SamplingCheck.objects.filter(year=run.year).aggregate(
        reg=Sum("registered_checked"),
        wrong=Sum("mis_included"),
        unreg=Sum("unregistered_checked"),
        missed=Sum("missed"),
        exited=Sum("exited_checked"),
        mis_exited=Sum("mis_exited"),
    )
    limit = params.get("county_error_rate_max")
    for code, title, num, den, formula in (
        (
            "mis_included_rate",
            "错评率",
            checks["wrong"],
            checks["reg"],
            "抽查错评人口数 ÷ 抽查建档立卡人口数 × 100%",
        ),
        (
            "missed_rate",
            "漏评率",
            checks["missed"],
            checks["unreg"],
            "抽查漏评人口数 ÷ 抽查未建档立卡人口数 × 100%",
        ),
        (
            "mis_exited_rate",
            "错退率",
            checks["mis_exited"],
            checks["exited"],
            "抽查错退人口数 ÷ 抽查脱贫人口数 × 100%",
        ),
    ):
        rate = _pct(num or 0, den or 0) if den else None
        result.append(
            Indicator(
                code,
                title,
                _compare(rate, limit, at_most=True),
                _fmt(rate, "%"),
                f"≤ {_fmt(limit, '%')}",
                formula,
            )
        )
    survey = SatisfactionSurvey.objects.filter(year=run.year).aggregate(
        asked=Sum("surveyed"), yes=Sum("satisfied")
    )
    rate = _pct(survey["yes"] or 0, survey["asked"] or 0) if survey["asked"] else None
    result.append(
        Indicator(
            "satisfaction",
            "群众满意度",
            _compare(rate, params.get("county_satisfaction_min"), at_most=False),
            _fmt(rate, "%"),
            f"≥ {_fmt(params.get('county_satisfaction_min'), '%')}",
            "满意户数 ÷ 调查户数 × 100%（满意度调查记录合计）",
        )
    )
    return result


def villages_in_scope(*, user: User):
    """Villages the user may see (those holding households in the user's jurisdiction)."""
    from tuopin.regions.models import Region

    ids = households_for(user).values("village_id")
    return Region.objects.filter(Q(pk__in=ids)).annotate(n=Count("households")).order_by("path")


# --- colour, data quality and the exit procedure of one household -------------------------------------------


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
    colour_history: list
    findings: list[DqFinding]


def household_indicators(*, user: User, household: Household, year: int) -> HouseholdIndicators:
    """The card and the data-quality findings of one household, from the same rule definitions as a run."""
    from django.http import Http404

    from tuopin.assessment.engine.colours import DEFAULT_SCHEME, colour_of
    from tuopin.assessment.engine.explain import evaluate_all, explain_rule
    from tuopin.assessment.engine.expr import Env
    from tuopin.assessment.models import Colour, ColourChange, Severity

    if not households_for(user).filter(pk=household.pk).exists():
        raise Http404("没有找到该农户，或不在您的辖区内")
    resolved, params, _ = resolve(year, household.village)
    row, members = household_inputs(household.pk, year=year)
    exit_outcomes = evaluate_all(EXIT_RULESET, row, members, params)
    flags = evaluate_all(INDICATOR_RULESET, row, members, params)
    packed = sum(int(o) << (2 * i) for i, o in enumerate(exit_outcomes.values()))
    colour = colour_of(household.status, packed, flags, DEFAULT_SCHEME)
    env = Env(row, tuple(members), params)
    field_labels = labels(resolved)
    findings = []
    for rule in DQ_RULES:
        if flags[rule.code] != Outcome.FAIL:
            continue
        result = explain_rule(rule, env, year=year, labels=field_labels)
        findings.append(
            DqFinding(
                rule.code,
                rule.title,
                rule.severity,
                str(Severity(rule.severity).label),
                result.sentence,
                rule.fix,
            )
        )
    if household.status == "exited" and packed != 0:
        findings.append(
            DqFinding(
                EXITED_FAILING,
                "已脱贫户仍有标准未达标",
                "critical",
                str(Severity.CRITICAL.label),
                "已标注脱贫，但按现行标准仍有判定项未达标或数据缺失，可能属于错退",
                "入户核实；确属未达标的按程序标注返贫，属数据错误的更正数据",
            )
        )
    history = list(
        ColourChange.objects.filter(household=household).select_related("run").order_by("-id")[:20]
    )
    return HouseholdIndicators(colour, str(Colour(colour).label), history, findings)


def exit_cases(*, household: Household):
    from tuopin.assessment.models import ExitCase

    return ExitCase.objects.filter(household=household).prefetch_related("steps__by").order_by("-year", "-id")


def village_scorecard(*, run: AssessmentRun, village, summary: dict | None = None) -> list[dict]:
    """Data-quality counts of one village in a run: rule, severity, households failing, share, fix
    (``summary``: the run's summary as the user may see it; default the stored one)."""
    from tuopin.assessment.models import Severity

    figures = (summary or run.summary).get("villages", {}).get(str(village.pk), {})
    counts = figures.get("dq", {})
    households = figures.get("households", 0) or 0
    rows = []
    for rule in DQ_RULES:
        n = counts.get(rule.code, 0) or 0
        rows.append(
            {
                "code": rule.code,
                "title": rule.title,
                "severity": rule.severity,
                "severity_label": Severity(rule.severity).label,
                "count": n,
                "share": _pct(n, households),
                "fix": rule.fix,
            }
        )
    n = counts.get(EXITED_FAILING, 0) or 0
    rows.append(
        {
            "code": EXITED_FAILING,
            "title": "已脱贫户仍有标准未达标（可能错退）",
            "severity": "critical",
            "severity_label": Severity.CRITICAL.label,
            "count": n,
            "share": _pct(n, households),
            "fix": "入户核实，确属未达标的按程序标注返贫",
        }
    )
    return rows


def village_worklist(*, run: AssessmentRun, village, user: User, limit: int = 300) -> list[dict]:
    """Households of the village with data-quality failures (in the user's jurisdiction), worst first."""
    rows = (
        HouseholdResult.objects.filter(
            run=run, village=village, household__in=households_for(user).values("pk")
        )
        .select_related("household")
        .order_by("household__household_no")
    )
    result = []
    for row in rows.iterator():
        flags = unpack(row.flags, INDICATOR_RULESET)
        failing = [r for r in DQ_RULES if flags[r.code] == Outcome.FAIL]
        wrongly_exited = row.status == "exited" and row.outcomes != 0
        failing_titles = ["已脱贫户仍有标准未达标"] if wrongly_exited else []
        failing_titles += [r.title for r in failing]
        if failing_titles:
            critical = any(r.severity == "critical" for r in failing) or (
                row.status == "exited" and row.outcomes != 0
            )
            result.append({"household": row.household, "problems": failing_titles, "critical": critical})
    result.sort(key=lambda item: (not item["critical"], item["household"].household_no))
    return result[:limit]


# --- stored results for other callers (API) --------------------------------------------------------------


def run_results(*, run: AssessmentRun, user: User):
    """The run's stored household results that the user may see, in household order."""
    return (
        HouseholdResult.objects.filter(run=run, household__in=households_for(user).values("pk"))
        .select_related("household", "village")
        .order_by("household_id")
    )


def result_criteria(result: HouseholdResult, ruleset: RuleSet = EXIT_RULESET) -> list[dict]:
    """One stored result as its exit criteria: code, title and the criterion's outcome (达标/未达标/数据缺失)."""
    decoded = unpack(result.outcomes, ruleset)
    rows = []
    for criterion in ruleset.criteria:
        outcome = _combine([decoded[rule.code] for rule in ruleset.rules_of(criterion.code)])
        rows.append({"code": criterion.code, "title": criterion.title, "outcome": OUTCOME_LABELS[outcome]})
    return rows
