"""Build the demo county (嵩明县) deterministically: the seed's region tree plus demo villages, demo users of
every role, and a registered population that reproduces the seed's figures. Names and ID numbers are
synthetic (valid by checksum) and every household is flagged ``is_demo``.
"""

import datetime
import json
import random
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
from tuopin.demo.households import (
    DEMO_VILLAGES,
    SURNAMES,
    Context,
    draw_household,
    person_name,
)
from tuopin.demo.years import build_years
from tuopin.policy.models import StandardKey
from tuopin.policy.services import standard_set, standards_seed_county
from tuopin.projects.services import projects_load_seed_plan
from tuopin.regions.models import Kind, Level, Region
from tuopin.regions.services import region_create, region_tree_load
from tuopin.registry.models import Household, Person, PovertyStatus
from tuopin.registry.procedures import legacy_cases_record

SEED = 2018
DEMO_PASSWORD = "demo-2018"  # noqa: S105 - documented demo logins, README
TREE_FILE = Path(__file__).resolve().parent.parent / "regions" / "data" / "songming.json"


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
                full_name=person_name(rng, SURNAMES),
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
        household, people = draw_household(
            ctx, village, group, block, size, cadre=_cadre_for(ctx, n, village)
        )
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
            block = pop.Block(code, PovertyStatus.UNREGISTERED, 1, size)
            household, people = draw_household(
                ctx, village, rng.choice(ctx.groups_by_village[village.pk]), block, size, None
            )
            household.household_no = "K" + household.household_no
            household.status = household.status_by_procedure = PovertyStatus.UNREGISTERED
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
