"""Walk every page a county user can reach from the home page (links on the same host, GET only, bounded) and
fail on English codes or research references in the visible Chinese text.

The county walked is built once for the module with the real services: the seed's region tree, standards,
households of every kind in three townships (planned exits, failing and missing criteria, exited, 卡外,
data-quality findings), two assessment runs, an exit case, yearly figures and a monitoring run that raises
clues, the seed's plan with its projects and the cost table, and department lists with differences — so the
assessment, run, audit, difference, monitoring and project pages are walked with data on them."""

import datetime
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.db import transaction

from tuopin.accounts.models import Role, User
from tuopin.accounts.permissions import console_actor
from tuopin.assessment.services import assessment_run, exit_case_propose
from tuopin.assessment.tests import factories
from tuopin.demo.build import TREE_FILE
from tuopin.imports.departments import department_list_import
from tuopin.imports.tests.conftest import to_csv
from tuopin.monitoring.runs import monitoring_run
from tuopin.monitoring.tests import factories as monitoring
from tuopin.policy.services import standards_seed_county
from tuopin.projects.services import projects_load_seed_plan
from tuopin.regions.models import Region
from tuopin.regions.services import region_tree_load
from tuopin.registry.identity import make_id_number
from tuopin.registry.models import Person, PovertyStatus

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
PER_PATTERN = 2  # pages walked per path pattern (digits as #): two households, two villages, …
SKIP = re.compile(r"(\.xlsx|\.pdf|\.csv|\.json)$|^/(api|i18n|accounts/logout|static|media|admin)/|/export")
# ASCII boundaries, not \b: a code written right after Chinese text (收入income_line) has no \b before it
FORBIDDEN = re.compile(
    r"dq_|(?<![A-Za-z])(blue|yellow|green|red|unknown|purple|none)(?![A-Za-z])|domain\.md|\.md\b|_income"
    r"|v\d+-[0-9a-f]{6}|(?<![A-Za-z0-9_])[a-z]+_[a-z0-9_]+(?![A-Za-z0-9_])"
)
# Known defects on pages of other apps, being fixed by other helpers now; the lead removes each entry after
# merging. Each entry: (path prefix, the offending text) — the walk still fails on anything not listed here.
# Known defects allowed for now, each as (path prefix, text) with its reason; empty: none are allowed.
ALLOWED: set[tuple[str, str]] = set()
YEAR = 2018
MONITORING_YEAR = 2025


