"""The demo county's synthetic households and members: names, ages, ID numbers, incomes and conditions
drawn from one seeded random generator (see ``build.py``)."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from tuopin.accounts.models import User
from tuopin.demo import population as pop
from tuopin.regions.models import Region
from tuopin.registry.identity import make_id_number
from tuopin.registry.models import Household, PovertyStatus

REFERENCE_DATE = datetime.date(2018, 8, 31)

SURNAMES = "李张王杨赵刘陈周马朱段孙杜沈何罗熊陶苏高叶徐黄吴胡郭尹钱施董普".replace("", " ").split()
MIAO_SURNAMES = "王杨熊陶张李项马侯韩".replace("", " ").split()
GIVEN = "国华明秀英兰芳文春平德成云贵林昌富荣金玉琼美丽志强永红建光学海顺发福珍菊凤桂仙丽娟琴".replace(
    "", " "
).split()
WORK_PLACES = ["嵩明县杨林经开区", "昆明市", "嵩明县城", "曲靖市", "广东省东莞市", "浙江省宁波市", "本乡镇"]
DEMO_VILLAGES = {"530127001000": 20, "530127101000": 18, "530127102000": 15, "530127103000": 14}
CAUSES = [
    "illness",
    "disability",
    "schooling",
    "lack_skills",
    "lack_labor",
    "lack_capital",
    "poor_transport",
    "lack_water",
    "lack_land",
    "low_motivation",
    "disaster",
    "other",
]
CAUSE_WEIGHTS = [24, 12, 9, 14, 12, 11, 5, 3, 3, 4, 2, 1]


@dataclass
class Context:
    rng: random.Random
    villages: dict[str, Region]
    groups_by_village: dict[int, list[Region]]
    cadres: list[User] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    household_seq: dict[int, int] = field(default_factory=dict)


def person_name(rng: random.Random, surnames: list[str]) -> str:
    return rng.choice(surnames) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def draw_household(ctx: Context, village: Region, group, block: pop.Block, size: int, cadre: User | None):
    rng = ctx.rng
    seq = ctx.household_seq.get(village.pk, 0) + 1
    ctx.household_seq[village.pk] = seq
    miao = village.code in {"530127102001", "530127103001"}
    cause = rng.choices(CAUSES, CAUSE_WEIGHTS)[0]
    others = [c for c in rng.sample(CAUSES, 3) if c != cause][: rng.choice((0, 1, 1, 2))]
    status = block.status
    ident_year, exit_year, per_capita = _years_and_income(rng, village, block)
    income = _income_items(rng, per_capita * size)
    household = Household(
        household_no=f"{village.code}{seq:04d}",
        village=village,
        group=group,
        data_year=pop.DATA_YEAR,
        status=status,
        status_by_procedure=status,  # recorded below as 历史数据迁入
        identification_standard="national",
        attribute="general",
        identification_year=ident_year,
        exit_year=exit_year,
        planned_exit_year=block.planned_exit_year,
        main_cause=cause,
        other_cause_1=others[0] if others else "",
        other_cause_2=others[1] if len(others) > 1 else "",
        **income,
        schooling_expense=Decimal(rng.choice((0, 0, 800, 1500, 3000)))
        if cause == "schooling"
        else Decimal(0),
        medical_self_paid=Decimal(rng.randrange(0, 2500)),
        cultivated_land=Decimal(rng.randrange(5, 60)) / 10,
        forest_land=Decimal(rng.randrange(0, 80)) / 10,
        has_food_security=True,
        has_clothing_security=True,
        has_living_power=True,
        has_production_power=rng.random() < 0.9,
        has_broadcast_tv=True,
        has_safe_drinking_water=True,
        is_water_difficult=False,
        water_source=rng.choice(("tap_treated", "tap_treated", "protected_well")),
        fuel=rng.choice(("firewood", "electricity", "lpg_bottled", "coal")),
        road=rng.choice(("cement", "cement", "gravel")),
        has_sanitary_toilet=rng.random() < 0.8,
        housing_area=Decimal(rng.randrange(40, 160)),
        house_structure=rng.choice(("brick_concrete", "brick_wood", "brick_wood", "earth")),
        house_grade=rng.choice(("A", "A", "B", "B", "B")),
        house_built_year=rng.randrange(1985, 2017),
        responsible_cadre=cadre,
        is_demo=True,
    )
    if block.relocated_to:
        _relocate(rng, household, group)
    people = _members(ctx, household, size, miao=miao)
    _mark_health(rng, people, cause)
    return household, people


def _years_and_income(
    rng: random.Random, village: Region, block: pop.Block
) -> tuple[int, int | None, Decimal]:
    """Identification year, exit year and per-capita net income of a household of ``block``."""
    if block.status == PovertyStatus.EXITED:
        exit_year = 2016 if village.poor_village_exit_year == 2016 else rng.choice((2015, 2016, 2017, 2017))
        if block.relocated_to:
            exit_year = 2017
        ident_year = 2014 if exit_year <= 2016 else rng.choice((2014, 2014, 2015))
        return ident_year, exit_year, Decimal(rng.randrange(4200, 12000))
    ident_year = rng.choice((2014, 2014, 2014, 2015, 2016, 2017))
    low, high = (3350, 6800) if block.planned_exit_year == pop.PLAN_YEAR else (1500, 3100)
    return ident_year, None, Decimal(rng.randrange(low, high))


def _income_items(rng: random.Random, net: Decimal) -> dict[str, Decimal]:
    """The income items and business expense that make up ``net``."""
    expense = (net * Decimal("0.12")).quantize(Decimal("1"))
    gross = net + expense
    wage = (gross * Decimal(rng.choice(("0.45", "0.55", "0.60")))).quantize(Decimal("1"))
    business = (gross * Decimal("0.25")).quantize(Decimal("1"))
    prop = (gross * Decimal("0.03")).quantize(Decimal("1"))
    return {
        "wage_income": wage,
        "business_income": business,
        "property_income": prop,
        "transfer_income": gross - wage - business - prop,
        "business_expense": expense,
    }


def _relocate(rng: random.Random, household: Household, group: Region) -> None:
    """A household moved to the resettlement site ``group`` (易地扶贫搬迁): a new safe house."""
    household.is_relocated = True
    household.relocation_mode = "centralized"
    household.relocation_site = group.name + "安置点"
    household.relocation_year = 2017 if household.status == PovertyStatus.EXITED else 2018
    household.relocation_self_funding = Decimal(rng.choice((0, 3000, 5000, 8000, 10000)))
    household.relocation_debt = Decimal(0)
    household.house_grade = "A"
    household.house_structure = "brick_concrete"
    household.house_built_year = household.relocation_year


def _mark_health(rng: random.Random, people: list[dict], cause: str) -> None:
    """One member ill or disabled when that is the household's main cause of poverty."""
    if cause not in {"illness", "disability"}:
        return
    target = people[rng.randrange(len(people))]
    target["is_healthy"] = False
    if cause == "illness":
        target[rng.choice(("has_chronic_disease", "has_serious_disease"))] = True
    else:
        target["is_disabled"] = True
        target["disability_category"] = rng.choice(("physical", "visual", "intellectual", "hearing"))


