"""Build the demo county (嵩明县) deterministically: the seed's region tree plus demo villages, demo users of
every role, and a registered population that reproduces the seed's figures. Names and ID numbers are
synthetic (valid by checksum) and every household is flagged ``is_demo``.
"""

import datetime
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from tuopin.accounts.models import Role, User
from tuopin.accounts.permissions import console_actor
from tuopin.assessment.services import assessment_run
from tuopin.demo import population as pop
from tuopin.demo.assistance import build_assistance
from tuopin.demo.db import refresh_planner_statistics
from tuopin.policy.models import StandardKey
from tuopin.policy.services import standard_set, standards_seed_county
from tuopin.projects.services import projects_load_seed_plan
from tuopin.regions.models import Kind, Level, Region
from tuopin.regions.services import region_create, region_tree_load
from tuopin.registry.identity import make_id_number
from tuopin.registry.models import Household, Person
from tuopin.registry.procedures import legacy_cases_record

SEED = 2018
DEMO_PASSWORD = "demo-2018"  # noqa: S105 - documented demo logins, README
REFERENCE_DATE = datetime.date(2018, 8, 31)
TREE_FILE = Path(__file__).resolve().parent.parent / "regions" / "data" / "songming.json"

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


def build_demo(*, verbose: bool = False) -> dict[str, int]:
    """Create the demo county in an empty database. Refuses to run twice."""
    if Household.objects.exists():
        raise RuntimeError("数据库中已有农户数据，演示数据只能在空库中生成")
    with transaction.atomic():
        rng = random.Random(SEED)
        county = region_tree_load(data=json.loads(TREE_FILE.read_text(encoding="utf-8")))
        _demo_villages(county, rng)
        users = _users(county, rng)
        ctx = Context(
            rng=rng,
            villages={r.code: r for r in Region.objects.filter(level=Level.VILLAGE)},
            groups_by_village={},
            cadres=users,
        )
        for group in Region.objects.filter(level=Level.GROUP).order_by("code"):
            ctx.groups_by_village.setdefault(int(group.parent_id or 0), []).append(group)
        households, people = _registered(ctx)
        h2, p2 = _unregistered(ctx)
        refresh_planner_statistics()
        plan = projects_load_seed_plan(by=console_actor())
        _standards(county)
        run = assessment_run(year=pop.PLAN_YEAR, by=console_actor())
        structure = build_assistance()
        from tuopin.demo.years import build_years

        yearly = build_years()
        refresh_planner_statistics()
        return {
            **yearly,
            "households": households + h2,
            "people": people + p2,
            "projects": plan.projects,
            "assessment_run": run.pk,
            "assistance_units": structure["units"],
        }


def _standards(county: Region) -> None:
    """The seed's own county standards, plus a demo value for the one the seed states without a figure."""
    standards_seed_county(county=county, by=console_actor())
    standard_set(
        key=StandardKey.MEDICAL_SELF_PAID_LIMIT,
        year=pop.PLAN_YEAR,
        region=county,
        value=Decimal(12000),
        source_document="演示值（规划只写“不超过所在当年农村居民人均可支配收入”，未给出数额）",
        note="正式使用前按统计部门公布的当年农村居民人均可支配收入填写",
        needs_confirmation=True,
        by=console_actor(),
    )


def _demo_villages(county: Region, rng: random.Random) -> None:
    declared = json.loads(TREE_FILE.read_text(encoding="utf-8"))["declared"]
    for township in Region.objects.filter(level=Level.TOWNSHIP).order_by("code"):
        for n in range(1, DEMO_VILLAGES[township.code] + 1):
            region_create(
                code=f"{township.code[:9]}{200 + n:03d}",
                name=f"{township.name[:2]}演示{n:02d}村委会",
                kind=Kind.VILLAGE_COMMITTEE,
                parent=township,
                source="演示数据：规划未列名的村（居）委会",
                is_demo=True,
            )
    villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("code"))
    assert len(villages) == declared["villages"], "demo villages must complete the seed's 75"  # noqa: S101
    existing = Region.objects.filter(level=Level.GROUP).count()
    to_add = declared["natural_villages"] - existing
    counts = {v.pk: v.children.count() for v in villages}
    # Give every village six groups or more, then top up round-robin to the seed's 446.
    per_village = {pk: max(0, 6 - c) for pk, c in counts.items()}
    surplus = to_add - sum(per_village.values())
    order = [v.pk for v in villages]
    i = 0
    while surplus != 0:
        pk = order[i % len(order)]
        step = 1 if surplus > 0 else -1
        if per_village[pk] + step >= 0:
            per_village[pk] += step
            surplus -= step
        i += 1
    for village in villages:
        start = counts[village.pk]
        for n in range(start + 1, start + per_village[village.pk] + 1):
            region_create(
                code=f"{village.code}{n:03d}",
                name=f"第{n}村民小组",
                kind=Kind.VILLAGE_GROUP,
                parent=village,
                source="演示数据",
                is_demo=True,
            )


