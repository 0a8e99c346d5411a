"""Fixtures: the part of the 嵩明县 region tree the seed's projects name, users, households — all built with
the apps' factory_boy factories."""

from typing import Any

import pytest

from tuopin.accounts.models import Role, User
from tuopin.accounts.permissions import console_actor
from tuopin.accounts.tests.factories import UserFactory
from tuopin.projects.services import LoadResult, projects_load_seed_plan
from tuopin.regions.models import Kind, Level, Region
from tuopin.regions.tests.factories import RegionFactory
from tuopin.registry.models import Household, PovertyStatus
from tuopin.registry.tests.factories import HouseholdFactory, PersonFactory

COUNTY_CODE = "530127000000"
TREE = {
    ("嵩阳街道", Kind.SUBDISTRICT): {
        "东村居委会": ["干河菜子箐", "土白场"],
        "大营居委会": ["黄栎山小组"],
    },
    ("杨林镇", Kind.TOWN): {"云林社区": []},
    ("小街镇", Kind.TOWN): {
        "匡郎村委会": ["杨家村", "三岔河", "古寨河", "五条沟"],
        "落水洞村委会": [],
        "核桃村委会": ["麦地冲小组", "草子坡小组", "霞林寺"],
    },
    ("牛栏江镇", Kind.TOWN): {
        "荒田村委会": ["大火地", "大麦地", "茅草田村小组", "上荒田村小组", "田坝村小组"],
        "大箐村委会": ["蛤蟆山", "马场地小组", "大箐小组"],
    },
}
POOR_VILLAGES = {"匡郎村委会", "荒田村委会", "大箐村委会", "东村居委会", "云林社区"}
EXITED_2016 = {"东村居委会", "云林社区"}


def _village(township: Region, code: str, name: str) -> Region:
    kind = Kind.RESIDENTS_COMMITTEE if name.endswith(("居委会", "社区")) else Kind.VILLAGE_COMMITTEE
    return RegionFactory.create(
        code=code,
        name=name,
        kind=kind,
        level=Level.VILLAGE,
        parent=township,
        is_poor_village=name in POOR_VILLAGES,
        poor_village_exit_year=2016 if name in EXITED_2016 else None,
    )


@pytest.fixture
def county(db: None) -> Region:
    county = RegionFactory.create(code=COUNTY_CODE, name="嵩明县", kind=Kind.COUNTY, level=Level.COUNTY)
    for t, ((t_name, t_kind), villages) in enumerate(TREE.items(), start=1):
        township = RegionFactory.create(
            code=f"530127{t:03d}000", name=t_name, kind=t_kind, level=Level.TOWNSHIP, parent=county
        )
        for v, (v_name, groups) in enumerate(villages.items(), start=1):
            village = _village(township, f"530127{t:03d}{v:03d}", v_name)
            for g, g_name in enumerate(groups, start=1):
                RegionFactory.create(
                    code=f"5399{t:02d}{v:03d}{g:03d}",
                    name=g_name,
                    kind=Kind.NATURAL_VILLAGE,
                    level=Level.GROUP,
                    parent=village,
                )
    return county


@pytest.fixture
def seed(county: Region) -> LoadResult:
    """The seed's plan loaded over the tree."""
    return projects_load_seed_plan(by=console_actor())


def region(name: str) -> Region:
    return Region.objects.get(name=name)


def make_user(role: str, place: Region | None, **extra: Any) -> User:
    return UserFactory.create(role=role, region=place, **extra)


@pytest.fixture
def county_user(county: Region) -> User:
    return make_user(Role.COUNTY, county)


@pytest.fixture
def xiaojie_user(county: Region) -> User:
    return make_user(Role.TOWNSHIP, region("小街镇"))


@pytest.fixture
def niulanjiang_user(county: Region) -> User:
    return make_user(Role.TOWNSHIP, region("牛栏江镇"))


@pytest.fixture
def huangtian_user(county: Region) -> User:
    return make_user(Role.VILLAGE, region("荒田村委会"))


@pytest.fixture
def inspector(county: Region) -> User:
    return make_user(Role.INSPECTOR, county)


#: a household states only what a test gives it: no incomes, no attribute (the factories' defaults would
#: make every household pass or fail the income and insurance criteria of the tests below)
BARE_HOUSEHOLD: dict[str, Any] = {
    "attribute": "",
    "identification_year": None,
    "wage_income": None,
    "business_income": None,
    "property_income": None,
    "transfer_income": None,
    "business_expense": None,
}
BARE_PERSON: dict[str, Any] = {
    "birth_date": None,
    "id_number": None,
    "education": "",
    "is_healthy": False,
    "has_medical_insurance": None,
}


def make_household(
    village: Region,
    *,
    status: str = PovertyStatus.POOR,
    data_year: int = 2018,
    members: tuple[dict[str, Any], ...] | list[dict[str, Any]] = (),
    **fields: Any,
) -> Household:
    """A household of the village with the given members (one head by default); an exited household exited
    in 2018 unless ``exit_year`` says otherwise."""
    household = HouseholdFactory.create(
        village=village,
        data_year=data_year,
        status=status,
        status_by_procedure=status,
        main_cause="" if status == PovertyStatus.UNREGISTERED else "illness",
        exit_year=fields.pop("exit_year", 2018 if status == PovertyStatus.EXITED else None),
        members=0,
        **{**BARE_HOUSEHOLD, **fields},
    )
    for i, member in enumerate(members or [{}]):
        PersonFactory.create(
            household=household,
            relation=member.get("relation", "head" if i == 0 else "child"),
            **{**BARE_PERSON, **{k: v for k, v in member.items() if k != "relation"}},
        )
    return household
