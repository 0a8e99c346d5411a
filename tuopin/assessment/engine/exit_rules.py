"""The household exit criteria (两不愁三保障 and income). Rules are code; every threshold is a ``Param``
resolved from the standards (policy app).

Each rule cites the clause it implements. The county plan is 嵩明县脱贫攻坚规划 (2018-07-25); its section
一(二)6 ("贫困退出政策标准更加清晰") is quoted as 【规划6】.
"""

from __future__ import annotations

from tuopin.assessment.engine.expr import (
    And,
    AnyMember,
    Blank,
    BornBetween,
    Cmp,
    Const,
    Field,
    In,
    IsTrue,
    MemberCount,
    MemberField,
    Mul,
    Not,
    OneOf,
    Or,
    Param,
    Sub,
)
from tuopin.assessment.engine.rulebase import (
    INCOME_LINE,
    IS_RELOCATED,
    NET_INCOME,
    Criterion,
    PerCapita,
    Rule,
    RuleSet,
    money,
)

IS_SCHOOLING_CAUSE = Or(
    tuple(
        OneOf(Field(name, "code"), ("schooling",))
        for name in ("main_cause", "other_cause_1", "other_cause_2")
    )
)
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
        check=Cmp("<=", money("relocation_self_funding"), Param("relocation_self_funding_cap")),
        measured=money("relocation_self_funding"),
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
        check=Cmp("=", money("relocation_debt"), Const(0)),
        measured=money("relocation_debt"),
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
        check=Cmp(">=", Sub(NET_INCOME, money("schooling_expense")), Mul(INCOME_LINE, MemberCount())),
        measured=PerCapita(Sub(NET_INCOME, money("schooling_expense"))),
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
                Cmp("=", money("medical_self_paid"), Const(0)),
                Cmp("<=", money("medical_self_paid"), Param("medical_self_paid_limit")),
            )
        ),
        measured=money("medical_self_paid"),
        threshold=Param("medical_self_paid_limit"),
        unit="元",
        met_text="合规自付医疗费用 {measured} 元，未超过 {threshold} 元",
        unmet_text="合规自付医疗费用 {measured} 元，超过 {threshold} 元",
        source="【规划6】个人年度支付的符合转诊转院规范的医疗费用不超过所在当年农村居民人均可支配收入",
    ),
)

EXIT_RULESET = RuleSet("household_exit", EXIT_CRITERIA, EXIT_RULES)
