"""Rule definitions. Rules are code; every threshold is a ``Param`` resolved from the standards (policy app).

Each rule cites the clause it implements. The seed is 嵩明县脱贫攻坚规划 (2018-07-25), section 一(二)6
("贫困退出政策标准更加清晰"), quoted below as 【规划6】.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import Any

from tuopin.assessment.engine.expr import (
    And,
    AnyMember,
    Blank,
    BornBetween,
    Cmp,
    Const,
    Env,
    Expr,
    Field,
    In,
    IsTrue,
    Known,
    MemberCount,
    MemberField,
    Mul,
    Not,
    OneOf,
    Or,
    Param,
    Sub,
    Sum,
)


class Outcome(IntEnum):
    """Stored as two bits per rule. ``MISSING`` is never a pass."""

    PASS = 0
    FAIL = 1
    MISSING = 2


OUTCOME_LABELS = {Outcome.PASS: "达标", Outcome.FAIL: "未达标", Outcome.MISSING: "数据缺失"}


@dataclass(frozen=True)
class PerCapita(Expr):
    """Display only: a fen amount divided by the number of members, in yuan (2 decimals)."""

    amount: Expr
    kind: str = "money"  # type: ignore[assignment]

    def evaluate(self, env: Env) -> Any:
        total = self.amount.evaluate(env)
        count = MemberCount().evaluate(env)
        if total is None or not count:
            return None
        return (Decimal(total) / 100 / count).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Rule:
    code: str
    criterion: str
    title: str
    check: Expr
    source: str
    applies: Expr | None = None
    measured: Expr | None = None
    threshold: Expr | None = None
    unit: str = ""
    met_text: str = ""
    unmet_text: str = ""
    na_text: str = "不适用"
    evidence: AnyMember | None = None
    severity: str = ""  # data-quality rules: critical / warning / info
    fix: str = ""  # data-quality rules: the recommended correction
    version: int = 1

    @property
    def effective(self) -> Expr:
        """What the batch evaluates: not applicable counts as met; an unknown guard stays unknown."""
        if self.applies is None:
            return self.check
        return Or((Not(self.applies), self.check))

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(repr((self.version, self.effective)).encode()).hexdigest()[:10]
        return f"v{self.version}-{digest}"


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str


@dataclass(frozen=True)
class RuleSet:
    name: str
    criteria: tuple[Criterion, ...]
    rules: tuple[Rule, ...]

    def bit(self, code: str) -> int:
        return [rule.code for rule in self.rules].index(code)

    def rules_of(self, criterion: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.criterion == criterion)

    @property
    def versions(self) -> dict[str, str]:
        return {rule.code: rule.fingerprint for rule in self.rules}


# --- the household exit criteria ------------------------------------------------------------------------


def _money(name: str) -> Field:
    return Field(name, "money")


NET_INCOME = Sub(
    Sum(
        (
            _money("wage_income"),
            _money("business_income"),
            _money("property_income"),
            _money("transfer_income"),
        )
    ),
    _money("business_expense"),
)
INCOME_LINE = Param("income_line")
IS_SCHOOLING_CAUSE = Or(
    tuple(
        OneOf(Field(name, "code"), ("schooling",))
        for name in ("main_cause", "other_cause_1", "other_cause_2")
    )
)
IS_RELOCATED = IsTrue(Field("is_relocated"))
# 在校生状况 values that mean "not in school": empty, 学龄前儿童, 学前教育 (code list ``schooling``).
OUT_OF_SCHOOL_CODES = ("preschool_child", "preschool")
OUT_OF_SCHOOL_CHILD = AnyMember(
    And(
        (
            BornBetween(MemberField("birth_date", "date"), "school_born_after", "school_born_by"),
            Blank(MemberField("schooling", "code"), OUT_OF_SCHOOL_CODES),
        )
    )
)
UNINSURED_MEMBER = AnyMember(Not(IsTrue(MemberField("has_medical_insurance"))))

EXIT_CRITERIA = (
    Criterion("income", "收入稳定达标"),
    Criterion("food_clothing", "不愁吃、不愁穿"),
    Criterion("water", "饮水安全"),
    Criterion("housing", "住房安全有保障"),
    Criterion("education", "义务教育有保障"),
    Criterion("medical", "基本医疗有保障"),
)

EXIT_RULES = (
    Rule(
        code="income_per_capita",
        criterion="income",
        title="家庭年人均纯收入不低于当年脱贫标准",
        check=Cmp(">=", NET_INCOME, Mul(INCOME_LINE, MemberCount())),
        measured=PerCapita(NET_INCOME),
        threshold=INCOME_LINE,
        unit="元/人·年",
        met_text="家庭人均纯收入 {measured} 元，不低于 {year} 年脱贫标准 {threshold} 元",
        unmet_text="家庭人均纯收入 {measured} 元，低于 {year} 年脱贫标准 {threshold} 元",
        source="【规划6】2017年人均纯收入不低于3200元；"
        "纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出",
    ),
    Rule(
        code="food_security",
        criterion="food_clothing",
        title="不愁吃（有必须的口粮）",
        check=IsTrue(Field("has_food_security")),
        met_text="已确认不愁吃",
        unmet_text="登记为“愁吃”，口粮没有保障",
        source="【规划6】有必须的口粮",
    ),
    Rule(
        code="clothing_security",
        criterion="food_clothing",
        title="不愁穿（有四季衣服）",
        check=IsTrue(Field("has_clothing_security")),
        met_text="已确认不愁穿",
        unmet_text="登记为“愁穿”，四季衣服没有保障",
        source="【规划6】有四季衣服",
    ),
    Rule(
        code="safe_drinking_water",
        criterion="water",
        title="饮水安全达标",
        check=IsTrue(Field("has_safe_drinking_water")),
        met_text="饮水安全已达标",
        unmet_text="饮水不安全",
        source="【规划6】有达标饮水",
    ),
    Rule(
        code="house_grade",
        criterion="housing",
        title="不住C、D级危房",
        check=Not(In(Field("house_grade", "code"), ("C", "D"))),
        measured=Field("house_grade", "code"),
        threshold=Const("A/B"),
        met_text="住房鉴定为 {measured} 级，非危房",
        unmet_text="住房鉴定为 {measured} 级危房（C、D级为危房）",
        source="【规划6】无住C、D级危房情况",
    ),
    Rule(
        code="relocation_self_funding",
        criterion="housing",
        title="易地扶贫搬迁户建房自筹资金不超过上限",
        applies=IS_RELOCATED,
        check=Cmp("<=", _money("relocation_self_funding"), Param("relocation_self_funding_cap")),
        measured=_money("relocation_self_funding"),
        threshold=Param("relocation_self_funding_cap"),
        unit="元",
        met_text="建房自筹资金 {measured} 元，未超过 {threshold} 元",
        unmet_text="建房自筹资金 {measured} 元，超过 {threshold} 元的上限",
        na_text="非易地扶贫搬迁户，不适用",
        source="【规划6】易地扶贫搬迁住房建设符合标准，建房自筹资金控制在1万元以内",
    ),
    Rule(
        code="relocation_debt",
        criterion="housing",
        title="易地扶贫搬迁户无建房举债",
        applies=IS_RELOCATED,
        check=Cmp("=", _money("relocation_debt"), Const(0)),
        measured=_money("relocation_debt"),
        threshold=Const(0),
        unit="元",
        met_text="无建房举债",
        unmet_text="建房举债 {measured} 元",
        na_text="非易地扶贫搬迁户，不适用",
        source="【规划6】无建房举债",
    ),
    Rule(
        code="school_attendance",
        criterion="education",
        title="无义务教育阶段适龄儿童少年失学辍学",
        check=Not(OUT_OF_SCHOOL_CHILD),
        evidence=OUT_OF_SCHOOL_CHILD,
        met_text="没有义务教育阶段（{school_age}）适龄成员失学辍学",
        unmet_text="义务教育阶段适龄成员未在校：{evidence}",
        source="【规划四(四)1】确保建档立卡贫困户适龄子女义务教育阶段零辍学；适龄 = 参考日期时 6–15 周岁",
    ),
    Rule(
        code="income_after_schooling",
        criterion="education",
        title="因学致贫户扣除就学负担后人均纯收入仍达标",
        applies=IS_SCHOOLING_CAUSE,
        check=Cmp(">=", Sub(NET_INCOME, _money("schooling_expense")), Mul(INCOME_LINE, MemberCount())),
        measured=PerCapita(Sub(NET_INCOME, _money("schooling_expense"))),
        threshold=INCOME_LINE,
        unit="元/人·年",
        met_text="扣除就学支出后人均纯收入 {measured} 元，不低于 {threshold} 元",
        unmet_text="扣除就学支出后人均纯收入 {measured} 元，低于 {threshold} 元",
        na_text="非因学致贫户，不适用",
        source="【规划6】对因学致贫、因学返贫家庭，扣除就学负担后家庭年人均纯收入仍达到脱贫标准",
    ),
    Rule(
        code="medical_insured",
        criterion="medical",
        title="家庭成员全部参加城乡居民基本医疗保险",
        check=And((Not(UNINSURED_MEMBER), Cmp(">=", MemberCount(), Const(1)))),
        evidence=UNINSURED_MEMBER,
        met_text="全部家庭成员已参加基本医疗保险",
        unmet_text="未参保成员：{evidence}",
        source="【规划四(五)1】落实基本医保和大病医保参保率100%",
    ),
    Rule(
        code="medical_self_paid",
        criterion="medical",
        title="个人年度支付的合规医疗费用不超过当年农村居民人均可支配收入",
        check=Or(
            (
                Cmp("=", _money("medical_self_paid"), Const(0)),
                Cmp("<=", _money("medical_self_paid"), Param("medical_self_paid_limit")),
            )
        ),
        measured=_money("medical_self_paid"),
        threshold=Param("medical_self_paid_limit"),
        unit="元",
        met_text="合规自付医疗费用 {measured} 元，未超过 {threshold} 元",
        unmet_text="合规自付医疗费用 {measured} 元，超过 {threshold} 元",
        source="【规划6】个人年度支付的符合转诊转院规范的医疗费用不超过所在当年农村居民人均可支配收入",
    ),
)

EXIT_RULESET = RuleSet("household_exit", EXIT_CRITERIA, EXIT_RULES)


# --- indicators: colour-card inputs and data-quality rules (stored in the run's ``flags`` column) -------------

INDICATOR_CRITERIA = (
    Criterion("colour", "五色卡判定依据"),
    Criterion("dq", "数据质量"),
)

NOT_EXITED_STATUS = OneOf(Field("status", "code"), ("poor", "relapsed"))
COMPULSORY_GRADES = ("primary", "grade7", "grade8", "grade9")
NO_BIRTH_DATE = AnyMember(Not(Known(MemberField("birth_date", "date"))))
INSURANCE_UNKNOWN = AnyMember(Not(Known(MemberField("has_medical_insurance"))))
ADULT_IN_COMPULSORY_GRADE = AnyMember(
    And(
        (
            Blank(MemberField("schooling", "code"), COMPULSORY_GRADES, empty=False),
            Cmp("<=", MemberField("birth_date", "date"), Param("adult_born_by", "date")),
        )
    )
)

INDICATOR_RULES = (
    Rule(
        code="income_above_blue",
        criterion="colour",
        title="人均纯收入明显高于脱贫标准（蓝卡线）",
        check=Cmp(">=", NET_INCOME, Mul(Param("colour_blue_line"), MemberCount())),
        measured=PerCapita(NET_INCOME),
        threshold=Param("colour_blue_line"),
        met_text="人均纯收入 {measured} 元，不低于蓝卡线 {threshold} 元",
        unmet_text="人均纯收入 {measured} 元，低于蓝卡线 {threshold} 元",
        source="五色卡（本县定义未公布，系统默认：蓝 = 收入稳定且明显高于标准）；倍数为可配置标准，待核实",
    ),
    Rule(
        code="income_above_green",
        criterion="colour",
        title="人均纯收入远高于脱贫标准（绿卡线）",
        check=Cmp(">=", NET_INCOME, Mul(Param("colour_green_line"), MemberCount())),
        measured=PerCapita(NET_INCOME),
        threshold=Param("colour_green_line"),
        met_text="人均纯收入 {measured} 元，不低于绿卡线 {threshold} 元",
        unmet_text="人均纯收入 {measured} 元，低于绿卡线 {threshold} 元",
        source="五色卡（本县定义未公布，系统默认：绿 = 稳定脱贫）；倍数为可配置标准，待核实",
    ),
    Rule(
        code="income_below_monitoring",
        criterion="colour",
        title="卡外农户人均纯收入低于监测标准（紫卡）",
        check=Cmp("<", NET_INCOME, Mul(Param("monitoring_line"), MemberCount())),
        measured=PerCapita(NET_INCOME),
        threshold=Param("monitoring_line"),
        met_text="人均纯收入 {measured} 元，低于监测标准 {threshold} 元",
        unmet_text="人均纯收入 {measured} 元，不低于监测标准 {threshold} 元",
        source="五色卡（本县定义未公布，系统默认：紫 = 非建档立卡低收入边缘户）；监测标准按年度设定",
    ),
    Rule(
        code="dq_has_members",
        criterion="dq",
        title="农户有家庭成员记录",
        check=Known(MemberCount()),
        unmet_text="没有家庭成员记录",
        severity="critical",
        fix="补录全部家庭成员，或核实该户是否应注销",
        source="建档立卡以户为单位识别，家庭人口数为计算人均收入的分母",
    ),
    Rule(
        code="dq_income_complete",
        criterion="dq",
        title="收入和生产经营性支出填写完整",
        check=And(
            tuple(
                Known(_money(name))
                for name in (
                    "wage_income",
                    "business_income",
                    "property_income",
                    "transfer_income",
                    "business_expense",
                )
            )
        ),
        unmet_text="收入或支出有空项，无法计算人均纯收入",
        severity="critical",
        fix="入户核实后补填四项收入和生产经营性支出（没有的填 0）",
        source="规划一(三)6：数据资料填写不全；家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性收入 − 生产经营性支出",
    ),
    Rule(
        code="dq_net_income_not_negative",
        criterion="dq",
        title="家庭纯收入不为负数",
        check=Cmp(">=", NET_INCOME, Const(0)),
        unmet_text="生产经营性支出大于全部收入，纯收入为负",
        severity="warning",
        fix="核对生产经营性支出是否多填、收入是否漏填",
        source="规划一(三)6：数据逻辑不严密",
    ),
    Rule(
        code="dq_living_conditions_complete",
        criterion="dq",
        title="两不愁、饮水和住房情况填写完整",
        check=And(
            (
                Known(Field("has_food_security")),
                Known(Field("has_clothing_security")),
                Known(Field("has_safe_drinking_water")),
                Known(Field("house_grade", "code")),
            )
        ),
        unmet_text="不愁吃、不愁穿、饮水安全或危房等级有空项",
        severity="critical",
        fix="入户核实后补填；危房等级以住建部门鉴定为准",
        source="规划一(二)6 两不愁三保障认定标准",
    ),
    Rule(
        code="dq_birth_dates",
        criterion="dq",
        title="成员出生日期完整",
        check=Not(NO_BIRTH_DATE),
        evidence=NO_BIRTH_DATE,
        unmet_text="有成员出生日期为空，无法判断义务教育适龄",
        severity="warning",
        fix="按身份证号补填出生日期",
        source="义务教育适龄按出生日期计算",
    ),
    Rule(
        code="dq_insurance_known",
        criterion="dq",
        title="成员医保参保情况完整",
        check=Not(INSURANCE_UNKNOWN),
        evidence=INSURANCE_UNKNOWN,
        unmet_text="有成员未填写是否参加基本医疗保险",
        severity="warning",
        fix="与医保部门参保名单比对后补填",
        source="规划四(五)1：基本医保参保率100%",
    ),
    Rule(
        code="dq_cadre_assigned",
        criterion="dq",
        title="未脱贫户已落实帮扶责任人",
        applies=NOT_EXITED_STATUS,
        check=Known(Field("responsible_cadre_id", "int")),
        unmet_text="未脱贫户没有帮扶责任人",
        na_text="非未脱贫户，不适用",
        severity="critical",
        fix="在帮扶关系中为该户指定帮扶责任人",
        source="规划一(二)6：每个贫困户有帮扶责任人",
    ),
    Rule(
        code="dq_relocation_complete",
        criterion="dq",
        title="易地搬迁信息完整",
        applies=IS_RELOCATED,
        check=And(
            (
                Known(Field("relocation_year", "int")),
                Known(_money("relocation_self_funding")),
                Known(_money("relocation_debt")),
            )
        ),
        unmet_text="搬迁年度、建房自筹资金或建房举债有空项",
        na_text="非易地扶贫搬迁户，不适用",
        severity="warning",
        fix="按搬迁档案补填",
        source="规划一(二)6：建房自筹资金控制在1万元以内，无建房举债",
    ),
    Rule(
        code="dq_schooling_age_logic",
        criterion="dq",
        title="义务教育在校生年龄合理",
        check=Not(ADULT_IN_COMPULSORY_GRADE),
        evidence=ADULT_IN_COMPULSORY_GRADE,
        unmet_text="有21周岁以上成员登记为小学或初中在校生：{evidence}",
        severity="info",
        fix="核对在校生状况是否应改为文化程度",
        source="在校生状况与年龄的逻辑关系（anchors-dq-mpi.md 数据逻辑校验）",
    ),
    Rule(
        code="dq_dibao_logic",
        criterion="dq",
        title="低保户属性与成员低保享受一致",
        applies=OneOf(Field("attribute", "code"), ("dibao_poor", "dibao_household")),
        check=AnyMember(IsTrue(MemberField("is_dibao"))),
        unmet_text="贫困户属性为低保，但没有成员登记享受低保",
        na_text="非低保户，不适用",
        severity="warning",
        fix="与民政低保名单比对，更正户属性或成员低保标记",
        source="规划一(三)5：档案中未能及时标明建档立卡户，给统计带来不便",
    ),
)

INDICATOR_RULES += (
    Rule(
        code="dq_status_by_procedure",
        criterion="dq",
        title="脱贫状态有办结的程序记录",
        # Set-based and cheap: the procedure services (纳入, 退出, 返贫, a county import, 历史数据迁入) are the only
        # writers of ``status_by_procedure``; a status set any other way leaves the two columns apart.
        check=Cmp("=", Field("status", "code"), Field("status_by_procedure", "code")),
        unmet_text="脱贫状态与办结的纳入、退出或返贫程序记录不一致：状态未经程序改动",
        severity="critical",
        fix="核实该户状态：按纳入、退出或返贫程序补办，或由县级用户按国家系统数据导入更正",
        source="规划一(二)6 贫困退出程序；建档立卡识别“两公示一公告”（docs/adr/0031）",
    ),
)

INDICATOR_RULESET = RuleSet("indicators", INDICATOR_CRITERIA, INDICATOR_RULES)
DQ_RULES = tuple(rule for rule in INDICATOR_RULES if rule.criterion == "dq")