def _users(county: Region, rng: random.Random) -> list[User]:
    by_code = {r.code: r for r in Region.objects.filter(level__lte=Level.VILLAGE)}
    logins = [
        ("county", "县乡村振兴局（演示）", Role.COUNTY, county),
        ("admin", "县级管理员（演示）", Role.ADMIN, county),
        ("songyang", "嵩阳街道（演示）", Role.TOWNSHIP, by_code["530127001000"]),
        ("xiaojie", "小街镇（演示）", Role.TOWNSHIP, by_code["530127102000"]),
        ("niulanjiang", "牛栏江镇（演示）", Role.TOWNSHIP, by_code["530127103000"]),
        ("kuanglang", "匡郎村委会（演示）", Role.VILLAGE, by_code["530127102001"]),
        ("huangtian", "荒田村委会（演示）", Role.VILLAGE, by_code["530127103001"]),
        ("dongcun", "东村居委会（演示）", Role.VILLAGE, by_code["530127001001"]),
        ("inspector", "县督查组（演示）", Role.INSPECTOR, county),
    ]
    encoded = make_password(DEMO_PASSWORD)  # hashed once: every demo login shares the documented password
    for username, name, role, region in logins:
        User.objects.create(
            username=username, full_name=name, role=role, region=region, is_demo=True, password=encoded
        )
    cadres = []
    for n in range(1, pop.CADRES + 1):
        cadres.append(
            User(
                username=f"cadre{n:03d}",
                full_name=_name(rng, SURNAMES),
                role=Role.CADRE,
                region=county,
                work_unit=f"县直单位{(n - 1) % 72 + 1:02d}（演示）",
                is_demo=True,
                password="!",  # unusable: only the documented demo login below can sign in
            )
        )
    User.objects.bulk_create(cadres)
    cadres = list(User.objects.filter(role=Role.CADRE).order_by("username"))
    login = cadres[0]
    login.username, login.full_name, login.password = "cadre", "帮扶责任人（演示）", encoded
    login.save()
    return cadres


def _name(rng: random.Random, surnames: list[str]) -> str:
    return rng.choice(surnames) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _split(rng: random.Random, households: int, people: int, cap: int = 9) -> list[int]:
    """Household sizes (1..cap) that add up to ``people`` exactly."""
    sizes = [1] * households
    for _ in range(people - households):
        while True:
            i = rng.randrange(households)
            if sizes[i] < cap:
                sizes[i] += 1
                break
    return sizes


def _registered(ctx: Context) -> tuple[int, int]:
    demo_villages = [v for code, v in sorted(ctx.villages.items()) if v.is_demo][
        : pop.DEMO_VILLAGES_WITH_HOUSEHOLDS
    ]
    specs = []  # (village, group, status, size, planned, relocated)
    for block in (*pop.NAMED_BLOCKS, *pop.remaining_blocks()):
        sizes = _split(ctx.rng, block.households, block.people)
        for i, size in enumerate(sizes):
            village = (
                ctx.villages[block.village]
                if block.village != "demo"
                else demo_villages[i % len(demo_villages)]
            )
            group = None
            if block.relocated_to:
                group = Region.objects.get(code=block.relocated_to)
            elif ctx.groups_by_village.get(village.pk):
                group = ctx.rng.choice(ctx.groups_by_village[village.pk])
            specs.append((village, group, block, size))
    households, members = [], []
    for n, (village, group, block, size) in enumerate(specs):
        household, people = _household(ctx, village, group, block, size, cadre=_cadre_for(ctx, n, village))
        households.append(household)
        members.append(people)
    _mark_dibao(ctx, households, members)
    _plant_failures(ctx, households, members)
    written = _write(households, members)
    _legacy_procedures([h.household_no for h in households])
    return written


