"""The one column layout of the registry spreadsheet: one row per person, as the national system exports it
(docs/policy-facts.md §2): 县/乡/村/组, 户编号, 姓名, 证件号码, 与户主关系, then member fields, then household
fields repeated on every row of the household.

Import, export and the template all read this module, so an export imports back unchanged. Free of Django:
code-list labels reach it as plain mappings.
"""

from dataclasses import dataclass
from enum import StrEnum

from tuopin.imports.parsing.constants import Sex, Status


class Kind(StrEnum):
    TEXT = "text"  # free text
    ID = "id"  # 证件号码: text, never a number
    CODE = "code"  # value of a year-versioned code list, cell holds the Chinese label
    CHOICE = "choice"  # fixed choices (sex, poverty status), cell holds the Chinese label
    BOOL = "bool"  # 是/否, blank = 否
    NBOOL = "nbool"  # 是/否, blank = unknown
    INT = "int"
    YEAR = "year"
    MONEY = "money"  # yuan, two decimals
    AREA = "area"  # mu, km, m²: two decimals
    DATE = "date"
    HEALTH = "health"  # 健康状况: several labels joined by "，" → four flags
    COUNT = "count"  # 家庭人口数: checked against the rows, not stored
    TOTAL = "total"  # 年收入 / 纯收入: checked against the parts, not stored


class Level(StrEnum):
    LOCATION = "location"
    HOUSEHOLD = "household"
    PERSON = "person"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    level: Level
    kind: Kind
    code_list: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    aliases: tuple[str, ...] = ()
    max_length: int = 0
    blank_words: tuple[str, ...] = ()  # spellings of "none" in national exports, read as a blank cell


SEX_CHOICES: tuple[tuple[str, str], ...] = ((Sex.MALE, "男"), (Sex.FEMALE, "女"))
STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    (Status.UNREGISTERED, "卡外农户"),
    (Status.POOR, "未脱贫"),
    (Status.EXITED, "已脱贫"),
    (Status.RELAPSED, "返贫"),
)
# 健康状况 (docs/policy-facts.md §2): a set of flags, written in this order joined by "，".
HEALTH_FLAGS = (
    ("is_healthy", "健康"),
    ("has_chronic_disease", "长期慢性病"),
    ("has_serious_disease", "患有大病"),
    ("is_disabled", "残疾"),
)
TRUE_WORDS = frozenset({"是", "有", "Y", "y", "1", "TRUE", "True", "true", "√"})
FALSE_WORDS = frozenset({"否", "无", "N", "n", "0", "FALSE", "False", "false", "×"})

L, H, P = Level.LOCATION, Level.HOUSEHOLD, Level.PERSON


def _c(
    header: str,
    key: str,
    level: Level,
    kind: Kind,
    code_list: str = "",
    *,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    choices: tuple[tuple[str, str], ...] = (),
    max_length: int = 0,
    blank_words: tuple[str, ...] = (),
) -> Column:
    return Column(
        header, key, level, kind, code_list, choices, required, tuple(aliases), max_length, tuple(blank_words)
    )