class VisibleText(HTMLParser):
    """Text a reader sees (no script, style, attribute values) and the links of the page."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def same_host_path(href: str, base: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    if href.startswith("?"):
        href = base + href
    elif not href.startswith("/"):
        return None
    return None if SKIP.search(urlsplit(href).path) else href


def allowed(path: str, found: str) -> bool:
    return any(path.startswith(prefix) and found == text for prefix, text in ALLOWED)


def pattern(path: str) -> str:
    return re.sub(r"\d+", "#", path)


# --- the county walked -----------------------------------------------------------------------------------------


def _people(household_no: int, count: int) -> list[dict]:

    birth = datetime.date(1975, 5, 3)
    return [
        {
            "name": f"成员{household_no}-{i}",
            "id_number": make_id_number("530127", birth, household_no * 5 + i),
        }
        for i in range(count)
    ]


def _households(villages, cadre) -> list:

    variants = [
        {"planned_exit_year": YEAR, "responsible_cadre": cadre},  # ready to exit
        {"planned_exit_year": YEAR, "house_grade": "D", "responsible_cadre": cadre},  # failing
        {"has_safe_drinking_water": None},  # missing data
        {"wage_income": None},  # data quality: income incomplete
        {"status": PovertyStatus.EXITED, "exit_year": 2017},
        {
            "status": PovertyStatus.EXITED,
            "exit_year": 2017,
            "has_food_security": False,
        },  # possibly wrongly exited
        {
            "status": PovertyStatus.UNREGISTERED,
            "main_cause": "",
            "wage_income": Decimal(900),
        },  # 卡外 low income
        {"status": PovertyStatus.RELAPSED, "responsible_cadre": cadre},
    ]
    made: list = []
    for village in villages:
        for values in variants:
            made.append(factories.household(village, members=_people(len(made) + 1, 2), **values))
    return made


def _monitoring(households) -> None:

    for index, household in enumerate(households):
        monitoring.year(household, MONITORING_YEAR - 1)
        fired: dict = {"wage_income": Decimal(500), "house_grade": "D"} if index % 3 == 0 else {}
        monitoring.year(household, MONITORING_YEAR, None, **fired)
    monitoring_run(year=MONITORING_YEAR, by=console_actor())


def _department_list(county_user, households) -> None:

    people = list(Person.objects.filter(household__in=households[:3]).order_by("id"))
    headers = ["乡镇", "村", "姓名", "身份证号", "保障金额（元/月）"]
    rows = [["小街镇", "匡郎村委会", p.name, p.id_number, "320"] for p in people]  # not 低保 in the registry
    rows.append(["小街镇", "匡郎村委会", "名单外人员", "530127197001010011", "320"])
    content = to_csv([dict(zip(headers, r, strict=True)) for r in rows], headers=headers, encoding="gb18030")
    department_list_import(
        user=county_user,
        department="dibao",
        as_of=datetime.date(2018, 4, 30),
        file_name="低保.csv",
        content=content,
    )


def build_county() -> dict:

    county = region_tree_load(data=json.loads(TREE_FILE.read_text(encoding="utf-8")))
    standards_seed_county(county=county, by=console_actor())
    users = {
        "county": User.objects.create_user(
            username="walker", password="walk-2018-x", role=Role.COUNTY, region=county, full_name="县级用户"
        ),
    }
    cadre = User.objects.create_user(
        username="cadre", password="walk-2018-x", role=Role.CADRE, region=county, full_name="帮扶干部"
    )
    villages = [Region.objects.get(name=name) for name in ("匡郎村委会", "荒田村委会", "东村居委会")]
    households = _households(villages, cadre)
    assessment_run(year=YEAR, by=console_actor())
    households[2].has_safe_drinking_water = True  # the second run differs: a comparison to walk
    households[2].save(update_fields=["has_safe_drinking_water"])
    assessment_run(year=YEAR, by=console_actor())
    exit_case_propose(
        household=households[0],
        year=YEAR,
        by=users["county"],
        on_date=datetime.date(2018, 9, 1),
        document="申请书",
    )
    _monitoring(households)
    projects_load_seed_plan(by=console_actor())
    _department_list(users["county"], households)
    return {"users": users, "households": households}


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back afterwards (each test in a savepoint inside)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_county()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def walk(client, user) -> tuple[list[str], list[str]]:
    """(pages walked, findings) from ``/``: every same-host link, at most ``PER_PATTERN`` per path pattern."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    queue, seen, per_pattern = ["/"], {"/"}, {"/": 1}
    pages: list[str] = []
    findings: list[str] = []
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code in (301, 302):  # e.g. the dashboard home sends to the user's own area
            target = same_host_path(response["Location"], url)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append(url)
        parser = VisibleText()
        parser.feed(response.content.decode())
        for match in FORBIDDEN.finditer(" ".join(parser.text)):
            if not allowed(url, match.group(0)):
                findings.append(f"{url}: {match.group(0)}")
        for href in parser.links:
            target = same_host_path(href, url)
            # one page per path, query-less: sort and page links of the same list are the same page
            path = target and urlsplit(target).path
            if not path or path in seen or per_pattern.get(pattern(path), 0) >= PER_PATTERN:
                continue
            seen.add(path)
            per_pattern[pattern(path)] = per_pattern.get(pattern(path), 0) + 1
            queue.append(path)
    return pages, findings


def test_no_ascii_identifier_on_any_page_a_county_user_reaches(client, county):
    pages, findings = walk(client, county["users"]["county"])
    walked = {pattern(urlsplit(p).path) for p in pages}
    for expected in (
        "/assessment/",
        "/assessment/runs/#/",
        "/assessment/runs/#/households/",
        "/assessment/runs/#/compare/#/",
        "/assessment/townships/#/",
        "/assessment/villages/#/",
        "/assessment/households/#/",
        "/data/departments/differences/",
        "/monitoring/",
        "/projects/",
    ):
        assert expected in walked, f"the walk did not reach {expected}"
    assert len(pages) > 40, f"the walk reached only {len(pages)} pages"
    assert not findings, "English codes on Chinese pages:\n" + "\n".join(sorted(set(findings)))


def test_the_walk_sees_codes_in_visible_text_but_not_in_attributes_or_scripts():
    parser = VisibleText()
    parser.feed(
        '<p class="tag card-blue">蓝卡 blue</p><script>var dq_x=1</script><a href="/a_b/">dq_has_members 0</a>'
    )
    found = {m.group(0) for m in FORBIDDEN.finditer(" ".join(parser.text))}
    assert {"blue", "dq_"} <= found
    assert {m.group(0) for m in FORBIDDEN.finditer("收入income_line；蓝卡red 3户；规则v1-94cfbaa704")} == {
        "income_line",
        "red",
        "v1-94cfba",
    }
    assert "card-blue" not in " ".join(parser.text)
    assert parser.links == ["/a_b/"]
    assert same_host_path("https://example.com/x/", "/") is None
    assert same_host_path("/data/export.xlsx", "/") is None
    assert same_host_path("?page=2", "/households/") == "/households/?page=2"
    assert pattern("/assessment/runs/12/compare/3/") == "/assessment/runs/#/compare/#/"
