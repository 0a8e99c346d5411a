"""Early-warning triggers (防止返贫动态监测的风险预警). Each is a ``Rule`` whose ``check`` is "no risk": the
outcome FAIL means the trigger fires, MISSING means the data do not allow a judgement (never a clue, never a
pass). Every threshold is a standard of the data year (policy app), bound as a ``Param``.

The rows the triggers read are one data year's figures (``registry.HouseholdYear`` / ``PersonYear``) with the
previous year's beside them (``prev_*`` columns), prepared by ``monitoring.sources``. Policy basis, quoted as
【监测】: the 2021 guidance on the dynamic monitoring and assistance mechanism (中农组发〔2021〕7号) as
implemented by provinces — income within the monitoring range, rigid expenditure clearly above income, sharp
falls of income, 三保障 and drinking water, and department screening (部门筛查预警).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tuopin.assessment.engine.expr import (
    And,
    AnyMember,
    Blank,
    Cmp,
    Const,
    Env,
    Expr,
    Field,
    In,
    IsTrue,
    Known,
    MemberField,
    Mul,
    Not,
    Or,
    Param,
    Sub,
    Sum,
)
from tuopin.assessment.engine.rules import OUT_OF_SCHOOL_CHILD, Criterion, Rule, RuleSet

INCOME_PARTS = ("wage_income", "business_income", "property_income", "transfer_income")


def _net(prefix: str = "") -> Expr:
    return Sub(
        Sum(tuple(Field(prefix + name, "money") for name in INCOME_PARTS)),
        Field(prefix + "business_expense", "money"),
    )


NET_INCOME = _net()
PREV_NET_INCOME = _net("prev_")
LIVING_MEMBERS = Field("living_members", "int")
LABOUR_CODES = ("ordinary", "skilled")


@dataclass(frozen=True)
class PerHead(Expr):
    """Display only: a fen amount per living member, in yuan (2 decimals)."""

    amount: Expr
    kind: str = "money"  # type: ignore[assignment]

    def evaluate(self, env: Env) -> Any:
        total, count = self.amount.evaluate(env), LIVING_MEMBERS.evaluate(env)
        if total is None or not count:
            return None
        return (Decimal(total) / 100 / count).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Percent(Expr):
    """Display only: the fall of net income from the previous year, in per cent (1 decimal)."""

    kind: str = "text"  # type: ignore[assignment]

    def evaluate(self, env: Env) -> Any:
        now, before = NET_INCOME.evaluate(env), PREV_NET_INCOME.evaluate(env)
        if now is None or not before:
            return None
        return ((Decimal(before) - Decimal(now)) * 100 / Decimal(before)).quantize(Decimal("0.1"))


_LIVING = Not(IsTrue(MemberField("is_deceased")))
_LABOURER = And((_LIVING, Blank(MemberField("labor_skill", "code"), LABOUR_CODES, empty=False)))
_WAS_LABOURER = Blank(MemberField("prev_labor_skill", "code"), LABOUR_CODES, empty=False)
LOST_LABOURER = AnyMember(
    And(
        (
            _WAS_LABOURER,
            Or(
                (
                    IsTrue(MemberField("is_deceased")),
                    And(
                        (
                            IsTrue(MemberField("has_serious_disease")),
                            Not(IsTrue(MemberField("prev_has_serious_disease"))),
                        )
                    ),
                    And((IsTrue(MemberField("is_disabled")), Not(IsTrue(MemberField("prev_is_disabled"))))),
                )
            ),
        )
    )
)
HAS_LABOURER = AnyMember(_LABOURER)
WORKING_LABOURER = AnyMember(
    And(
        (
            _LABOURER,
            Cmp("<", MemberField("unemployed_months", "int"), Param("monitoring_unemployed_months", "int")),
        )
    )
)
HAD_ASSISTANCE = AnyMember(Or((IsTrue(MemberField("prev_is_dibao")), IsTrue(MemberField("prev_is_tekun")))))
HAS_ASSISTANCE = AnyMember(
    And((_LIVING, Or((IsTrue(MemberField("is_dibao")), IsTrue(MemberField("is_tekun"))))))
)
DROP_SHARE = Param("monitoring_income_drop_share", "int")

TRIGGER_CRITERIA = (
    Criterion("income", "收入"),
    Criterion("expenditure", "刚性支出"),
    Criterion("event", "突发事件"),
    Criterion("guarantee", "三保障和兜底保障"),
    Criterion("department", "部门预警"),
)

TRIGGER_RULES = (
    Rule(
        code="income_below_line",
        criterion="income",
        title="家庭年人均纯收入低于当年监测范围",
        check=Cmp(">=", NET_INCOME, Mul(Param("monitoring_line"), LIVING_MEMBERS)),
        measured=PerHead(NET_INCOME),
        threshold=Param("monitoring_line"),
        unit="元/人·年",
        met_text="人均纯收入 {measured} 元，不低于 {year} 年监测范围 {threshold} 元",
        unmet_text="人均纯收入 {measured} 元，低于 {year} 年监测范围 {threshold} 元",
        severity="high",
        source="【监测】监测范围：家庭年人均纯收入低于当年监测标准（各省每年确定）",
    ),
    Rule(
        code="income_drop",
        criterion="income",
        title="家庭纯收入比上年大幅下降",
        applies=And((Known(PREV_NET_INCOME), Cmp(">", PREV_NET_INCOME, Const(0)))),
        check=Cmp(">=", Mul(NET_INCOME, Const(100)), Mul(PREV_NET_INCOME, Sub(Const(100), DROP_SHARE))),
        measured=Percent(),
        threshold=DROP_SHARE,
        unit="%",
        met_text="家庭纯收入比上年下降 {measured}%，未超过 {threshold}%",
        unmet_text="家庭纯收入比上年下降 {measured}%，超过 {threshold}%",
        na_text="没有上年收入数据（或上年纯收入不为正），不适用",
        severity="medium",
        source="【监测】因病因灾因意外等导致收入大幅缩减（突发严重困难户）",
    ),
    Rule(
        code="medical_self_paid_high",
        criterion="expenditure",
        title="年度合规自付医疗费用超过预警线",
        check=Cmp("<=", Field("medical_self_paid", "money"), Param("monitoring_medical_self_paid")),
        measured=Field("medical_self_paid", "money"),
        threshold=Param("monitoring_medical_self_paid"),
        unit="元",
        met_text="合规自付医疗费用 {measured} 元，未超过预警线 {threshold} 元",
        unmet_text="合规自付医疗费用 {measured} 元，超过预警线 {threshold} 元",
        severity="high",
        source="【监测】刚性支出明显超过收入；医保部门按月推送合规自付费用高的农户",
    ),
    Rule(
        code="disaster",
        criterion="event",
        title="本年度遭受自然灾害或意外事故",
        check=Not(IsTrue(Field("had_disaster"))),
        met_text="本年度没有灾害或事故记录",
        unmet_text="本年度有灾害或事故记录",
        severity="high",
        source="【监测】因灾因意外事故导致基本生活出现严重困难；应急管理部门推送受灾农户",
    ),
    Rule(
        code="labourer_lost",
        criterion="event",
        title="主要劳动力死亡、患大病或残疾",
        check=Not(LOST_LABOURER),
        evidence=LOST_LABOURER,
        met_text="上年的劳动力本年度没有死亡、新患大病或新致残疾",
        unmet_text="上年的劳动力本年度死亡、新患大病或新致残疾：{evidence}",
        severity="high",
        source="【监测】家庭主要劳动力死亡、重病、重残（公安、卫健、残联部门信息）",
    ),
    Rule(
        code="school_dropout",
        criterion="guarantee",
        title="义务教育阶段适龄儿童少年失学辍学",
        check=Not(OUT_OF_SCHOOL_CHILD),
        evidence=OUT_OF_SCHOOL_CHILD,
        met_text="没有义务教育阶段（{school_age}）适龄成员失学辍学",
        unmet_text="义务教育阶段适龄成员未在校：{evidence}",
        severity="medium",
        source="【监测】三保障：义务教育有保障（教育部门排查疑似辍学）",
    ),
    Rule(
        code="house_unsafe",
        criterion="guarantee",
        title="住房鉴定为C、D级危房",
        check=Not(In(Field("house_grade", "code"), ("C", "D"))),
        measured=Field("house_grade", "code"),
        threshold=Const("A/B"),
        met_text="住房鉴定为 {measured} 级，非危房",
        unmet_text="住房鉴定为 {measured} 级危房",
        severity="high",
        source="【监测】三保障：住房安全有保障（住建部门鉴定）",
    ),
    Rule(
        code="assistance_lost",
        criterion="guarantee",
        title="上年享受低保或特困供养，本年度不再享受",
        check=Not(And((HAD_ASSISTANCE, Not(HAS_ASSISTANCE)))),
        met_text="低保、特困供养情况与上年相比没有退出",
        unmet_text="上年享受低保或特困供养，本年度已不再享受",
        severity="medium",
        source="【监测】民政部门推送低保、特困变动情况",
    ),
    Rule(
        code="all_unemployed",
        criterion="income",
        title="劳动力全部无工可务达到规定月数",
        applies=HAS_LABOURER,
        check=WORKING_LABOURER,
        threshold=Param("monitoring_unemployed_months", "int"),
        unit="月",
        met_text="有劳动力本年度无工可务不足 {threshold} 个月",
        unmet_text="全部劳动力本年度无工可务均达到 {threshold} 个月以上",
        na_text="家中没有劳动力，不适用",
        severity="medium",
        source="【监测】因务工就业不稳致贫返贫风险（人社部门失业登记）",
    ),
    Rule(
        code="department_report",
        criterion="department",
        title="行业部门推送风险信息",
        check=Cmp("=", Field("department_reports", "int"), Const(0)),
        measured=Field("department_reports", "int"),
        met_text="本年度没有部门推送的风险信息",
        unmet_text="本年度有 {measured} 条部门推送的风险信息",
        severity="medium",
        source="【监测】部门筛查预警：民政、残联、医保、教育、住建、应急管理等部门数据比对",
    ),
)

TRIGGER_RULESET = RuleSet("monitoring_triggers", TRIGGER_CRITERIA, TRIGGER_RULES)

#: the risk type (致贫/返贫风险, national code table) a fired trigger suggests
RISK_TYPE_OF = {
    "income_below_line": "other",
    "income_drop": "industry_failure",
    "medical_self_paid_high": "illness",
    "disaster": "natural_disaster",
    "labourer_lost": "lack_labor",
    "school_dropout": "schooling",
    "house_unsafe": "other",
    "assistance_lost": "other",
    "all_unemployed": "unstable_employment",
    "department_report": "other",
}
SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}
