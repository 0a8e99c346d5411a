"""The standards stated by the seed plan (嵩明县脱贫攻坚规划, 2018-07-25), as rows. Loaded by migration
(provincial defaults, which the plan says it follows: “严格按照省、市政策标准”) and by
``services.standards_seed_county`` (the county's own 低保 standard). Values that could not be confirmed (docs/policy-facts.md, last section)
(2018 income line, monitoring line, 农村居民人均可支配收入) are deliberately absent: they are entered on the
standards page; the 2018 income line is inherited from 2017 and flagged for confirmation."""

from datetime import date
from decimal import Decimal

PLAN = "嵩明县脱贫攻坚规划（嵩明县人民政府扶贫开发办公室）"
PLAN_DATE = date(2018, 7, 25)

PROVINCE_DEFAULTS = [
    {
        "key": "income_line",
        "year": 2017,
        "value": Decimal("3200"),
        "note": "规划一(二)6：2017年人均纯收入不低于3200元。2018年标准在资料中未找到，沿用本值，须核实确认。",
    },
    {
        "key": "medical_outpatient_rate",
        "year": 2017,
        "value": Decimal("85"),
        "note": "规划一(二)6：28种疾病门诊政策范围内报销比例达到85%",
    },
    {
        "key": "medical_inpatient_rate",
        "year": 2017,
        "value": Decimal("90"),
        "note": "规划一(二)6：符合转诊转院的住院治疗费用实际补偿比例达到90%以上",
    },
    {
        "key": "relocation_self_funding_cap",
        "year": 2017,
        "value": Decimal("10000"),
        "note": "规划一(二)6：建房自筹资金控制在1万元以内，无建房举债",
    },
    {
        "key": "village_incidence_max",
        "year": 2017,
        "value": Decimal("2"),
        "note": "规划一(二)6：确保综合贫困发生率控制在2%以内",
    },
    {
        "key": "village_sampling_error_max",
        "year": 2017,
        "value": Decimal("1"),
        "note": "规划一(二)6：被抽查村漏评率、错评率控制在1%以内",
    },
    {
        "key": "village_collective_income_min",
        "year": 2017,
        "value": Decimal("20000"),
        "range_high": Decimal("50000"),
        "note": "规划一(二)6：贫困村出列当年集体经济收入达2—5万元以上；"
        "取区间下限2万元为判定阈值，区间记录在“区间上限”。",
    },
    {
        "key": "county_error_rate_max",
        "year": 2017,
        "value": Decimal("0"),
        "note": "规划一(二)6：确保错评率、漏评率、错退率为0",
    },
    {
        "key": "county_satisfaction_min",
        "year": 2017,
        "value": Decimal("90"),
        "note": "规划一(二)6：帮扶对象满意度达90%以上",
    },
    {
        "key": "school_age_min",
        "year": 2014,
        "value": Decimal("6"),
        "source_document": "系统默认（义务教育阶段适龄 6–15 周岁）",
        "source_date": None,
        "note": "可按省级口径调整。",
    },
    {
        "key": "school_age_max",
        "year": 2014,
        "value": Decimal("15"),
        "source_document": "系统默认（义务教育阶段适龄 6–15 周岁）",
        "source_date": None,
        "note": "可按省级口径调整。",
    },
    {
        "key": "age_reference_month",
        "year": 2014,
        "value": Decimal("8"),
        "source_document": "系统默认（年龄按当年8月31日计算）",
        "source_date": None,
        "note": "秋季入学截止日；可调整。",
        "needs_confirmation": True,
    },
    {
        "key": "age_reference_day",
        "year": 2014,
        "value": Decimal("31"),
        "source_document": "系统默认（年龄按当年8月31日计算）",
        "source_date": None,
        "note": "秋季入学截止日；可调整。",
        "needs_confirmation": True,
    },
    {
        "key": "colour_blue_multiple",
        "year": 2017,
        "value": Decimal("1.5"),
        "source_document": "系统默认（本县五色卡定义未公布，待核实；1.5倍取自监测范围惯例）",
        "source_date": None,
        "note": "嵩明县五色卡各颜色的官方定义未找到，须按县里文件核实。",
        "needs_confirmation": True,
    },
    {
        "key": "colour_green_multiple",
        "year": 2017,
        "value": Decimal("2"),
        "source_document": "系统默认（本县五色卡定义未公布，待核实）",
        "source_date": None,
        "note": "嵩明县五色卡各颜色的官方定义未找到，须按县里文件核实。",
        "needs_confirmation": True,
    },
    {
        "key": "public_notice_days",
        "year": 2016,
        "value": Decimal("7"),
        "source_document": "贫困户退出程序：村内公示不少于7天（县级实施细则）",
        "source_date": None,
        "note": "可调整。",
    },
]