REGISTRY_COLUMNS: tuple[Column, ...] = (
    _c("县", "county", L, Kind.TEXT, required=True, aliases=("县（市、区）", "县(市、区)", "县区")),
    _c(
        "乡",
        "township",
        L,
        Kind.TEXT,
        required=True,
        aliases=("乡镇", "乡（镇）", "镇（街道）", "乡镇（街道）"),
    ),
    _c(
        "村",
        "village",
        L,
        Kind.TEXT,
        required=True,
        aliases=("行政村", "村委会", "村（居）委会", "村（社区）"),
    ),
    _c("组", "group", L, Kind.TEXT, aliases=("村民小组", "自然村", "村小组")),
    _c("户编号", "household_no", H, Kind.TEXT, required=True, aliases=("户码",), max_length=32),
    _c("姓名", "name", P, Kind.TEXT, required=True, aliases=("成员姓名",), max_length=50),
    _c(
        "证件号码", "id_number", P, Kind.ID, required=True, aliases=("身份证号", "身份证号码", "公民身份号码")
    ),
    _c("与户主关系", "relation", P, Kind.CODE, "relation", required=True),
    _c("人口编号", "person_no", P, Kind.TEXT, aliases=("人编号", "个人编号"), max_length=32),
    _c("证件类型", "id_type", P, Kind.CODE, "id_type"),
    _c("性别", "sex", P, Kind.CHOICE, choices=SEX_CHOICES, required=True),
    _c("出生日期", "birth_date", P, Kind.DATE),
    _c("民族", "ethnicity", P, Kind.CODE, "ethnicity"),
    _c("文化程度", "education", P, Kind.CODE, "education"),
    _c(
        "在校生状况",
        "schooling",
        P,
        Kind.CODE,
        "schooling",
        aliases=("在校生情况", "在校学生"),
        blank_words=("非在校生", "非在校", "不在校", "否", "无", "/"),
    ),
    _c("健康状况", "health", P, Kind.HEALTH, required=True),
    _c(
        "残疾类别",
        "disability_category",
        P,
        Kind.CODE,
        "disability",
        blank_words=("无", "非残疾", "非残疾人", "否", "/"),
    ),
    _c("劳动技能", "labor_skill", P, Kind.CODE, "labor_skill", aliases=("劳动能力",)),
    _c("务工状况", "work_status", P, Kind.CODE, "work_status", aliases=("务工情况",)),
    _c("务工所在地", "work_location", P, Kind.TEXT, aliases=("务工地点",), max_length=100),
    _c("务工时间（月）", "work_months", P, Kind.INT, aliases=("务工时间", "务工时长（月）")),
    _c(
        "是否参加城乡居民基本医疗保险",
        "has_medical_insurance",
        P,
        Kind.NBOOL,
        aliases=(
            "是否参加新型农村合作医疗（城乡居民基本医疗保险）",
            "是否参加新型农村合作医疗",
            "是否参加居民医疗保险",
        ),
    ),
    _c("是否参加大病保险", "has_serious_illness_insurance", P, Kind.NBOOL),
    _c(
        "是否参加城乡居民基本养老保险",
        "has_pension_insurance",
        P,
        Kind.NBOOL,
        aliases=("是否参加居民基本养老保险",),
    ),
    _c(
        "是否享受低保",
        "is_dibao",
        P,
        Kind.BOOL,
        aliases=("是否享受农村居民最低生活保障", "是否享受最低生活保障", "低保人口"),
    ),
    _c("是否特困供养人员", "is_tekun", P, Kind.BOOL),
    _c("成员联系电话", "phone", P, Kind.TEXT, max_length=20),
    # household fields, repeated on every row of the household
    _c("年度", "data_year", H, Kind.YEAR, required=True, aliases=("数据年度",)),
    _c("户联系电话", "phone", H, Kind.TEXT, aliases=("联系电话",), max_length=20),
    _c("住址", "address", H, Kind.TEXT, aliases=("家庭住址",), max_length=200),
    _c(
        "脱贫状态",
        "status",
        H,
        Kind.CHOICE,
        choices=STATUS_CHOICES,
        required=True,
        aliases=("脱贫属性", "脱贫标志"),
    ),
    _c("识别标准", "identification_standard", H, Kind.CODE, "identification_standard"),
    _c("贫困户属性", "attribute", H, Kind.CODE, "attribute"),
    _c("识别年度", "identification_year", H, Kind.YEAR),
    _c("脱贫年度", "exit_year", H, Kind.YEAR),
    _c("计划脱贫年度", "planned_exit_year", H, Kind.YEAR),
    _c("主要致贫原因", "main_cause", H, Kind.CODE, "cause"),
    _c("其他致贫原因一", "other_cause_1", H, Kind.CODE, "cause", blank_words=("无", "/")),
    _c("其他致贫原因二", "other_cause_2", H, Kind.CODE, "cause", blank_words=("无", "/")),
    _c("是否军烈属", "is_military_family", H, Kind.BOOL),
    _c("家庭人口数", "member_count", H, Kind.COUNT, aliases=("当前家庭人口数",)),
    _c("工资性收入", "wage_income", H, Kind.MONEY),
    _c("生产经营性收入", "business_income", H, Kind.MONEY, aliases=("家庭经营性收入",)),
    _c("财产性收入", "property_income", H, Kind.MONEY),
    _c("转移性收入", "transfer_income", H, Kind.MONEY),
    _c("年收入（元）", "gross_income", H, Kind.TOTAL, aliases=("家庭总收入", "年总收入")),
    _c("生产经营性支出", "business_expense", H, Kind.MONEY, aliases=("生产经营费用总支出",)),
    _c("纯收入（元）", "net_income", H, Kind.TOTAL, aliases=("家庭纯收入", "年纯收入")),
    _c("就学支出", "schooling_expense", H, Kind.MONEY),
    _c("合规自付医疗费用", "medical_self_paid", H, Kind.MONEY, aliases=("合规自付支出",)),
    _c("耕地面积（亩）", "cultivated_land", H, Kind.AREA, aliases=("耕地面积",)),
    _c("有效灌溉面积（亩）", "irrigated_land", H, Kind.AREA, aliases=("有效灌溉面积",)),
    _c("林地面积（亩）", "forest_land", H, Kind.AREA, aliases=("林地面积",)),
    _c("退耕还林面积（亩）", "returned_farmland", H, Kind.AREA, aliases=("退耕还林面积",)),
    _c("林果面积（亩）", "fruit_forest", H, Kind.AREA, aliases=("林果面积",)),
    _c("牧草地面积（亩）", "pasture", H, Kind.AREA, aliases=("牧草地面积",)),
    _c("水面面积（亩）", "water_surface", H, Kind.AREA, aliases=("水面面积",)),
    _c("是否不愁吃", "has_food_security", H, Kind.NBOOL, aliases=("不愁吃",)),
    _c("是否不愁穿", "has_clothing_security", H, Kind.NBOOL, aliases=("不愁穿",)),
    _c("是否通生活用电", "has_living_power", H, Kind.NBOOL),
    _c("是否通生产用电", "has_production_power", H, Kind.NBOOL),
    _c("是否通广播电视", "has_broadcast_tv", H, Kind.NBOOL),
    _c("饮水是否安全", "has_safe_drinking_water", H, Kind.NBOOL, aliases=("是否解决安全饮用水",)),
    _c("饮水是否困难", "is_water_difficult", H, Kind.NBOOL),
    _c("饮水情况", "water_source", H, Kind.CODE, "water_source"),
    _c("主要燃料类型", "fuel", H, Kind.CODE, "fuel"),
    _c("入户路类型", "road", H, Kind.CODE, "road"),
    _c("与村主干路距离（公里）", "distance_to_road_km", H, Kind.AREA, aliases=("与村主干路距离",)),
    _c("是否有卫生厕所", "has_sanitary_toilet", H, Kind.NBOOL),
    _c("是否加入农民专业合作社", "joined_cooperative", H, Kind.NBOOL, aliases=("是否加入农民专业合作组织",)),
    _c("住房面积（平方米）", "housing_area", H, Kind.AREA, aliases=("住房面积",)),
    _c("房屋主要结构", "house_structure", H, Kind.CODE, "house_structure"),
    _c("危房等级", "house_grade", H, Kind.CODE, "house_grade", aliases=("危房级别",)),
    _c("建房年度", "house_built_year", H, Kind.YEAR, aliases=("建房时间",)),
    _c("是否易地扶贫搬迁户", "is_relocated", H, Kind.BOOL, aliases=("是否搬迁户",)),
    _c("安置方式", "relocation_mode", H, Kind.CODE, "relocation_mode"),
    _c("安置点", "relocation_site", H, Kind.TEXT, aliases=("安置地",), max_length=100),
    _c("搬迁年度", "relocation_year", H, Kind.YEAR),
    _c("建房自筹资金", "relocation_self_funding", H, Kind.MONEY),
    _c("建房举债", "relocation_debt", H, Kind.MONEY),
)

