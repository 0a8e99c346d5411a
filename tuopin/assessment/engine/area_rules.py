"""Village and county indicators (贫困村出列, 扶贫开发成效考核) declared as rules over an area's figures.

An area's "row" is a handful of figures: those counted from a run's stored household results (people,
people still poor after the assessment, households without a responsible cadre) and those recorded for the
year (the village's year record, sampling checks, satisfaction surveys). Thresholds are ``Param`` s read from
the run's own stored standards, so an old run's indicators do not move when a standard is edited later.

Clauses, quoted as 【规划6】: the county plan (嵩明县脱贫攻坚规划, 2018-07-25), section 一(二)6 — "贫困村出列方面，
被抽查村漏评率、错评率控制在1%以内，确保综合贫困发生率控制在2%以内；贫困村出列当年集体经济收入达2—5万元以上。
扶贫开发成效考核方面，确保错评率、漏评率、错退率为0 …；帮扶对象 … 满意度达90%以上；… 每个贫困村有县以上派驻的扶贫
工作队，每个贫困户有帮扶责任人。" The limits themselves are standards (policy app), not written here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tuopin.assessment.engine.expr import And, Cmp, Const, Expr, Field, IsTrue, Param, Percent


@dataclass(frozen=True)
class AreaRule:
    """One indicator. ``value_text`` shows the measured value (``{measured}`` and any area figure, e.g.
    ``{households}``); ``met_text`` / ``unmet_text`` replace it when set (indicators without a number)."""

    code: str
    title: str
    check: Expr
    source: str
    measured: Expr | None = None
    threshold: Expr | None = None
    value_text: str = "{measured}"
    met_text: str = ""
    unmet_text: str = ""
    threshold_text: str = ""
    formula: str = ""
    version: int = 1

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(repr((self.version, self.check)).encode()).hexdigest()[:10]
        return f"v{self.version}-{digest}"


@dataclass(frozen=True)
class AreaRuleSet:
    name: str
    title: str
    rules: tuple[AreaRule, ...]

    @property
    def versions(self) -> dict[str, str]:
        return {rule.code: rule.fingerprint for rule in self.rules}

    def param_names(self) -> set[str]:
        return set().union(*(rule.check.param_names() for rule in self.rules))


def count(name: str) -> Field:
    """A whole-number figure of the area (people, households, people checked)."""
    return Field(name, "int")


INCIDENCE = Percent(count("remaining_poor_people"), count("population"))
INCIDENCE_MAX = Param("village_incidence_max", "number")
SAMPLING_MAX = Param("village_sampling_error_max", "number")
COUNTY_ERROR_MAX = Param("county_error_rate_max", "number")
COLLECTIVE_INCOME = Field("collective_income", "money")
COLLECTIVE_INCOME_MIN = Param("village_collective_income_min", "money")
MIS_INCLUDED_RATE = Percent(count("mis_included"), count("registered_checked"))
MISSED_RATE = Percent(count("missed"), count("unregistered_checked"))
MIS_EXITED_RATE = Percent(count("mis_exited"), count("exited_checked"))
SATISFACTION = Percent(count("satisfied"), count("surveyed"))
SATISFACTION_MIN = Param("county_satisfaction_min", "number")


def _rate_at_most(
    *, code: str, title: str, measured: Expr, limit: Param, formula: str, source: str
) -> AreaRule:
    """A percentage that must not exceed its limit (incidence and the sampling error rates)."""
    return AreaRule(
        code=code,
        title=title,
        check=Cmp("<=", measured, limit),
        measured=measured,
        threshold=limit,
        value_text="{measured}%",
        threshold_text="≤ {threshold}%",
        formula=formula,
        source=source,
    )


VILLAGE_RULES = (
    _rate_at_most(
        code="incidence",
        title="综合贫困发生率",
        measured=INCIDENCE,
        limit=INCIDENCE_MAX,
        formula="未脱贫人口（评估后仍未达标的未脱贫户人口 {remaining_poor_people} 人）÷ 农村户籍人口"
        "（{population} 人）× 100%",
        source="【规划6】贫困村出列：确保综合贫困发生率控制在规定比例以内",
    ),
    AreaRule(
        code="collective_income",
        title="村集体经济收入",
        check=Cmp(">=", COLLECTIVE_INCOME, COLLECTIVE_INCOME_MIN),
        measured=COLLECTIVE_INCOME,
        threshold=COLLECTIVE_INCOME_MIN,
        value_text="{measured} 元",
        threshold_text="≥ {threshold} 元（规划：2—5万元）",
        formula="村年度情况登记的当年集体经济收入",
        source="【规划6】贫困村出列当年集体经济收入达2—5万元以上",
    ),
    AreaRule(
        code="work_team",
        title="驻村工作队和第一书记",
        check=And((IsTrue(Field("has_work_team")), IsTrue(Field("has_first_secretary")))),
        met_text="均已派驻",
        unmet_text="未全部派驻",
        threshold_text="有县以上派驻的扶贫工作队和第一书记",
        formula="村年度情况登记",
        source="【规划6】每个贫困村有县以上派驻的扶贫工作队",
    ),
    AreaRule(
        code="cadre",
        title="每个贫困户有帮扶责任人",
        check=Cmp("=", count("households_without_cadre"), Const(0)),
        measured=count("households_without_cadre"),
        value_text="{measured} 户未落实帮扶责任人（共 {not_exited} 户）",
        threshold_text="0 户",
        formula="评估时未脱贫户中帮扶责任人为空的户数",
        source="【规划6】每个贫困户有帮扶责任人",
    ),
    _rate_at_most(
        code="mis_included_rate",
        title="抽查错评率",
        measured=MIS_INCLUDED_RATE,
        limit=SAMPLING_MAX,
        formula="错评人口数 ÷ 抽查建档立卡人口数 × 100%",
        source="【规划6】被抽查村错评率控制在规定比例以内",
    ),
    _rate_at_most(
        code="missed_rate",
        title="抽查漏评率",
        measured=MISSED_RATE,
        limit=SAMPLING_MAX,
        formula="漏评人口数 ÷ 抽查未建档立卡人口数 × 100%",
        source="【规划6】被抽查村漏评率控制在规定比例以内",
    ),
)

COUNTY_RULES = (
    _rate_at_most(
        code="incidence",
        title="综合贫困发生率",
        measured=INCIDENCE,
        limit=INCIDENCE_MAX,
        formula="评估后仍未达标的未脱贫人口 {remaining_poor_people} 人 ÷ 系统登记农村人口 {population} 人 × 100%",
        source="【规划6】综合贫困发生率控制在规定比例以内（按全县汇总）",
    ),
    _rate_at_most(
        code="mis_included_rate",
        title="错评率",
        measured=MIS_INCLUDED_RATE,
        limit=COUNTY_ERROR_MAX,
        formula="抽查错评人口数 ÷ 抽查建档立卡人口数 × 100%",
        source="【规划6】扶贫开发成效考核：确保错评率为0",
    ),
    _rate_at_most(
        code="missed_rate",
        title="漏评率",
        measured=MISSED_RATE,
        limit=COUNTY_ERROR_MAX,
        formula="抽查漏评人口数 ÷ 抽查未建档立卡人口数 × 100%",
        source="【规划6】扶贫开发成效考核：确保漏评率为0",
    ),
    _rate_at_most(
        code="mis_exited_rate",
        title="错退率",
        measured=MIS_EXITED_RATE,
        limit=COUNTY_ERROR_MAX,
        formula="抽查错退人口数 ÷ 抽查脱贫人口数 × 100%",
        source="【规划6】扶贫开发成效考核：确保错退率为0",
    ),
    AreaRule(
        code="satisfaction",
        title="群众满意度",
        check=Cmp(">=", SATISFACTION, SATISFACTION_MIN),
        measured=SATISFACTION,
        threshold=SATISFACTION_MIN,
        value_text="{measured}%",
        threshold_text="≥ {threshold}%",
        formula="满意户数 ÷ 调查户数 × 100%（满意度调查记录合计）",
        source="【规划6】帮扶对象对帮扶措施、驻村工作队和帮扶责任人工作的满意度达到规定比例以上",
    ),
)

VILLAGE_RULESET = AreaRuleSet("village_exit", "贫困村出列", VILLAGE_RULES)
COUNTY_RULESET = AreaRuleSet("county_assessment", "扶贫开发成效考核", COUNTY_RULES)