def _legacy_procedures(household_nos: list[str]) -> None:
    """The demo's statuses come from before the system (identification 2014–2017, exits 2015–2017): each
    household gets a 历史数据迁入 record, so the status has a procedure behind it and the data-quality rule
    stays quiet; a status changed later without a procedure is flagged."""
    saved = list(Household.objects.filter(household_no__in=household_nos))
    legacy_cases_record(
        households=saved,
        by=console_actor(),
        on_date=datetime.date(2018, 7, 25),
        note="历史数据迁入（演示数据：识别、退出、返贫在系统启用前办理）",
    )


def _cadre_for(ctx: Context, n: int, village: Region) -> User:
    # The login "cadre" is paired with the first three 匡郎 households; the rest go round the 642 cadres.
    if village.code == "530127102001" and n < 3:
        return ctx.cadres[0]
    return ctx.cadres[1 + n % (len(ctx.cadres) - 1)]


def _household(ctx: Context, village: Region, group, block: pop.Block, size: int, cadre: User | None):
    rng = ctx.rng
    seq = ctx.household_seq.get(village.pk, 0) + 1
    ctx.household_seq[village.pk] = seq
    miao = village.code in {"530127102001", "530127103001"}
    cause = rng.choices(CAUSES, CAUSE_WEIGHTS)[0]
    others = [c for c in rng.sample(CAUSES, 3) if c != cause][: rng.choice((0, 1, 1, 2))]
    status = block.status
    if status == "exited":
        exit_year = 2016 if village.poor_village_exit_year == 2016 else rng.choice((2015, 2016, 2017, 2017))
        if block.relocated_to:
            exit_year = 2017
        ident_year = 2014 if exit_year <= 2016 else rng.choice((2014, 2014, 2015))
        per_capita = Decimal(rng.randrange(4200, 12000))
    else:
        exit_year = None
        ident_year = rng.choice((2014, 2014, 2014, 2015, 2016, 2017))
        low, high = (3350, 6800) if block.planned_exit_year == pop.PLAN_YEAR else (1500, 3100)
        per_capita = Decimal(rng.randrange(low, high))
    net = per_capita * size
    expense = (net * Decimal("0.12")).quantize(Decimal("1"))
    gross = net + expense
    wage = (gross * Decimal(rng.choice(("0.45", "0.55", "0.60")))).quantize(Decimal("1"))
    business = (gross * Decimal("0.25")).quantize(Decimal("1"))
    prop = (gross * Decimal("0.03")).quantize(Decimal("1"))
    transfer = gross - wage - business - prop
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
        wage_income=wage,
        business_income=business,
        property_income=prop,
        transfer_income=transfer,
        business_expense=expense,
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
        household.is_relocated = True
        household.relocation_mode = "centralized"
        household.relocation_site = group.name + "安置点"
        household.relocation_year = 2017 if status == "exited" else 2018
        household.relocation_self_funding = Decimal(rng.choice((0, 3000, 5000, 8000, 10000)))
        household.relocation_debt = Decimal(0)
        household.house_grade = "A"
        household.house_structure = "brick_concrete"
        household.house_built_year = household.relocation_year
    people = _members(ctx, household, size, miao=miao)
    if cause in {"illness", "disability"}:
        target = people[rng.randrange(len(people))]
        target["is_healthy"] = False
        if cause == "illness":
            target[rng.choice(("has_chronic_disease", "has_serious_disease"))] = True
        else:
            target["is_disabled"] = True
            target["disability_category"] = rng.choice(("physical", "visual", "intellectual", "hearing"))
    return household, people


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
            family + _name(rng, surnames)[1:]
            if relation in {"head", "son", "daughter", "father"}
            else _name(rng, surnames)
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


