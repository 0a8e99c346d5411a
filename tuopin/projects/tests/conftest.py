"""Fixtures: the part of the 嵩明县 region tree the seed's projects name, users, households."""

import itertools

import pytest

from tuopin.accounts.models import Role, User
from tuopin.regions.models import Region
from tuopin.regions.services import region_create
from tuopin.registry.models import Household, Person

TREE = {
    ("嵩阳街道", "subdistrict"): {
        "东村居委会": ["干河菜子箐", "土白场"],
        "大营居委会": ["黄栎山小组"],
    },
    ("杨林镇", "town"): {"云林社区": []},
    ("小街镇", "town"): {
        "匡郎村委会": ["杨家村", "三岔河", "古寨河", "五条沟"],
        "落水洞村委会": [],
        "核桃村委会": ["麦地冲小组", "草子坡小组", "霞林寺"],
    },
    ("牛栏江镇", "town"): {
        "荒田村委会": ["大火地", "大麦地", "茅草田村小组", "上荒田村小组", "田坝村小组"],
        "大箐村委会": ["蛤蟆山", "马场地小组", "大箐小组"],
    },
}


@pytest.fixture
def county(db) -> Region:
    county = region_create(code="530127000000", name="嵩明县", kind="county", parent=None)
    for t, ((t_name, t_kind), villages) in enumerate(TREE.items(), start=1):
        township = region_create(code=f"530127{t:03d}000", name=t_name, kind=t_kind, parent=county)
        for v, (v_name, groups) in enumerate(villages.items(), start=1):
            kind = "residents_committee" if v_name.endswith(("居委会", "社区")) else "village_committee"
            village = region_create(
                code=f"530127{t:03d}{v:03d}",
                name=v_name,
                kind=kind,
                parent=township,
                is_poor_village=v_name
                in {"匡郎村委会", "荒田村委会", "大箐村委会", "东村居委会", "云林社区"},
                poor_village_exit_year=2016 if v_name in {"东村居委会", "云林社区"} else None,
            )
            for g, g_name in enumerate(groups, start=1):
                region_create(
                    code=f"5399{t:02d}{v:03d}{g:03d}", name=g_name, kind="natural_village", parent=village
                )
    return county


def region(name: str) -> Region:
    return Region.objects.get(name=name)


_counter = itertools.count(1)


def make_user(role: str, place: Region | None, **extra) -> User:
    n = next(_counter)
    return User.objects.create_user(
        username=f"{role}{n}",
        password="pw-123456-x",
        role=role,
        region=place,
        full_name=f"{role}{n}",
        **extra,
    )


@pytest.fixture
def county_user(county) -> User:
    return make_user(Role.COUNTY, county)


@pytest.fixture
def xiaojie_user(county) -> User:
    return make_user(Role.TOWNSHIP, region("小街镇"))


@pytest.fixture
def niulanjiang_user(county) -> User:
    return make_user(Role.TOWNSHIP, region("牛栏江镇"))


@pytest.fixture
def huangtian_user(county) -> User:
    return make_user(Role.VILLAGE, region("荒田村委会"))


@pytest.fixture
def inspector(county) -> User:
    return make_user(Role.INSPECTOR, county)


def make_household(village: Region, *, status: str = "poor", data_year: int = 2018, members=(), **fields):
    n = next(_counter)
    household = Household.objects.create(
        household_no=f"H{n:06d}",
        village=village,
        data_year=data_year,
        status=status,
        status_by_procedure=status,
        main_cause="" if status == "unregistered" else "illness",
        exit_year=fields.pop("exit_year", 2018 if status == "exited" else None),
        **fields,
    )
    for i, member in enumerate(members or [{}]):
        Person.objects.create(
            household=household,
            name=member.get("name", f"成员{n}-{i}"),
            sex=member.get("sex", "male"),
            relation=member.get("relation", "head" if i == 0 else "child"),
            **{k: v for k, v in member.items() if k not in {"name", "sex", "relation"}},
        )
    return household