def _members(ctx: Context, household: Household, size: int, *, miao: bool) -> list[dict]:
    rng = ctx.rng
    surnames = MIAO_SURNAMES if miao else SURNAMES
    family = rng.choice(surnames)
    head_age = rng.randrange(62, 86) if size == 1 else rng.randrange(28, 66)
    head_sex = "male" if rng.random() < 0.85 else "female"
    roles: list[tuple[str, int, str | None]] = [("head", head_age, head_sex)]
    if size >= 2:
        spouse_sex = "female" if head_sex == "male" else "male"
        roles.append(("spouse", max(20, head_age + rng.randrange(-5, 4)), spouse_sex))
    slots = size - len(roles)
    if slots >= 3 and head_age < 55:
        roles.append(("father" if rng.random() < 0.5 else "mother", head_age + rng.randrange(22, 32), None))
        slots -= 1
    for _ in range(slots):
        child_age = max(0, min(head_age - 18, rng.randrange(0, 30)))
        roles.append(("child", child_age, None))
    people = []
    for relation, age, sex in roles:
        sex = sex or rng.choice(("male", "female"))
        if relation == "child":
            relation = "son" if sex == "male" else "daughter"
        if relation in {"father", "mother"}:
            sex = "male" if relation == "father" else "female"
        name = (
            family + person_name(rng, surnames)[1:]
            if relation in {"head", "son", "daughter", "father"}
            else person_name(rng, surnames)
        )
        people.append(_person(ctx, name, relation, age, sex, miao=miao))
    return people


def _person(ctx: Context, name: str, relation: str, age: int, sex: str, *, miao: bool) -> dict:
    rng = ctx.rng
    birth = REFERENCE_DATE - datetime.timedelta(days=age * 365 + rng.randrange(0, 360))
    while True:
        seq = rng.randrange(0, 500) * 2 + (1 if sex == "male" else 0)
        number = make_id_number("530127", birth, seq)
        if number not in ctx.used_ids:
            ctx.used_ids.add(number)
            break
    education, schooling = "", ""
    if age <= 2:
        education = "preschool_child"
    elif age <= 5:
        schooling = "preschool"
    elif age <= 11:
        schooling = "primary"
    elif age <= 14:
        schooling = ("grade7", "grade8", "grade9")[age - 12]
    elif age <= 17:
        if rng.random() < 0.75:
            schooling = rng.choice(
                ("senior1", "senior2", "senior3", "secondary_vocational1", "secondary_vocational2")
            )
        else:
            education = "junior"
    elif age <= 21 and rng.random() < 0.3:
        schooling = rng.choice(("higher_vocational1", "higher_vocational2", "college_plus"))
    else:
        weights = [30, 40, 25, 5] if age > 50 else [5, 30, 50, 15]
        education = rng.choices(("illiterate", "primary", "junior", "senior"), weights)[0]
    working_age = 16 <= age <= 60 and not schooling
    works = working_age and rng.random() < 0.45
    ethnicity = (
        "06" if miao and rng.random() < 0.85 else rng.choices(("01", "03", "07", "06"), (85, 8, 5, 2))[0]
    )
    return {
        "name": name,
        "id_type": "resident_id",
        "id_number": number,
        "sex": sex,
        "birth_date": birth,
        "relation": relation,
        "ethnicity": ethnicity,
        "education": education,
        "schooling": schooling,
        "is_healthy": True,
        "labor_skill": ("skilled" if rng.random() < 0.2 else "ordinary")
        if working_age
        else ("lost" if age > 60 else "none"),
        "work_status": rng.choice(("in_township", "in_county", "in_province", "out_of_province"))
        if works
        else "",
        "work_location": rng.choice(WORK_PLACES) if works else "",
        "work_months": rng.randrange(3, 13) if works else None,
        "has_medical_insurance": True,
        "has_serious_illness_insurance": True,
        "has_pension_insurance": (rng.random() < 0.92) if age >= 16 and not schooling else False,
        "is_dibao": False,
        "is_tekun": False,
    }