def _mark_dibao(ctx: Context, households: list[Household], members: list[list[dict]]) -> None:
    """386 registered people receive 低保, mostly one per household (按人施保, seed 一(三)5)."""
    order = sorted(
        range(len(households)),
        key=lambda i: (
            households[i].main_cause not in {"illness", "disability", "lack_labor"},
            ctx.rng.random(),
        ),
    )
    left = pop.DIBAO_PEOPLE
    for i in order:
        if left == 0:
            break
        households[i].attribute = "dibao_poor"
        take = 2 if left > 370 and len(members[i]) > 2 and ctx.rng.random() < 0.1 else 1
        for person in members[i][:take]:
            person["is_dibao"] = True
            left -= 1


def _plant_failures(ctx: Context, households: list[Household], members: list[list[dict]]) -> None:
    """Make a few households of the 2018 plan fail one criterion each, so the assessment has work to show."""
    planned = [
        i for i, h in enumerate(households) if h.planned_exit_year == pop.PLAN_YEAR and not h.is_relocated
    ]
    picks = ctx.rng.sample(planned, 16)
    for n, i in enumerate(picks):
        household, people = households[i], members[i]
        if n < 5:  # income under the line
            size = len(people)
            household.wage_income = Decimal(900 * size)
            household.business_income = Decimal(1500 * size)
            household.property_income = Decimal(0)
            household.transfer_income = Decimal(600 * size)
            household.business_expense = Decimal(100 * size)
        elif n < 9:  # dangerous house
            household.house_grade = "C" if n < 8 else "D"
        elif n < 11:  # a member without medical insurance
            people[-1]["has_medical_insurance"] = False
        elif n < 13:  # unknown drinking water
            household.has_safe_drinking_water = None
        else:  # high out-of-pocket medical spending
            household.medical_self_paid = Decimal(16000)


def _write(households: list[Household], members: list[list[dict]]) -> tuple[int, int]:
    when = datetime.datetime(2018, 7, 25, 9, 0, tzinfo=datetime.UTC)
    bulk_create_with_history(
        households, Household, batch_size=500, default_change_reason="演示数据", default_date=when
    )
    saved = {
        h.household_no: h
        for h in Household.objects.filter(household_no__in=[h.household_no for h in households])
    }
    people = [
        Person(household=saved[h.household_no], **data)
        for h, group in zip(households, members, strict=True)
        for data in group
    ]
    bulk_create_with_history(
        people, Person, batch_size=1000, default_change_reason="演示数据", default_date=when
    )
    return len(households), len(people)


def _unregistered(ctx: Context) -> tuple[int, int]:
    rng = ctx.rng
    households, members = [], []
    for code, count in pop.UNREGISTERED_HOUSEHOLDS.items():
        village = ctx.villages[code]
        for _ in range(count):
            size = rng.choices((1, 2, 3, 4, 5, 6), (6, 16, 26, 28, 16, 8))[0]
            block = pop.Block(code, "unregistered", 1, size)
            household, people = _household(
                ctx, village, rng.choice(ctx.groups_by_village[village.pk]), block, size, None
            )
            household.household_no = "K" + household.household_no
            household.status = household.status_by_procedure = "unregistered"
            household.attribute = household.main_cause = household.other_cause_1 = household.other_cause_2 = (
                ""
            )
            household.identification_standard = ""
            household.identification_year = household.exit_year = household.planned_exit_year = None
            household.responsible_cadre = None
            # Mostly above the line; about 2% near or under it (missed-registration candidates).
            per_capita = Decimal(
                rng.randrange(2600, 3300) if rng.random() < 0.02 else rng.randrange(4500, 26000)
            )
            household.wage_income = per_capita * size
            household.business_income = Decimal(rng.randrange(0, 6000))
            household.property_income = Decimal(0)
            household.transfer_income = Decimal(rng.randrange(0, 1200))
            household.business_expense = household.business_income + household.transfer_income
            household.schooling_expense = Decimal(0)
            for person in people:
                person["has_medical_insurance"] = rng.random() < 0.97
            households.append(household)
            members.append(people)
    return _write(households, members)