COUNTY_ROWS = [
    {
        "key": "dibao_annual",
        "year": 2017,
        "value": Decimal("3840"),
        "note": "规划一(二)2：低保标准由每年3540元提高至3840元（高于2952元的国家扶贫标准）",
    },
    {
        "key": "dibao_annual",
        "year": 2018,
        "value": Decimal("3840"),
        "note": "规划一(三)5：320元/人/月，折合每年3840元",
    },
    {
        "key": "dibao_monthly",
        "year": 2018,
        "value": Decimal("320"),
        "note": "规划一(三)5：保障标准由原来的295元/人/月提高到320元/人/月",
    },
]


def rows(defaults: list[dict]) -> list[dict]:
    return [
        {"source_document": PLAN, "source_date": PLAN_DATE, "needs_confirmation": False, **row}
        for row in defaults
    ]


# Monitoring (防止返贫动态监测) standards stated by published documents. Years whose value was not found are not
# loaded here: they inherit the last value, flagged for confirmation (the demo county adds flagged demo values).
MONITORING_DEFAULTS = [
    {
        "key": "monitoring_line",
        "year": 2021,
        "value": Decimal("6000"),
        "source_document": "中农组发〔2021〕7号：监测范围底线为脱贫攻坚期国家扶贫标准的1.5倍（2021年6000元）",
        "source_date": None,
        "note": "各省每年调整；云南省2021—2024年数值未找到，须核实。",
        "needs_confirmation": True,
    },
    {
        "key": "monitoring_line",
        "year": 2025,
        "value": Decimal("8700"),
        "source_document": "云农办通〔2025〕1号：2025年度防止返贫致贫监测范围",
        "source_date": None,
        "note": "家庭年人均纯收入8700元。",
    },
    {
        "key": "monitoring_income_drop_share",
        "year": 2021,
        "value": Decimal("30"),
        "source_document": "系统默认（收入大幅缩减的判定比例）",
        "source_date": None,
        "note": "上级文件未给出统一比例，须按县里口径核实。",
        "needs_confirmation": True,
    },
    {
        "key": "monitoring_medical_self_paid",
        "year": 2021,
        "value": Decimal("5000"),
        "source_document": "系统默认（参照一地医保部门推送口径：脱贫人口住院自付5000元以上）",
        "source_date": None,
        "note": "须按县医保部门推送口径核实。",
        "needs_confirmation": True,
    },
    {
        "key": "monitoring_unemployed_months",
        "year": 2021,
        "value": Decimal("6"),
        "source_document": "系统默认（劳动力全部无工可务达半年）",
        "source_date": None,
        "note": "须核实。",
        "needs_confirmation": True,
    },
    {
        "key": "monitoring_decision_days",
        "year": 2021,
        "value": Decimal("15"),
        "source_document": "识别认定程序：从发现线索到完成认定原则上不超过15天",
        "source_date": None,
        "note": "可调整。",
    },
    {
        "key": "monitoring_notice_days",
        "year": 2021,
        "value": Decimal("5"),
        "source_document": "识别认定程序：村内公示不少于5天",
        "source_date": None,
        "note": "公示不得含身份证号、电话、银行账号和健康信息。",
    },
    {
        "key": "monitoring_stable_years",
        "year": 2021,
        "value": Decimal("1"),
        "source_document": "风险消除：收入持续稳定（原则上不少于半年），按年度采集数据取1个年度",
        "source_date": None,
        "note": "可调整。",
        "needs_confirmation": True,
    },
]
