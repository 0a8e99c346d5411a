"""The conditions of risk elimination (风险消除), checked before the elimination review and again before the
county's approval: income stably above the monitoring line, 三保障 and safe drinking water secured, the risk
gone (no trigger fires in the latest data year), labour capacity in the household, and for 帮扶消除 at least
one recorded assistance measure. A household without labour capacity is kept under monitoring."""

from __future__ import annotations

from tuopin.assessment.engine.rules import Outcome
from tuopin.monitoring.engine.triggers import TRIGGER_RULESET
from tuopin.monitoring.models import EliminationKind, MonitoringCase
from tuopin.monitoring.standards import monitoring_params
from tuopin.registry.models import HouseholdYear, Person, PersonYear

LABOUR_CODES = ("ordinary", "skilled")


def elimination_problems(*, case: MonitoringCase, kind: str) -> list[str]:
    """Every unmet condition as a Chinese sentence (empty: the risk may be recorded as eliminated)."""
    from tuopin.monitoring.runs import household_outcomes

    household = case.household
    years = list(
        HouseholdYear.objects.filter(household=household).order_by("-year").values_list("year", flat=True)
    )
    if not years:
        return ["没有年度收支数据，无法判断收入是否稳定"]
    latest = years[0]
    problems = []
    stable = monitoring_params(latest)[0]["monitoring_stable_years"]
    recent = years[:stable]
    if len(recent) < stable or [latest - i for i in range(stable)] != recent:
        problems.append(f"缺少最近{stable}个连续年度的收支数据，无法判断收入持续稳定")
    for year in recent:
        outcomes = household_outcomes(household_id=household.pk, year=year) or {}
        if outcomes.get("income_below_line") != Outcome.PASS:
            problems.append(f"{year}年人均纯收入未稳定高于当年监测范围")
    outcomes = household_outcomes(household_id=household.pk, year=latest) or {}
    fired = [
        code for code, outcome in outcomes.items() if outcome == Outcome.FAIL and code != "income_below_line"
    ]
    if fired:
        titles = {rule.code: rule.title for rule in TRIGGER_RULESET.rules}
        problems.append(f"{latest}年仍有风险：" + "、".join(titles[code] for code in fired))
    record = HouseholdYear.objects.get(household=household, year=latest)
    if record.has_safe_drinking_water is not True:
        problems.append("饮水安全未确认有保障")
    if Person.objects.filter(household=household).exclude(has_medical_insurance=True).exists():
        problems.append("有家庭成员未参加基本医疗保险")
    living = PersonYear.objects.filter(household=household, year=latest, is_deceased=False)
    if not living.filter(labor_skill__in=LABOUR_CODES).exists():
        problems.append("整户无劳动能力：落实兜底保障后继续跟踪监测，不标注风险消除")
    if kind == EliminationKind.ASSISTED and not case.measures.exists():
        problems.append("帮扶消除须已落实帮扶措施，尚未录入任何帮扶措施")
    return problems
