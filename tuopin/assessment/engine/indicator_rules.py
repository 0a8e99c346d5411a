"""Indicators stored in a run's ``flags`` column: the inputs of the five-colour cards and the data-quality
rules (what is incomplete or contradictory in a household's record, how serious it is, how to fix it)."""

from __future__ import annotations

from tuopin.assessment.engine.constants import CRITICAL, INFO, NOT_EXITED, WARNING
from tuopin.assessment.engine.expr import (
    And,
    AnyMember,
    Blank,
    Cmp,
    Const,
    Field,
    IsTrue,
    Known,
    MemberCount,
    MemberField,
    Mul,
    Not,
    OneOf,
    Param,
)
from tuopin.assessment.engine.rulebase import (
    IS_RELOCATED,
    NET_INCOME,
    Criterion,
    PerCapita,
    Rule,
    RuleSet,
    money,
)

INDICATOR_CRITERIA = (
    Criterion("colour", "五色卡判定依据"),
    Criterion("dq", "数据质量"),
)

NOT_EXITED_STATUS = OneOf(Field("status", "code"), NOT_EXITED)
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

INDICATOR_RULES: tuple[Rule, ...] = (
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
        severity=CRITICAL,
        fix="补录全部家庭成员，或核实该户是否应注销",
        source="建档立卡以户为单位识别，家庭人口数为计算人均收入的分母",
    ),
    Rule(
        code="dq_income_complete",
        criterion="dq",
        title="收入和生产经营性支出填写完整",
        check=And(
            tuple(
                Known(money(name))
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
        severity=CRITICAL,
        fix="入户核实后补填四项收入和生产经营性支出（没有的填 0）",
        source="规划一(三)6：数据资料填写不全；家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性收入 − 生产经营性支出",
    ),
    Rule(
        code="dq_net_income_not_negative",
        criterion="dq",
        title="家庭纯收入不为负数",
        check=Cmp(">=", NET_INCOME, Const(0)),
        unmet_text="生产经营性支出大于全部收入，纯收入为负",
        severity=WARNING,
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
        severity=CRITICAL,
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
        severity=WARNING,
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
        severity=WARNING,
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
        severity=CRITICAL,
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
                Known(money("relocation_self_funding")),
                Known(money("relocation_debt")),
            )
        ),
        unmet_text="搬迁年度、建房自筹资金或建房举债有空项",
        na_text="非易地扶贫搬迁户，不适用",
        severity=WARNING,
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
        severity=INFO,
        fix="核对在校生状况是否应改为文化程度",
        source="在校生状况与年龄的逻辑关系（数据逻辑校验）",
    ),
    Rule(
        code="dq_dibao_logic",
        criterion="dq",
        title="低保户属性与成员低保享受一致",
        applies=OneOf(Field("attribute", "code"), ("dibao_poor", "dibao_household")),
        check=AnyMember(IsTrue(MemberField("is_dibao"))),
        unmet_text="贫困户属性为低保，但没有成员登记享受低保",
        na_text="非低保户，不适用",
        severity=WARNING,
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
        severity=CRITICAL,
        fix="核实该户状态：按纳入、退出或返贫程序补办，或由县级用户按国家系统数据导入更正",
        source="规划一(二)6 贫困退出程序；建档立卡识别“两公示一公告”（docs/adr/0031）",
    ),
)

INDICATOR_RULESET = RuleSet("indicators", INDICATOR_CRITERIA, INDICATOR_RULES)
DQ_RULES = tuple(rule for rule in INDICATOR_RULES if rule.criterion == "dq")