HEADERS: tuple[str, ...] = tuple(column.header for column in REGISTRY_COLUMNS)
# Every person has either a 文化程度 or an 在校生状况 (never both): a file needs at least one of the columns.
REQUIRED_ONE_OF: tuple[tuple[str, ...], ...] = (("文化程度", "在校生状况"),)
REQUIRED_HEADERS: tuple[str, ...] = tuple(column.header for column in REGISTRY_COLUMNS if column.required)
# Model fields written by an import (derived columns excluded).
HOUSEHOLD_FIELDS: tuple[str, ...] = tuple(
    column.key
    for column in REGISTRY_COLUMNS
    if column.level == H and column.kind not in (Kind.COUNT, Kind.TOTAL)
)
PERSON_FIELDS: tuple[str, ...] = tuple(
    field
    for column in REGISTRY_COLUMNS
    if column.level == P
    for field in ((name for name, _ in HEALTH_FLAGS) if column.kind == Kind.HEALTH else (column.key,))
)
INCOME_PARTS = ("wage_income", "business_income", "property_income", "transfer_income")
SHEET_NAME = "人员信息"
CODES_SHEET_NAME = "代码表"


def normalise_header(text: object) -> str:
    """Header text without spaces or required-markers, with full-width brackets (aliases match on it)."""
    value = "" if text is None else str(text)
    value = value.replace("(", "（").replace(")", "）").replace("*", "").replace("＊", "")
    return "".join(value.split())


def header_index(columns: tuple[Column, ...] = REGISTRY_COLUMNS) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            index[normalise_header(name)] = column
    return index
