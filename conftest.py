"""Shared fixtures: a small county tree, users of every role and households in two villages."""

import datetime
import itertools
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import sync_playwright

from tuopin.accounts.models import Role, User
from tuopin.accounts.tests.factories import PASSWORD as PASSWORD  # the test users' password, for the tests
from tuopin.accounts.tests.factories import UserFactory
from tuopin.regions.models import Kind, Region
from tuopin.regions.tests.factories import RegionFactory
from tuopin.registry import codes
from tuopin.registry.identity import make_id_number
from tuopin.registry.models import Household, Person, PovertyStatus
from tuopin.registry.services import code_lists_reload


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the interface language: a request in English (the locale middleware activates the
    chosen language for the thread) must not leave the next test in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_code_cache():
    codes.clear_cache()
    yield
    codes.clear_cache()


# the shared test tree: name → (code, kind, parent name)
TREE = {
    "county": ("530199000000", Kind.COUNTY, None),
    "town_a": ("530199001000", Kind.TOWN, "county"),
    "town_b": ("530199002000", Kind.TOWN, "county"),
    "village_a1": ("530199001001", Kind.VILLAGE_COMMITTEE, "town_a"),
    "village_a2": ("530199001002", Kind.VILLAGE_COMMITTEE, "town_a"),
    "village_b1": ("530199002001", Kind.VILLAGE_COMMITTEE, "town_b"),
    "group_a1": ("530199001001001", Kind.VILLAGE_GROUP, "village_a1"),
}
TREE_NAMES = {
    "county": "测试县",
    "town_a": "甲镇",
    "town_b": "乙镇",
    "village_a1": "甲一村委会",
    "village_a2": "甲二村委会",
    "village_b1": "乙一村委会",
    "group_a1": "第一村民小组",
}


@pytest.fixture
def tree(db) -> dict[str, Region]:
    """测试县 › 甲镇 (甲一村委会 with 第一村民小组, 甲二村委会), 乙镇 (乙一村委会)."""
    regions: dict[str, Region] = {}
    for key, (code, kind, parent) in TREE.items():
        regions[key] = RegionFactory.create(
            code=code, name=TREE_NAMES[key], kind=kind, parent=regions[parent] if parent else None
        )
    return regions


@pytest.fixture
def users(tree) -> dict[str, User]:
    """One user of each role, with the password ``PASSWORD``."""
    return {
        name: UserFactory.create(username=f"{name}_user", role=role, region=tree[region])
        for name, role, region in (
            ("county", Role.COUNTY, "county"),
            ("town_a", Role.TOWNSHIP, "town_a"),
            ("village_a1", Role.VILLAGE, "village_a1"),
            ("village_b1", Role.VILLAGE, "village_b1"),
            ("inspector", Role.INSPECTOR, "county"),
            ("cadre", Role.CADRE, "county"),
        )
    }


_sequence = itertools.count(1)


def person_values(*, relation="head", sex="male", age=40, **extra) -> dict:
    birth = datetime.date(2018 - age, 3, 15)
    seq = next(_sequence) * 2 % 1000 + (1 if sex == "male" else 0)
    values = {
        "name": extra.pop("name", "张三"),
        "id_type": "resident_id",
        "id_number": make_id_number("530127", birth, seq % 1000),
        "relation": relation,
        "ethnicity": "01",
        "education": "junior" if age >= 16 else "",
        "schooling": "" if age >= 16 else "primary",
        "is_healthy": True,
        "labor_skill": "ordinary",
        "has_medical_insurance": True,
    }
    values.update(extra)
    return values


def make_household(
    village,
    *,
    no: str,
    status=PovertyStatus.POOR,
    members=(("head", "male", 45), ("spouse", "female", 42)),
    **extra,
):
    registered = status != PovertyStatus.UNREGISTERED
    household = Household.objects.create(
        household_no=no,
        village=village,
        data_year=2018,
        status=status,
        status_by_procedure=status,  # test data stands for records taken over with a procedure behind them
        attribute="general" if registered else "",
        main_cause="illness" if registered else "",
        identification_year=2014 if registered else None,
        exit_year=2016 if status == PovertyStatus.EXITED else None,
        wage_income=Decimal(8000),
        business_income=Decimal(3000),
        property_income=Decimal(0),
        transfer_income=Decimal(1200),
        business_expense=Decimal(1000),
        **extra,
    )
    for relation, sex, age in members:
        values = person_values(relation=relation, sex=sex, age=age, name=f"{no}-{relation}")
        Person.objects.create(
            household=household, birth_date=datetime.date(2018 - age, 3, 15), sex=sex, **values
        )
    return household


@pytest.fixture
def households(tree):
    return {
        "a1": make_household(tree["village_a1"], no="A1-0001", group=tree["group_a1"]),
        "a1_exited": make_household(tree["village_a1"], no="A1-0002", status=PovertyStatus.EXITED),
        "a2": make_household(tree["village_a2"], no="A2-0001"),
        "b1": make_household(tree["village_b1"], no="B1-0001"),
    }


# Browser tests: Debian's chromium driven by Playwright (the bundled browser download is not reachable here).
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are on its own thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(live_server):
    """The live server of pytest-django, with every view module imported before the first page load: the URL
    configuration pulls in scikit-learn, WeasyPrint and the rest, which can take longer than a page timeout
    on a loaded machine. The server thread shares this process's modules."""
    from django.urls import get_resolver

    _ = get_resolver().url_patterns
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def browser_db(transactional_db):
    """A live-server test needs a transactional database, which is flushed afterwards; the code lists are
    data from a migration, so put them back first."""
    code_lists_reload()
