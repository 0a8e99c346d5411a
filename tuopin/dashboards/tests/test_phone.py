"""The pages cadres use in the villages, on a 390 × 844 phone in a real browser: nothing overflows sideways
and every page draws something (a screenshot that is not blank)."""

import io
import urllib.request

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import expect

from conftest import PASSWORD
from tuopin.assistance.tests.factories import MeasureFactory, PairingFactory, VisitFactory
from tuopin.projects.tests.factories import PlanFactory, ProgrammeFactory, ProjectFactory
from tuopin.supervision.tests.factories import ProblemFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_db"),
]
WIDTH, HEIGHT = 390, 844


@pytest.fixture
def phone(browser, live_server):
    urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=300).close()  # noqa: S310 - loads the URLs
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#nav-dashboards")).to_be_visible()


def _check(page, url: str, heading: str, tmp_path, name: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text(heading)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{name}: {width} px wide at {WIDTH} px"
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    image = Image.open(io.BytesIO(shot.read_bytes())).convert("L")
    assert image.width == WIDTH
    assert max(ImageStat.Stat(image).stddev) > 10, f"{name}: the screenshot is blank"


def test_the_village_pages_fit_a_390_pixel_phone(live_server, phone, users, households, tree, tmp_path):
    household = households["a1"]
    PairingFactory.create(cadre=users["cadre"], household=household)
    VisitFactory.create(household=household, cadre=users["cadre"], findings="两人在本地务工，收入稳定")
    MeasureFactory.create(household=household, description="推荐参加县人社局组织的建筑技能培训（砌筑、钢筋）")
    ProblemFactory.create(
        region=tree["village_a1"], household=household, title="危房改造资料不全，需补齐验收记录"
    )
    programme = ProgrammeFactory.create(plan=PlanFactory.create(), name="农村基础设施建设工程")
    ProjectFactory.create(
        programme=programme, region=tree["village_a1"], name="甲一村委会进村道路硬化 3.2 公里"
    )
    village = tree["village_a1"].pk
    base = live_server.url

    _login(phone, live_server, users["village_a1"].username)
    _check(phone, f"{base}/households/", "农户登记", tmp_path, "household-list")
    _check(phone, f"{base}/households/{household.pk}/", household.household_no, tmp_path, "household")
    _check(phone, f"{base}/supervision/", "督查问题台账", tmp_path, "problems")
    _check(phone, f"{base}/dashboards/{village}/", "统计看板", tmp_path, "dashboard")
    _check(phone, f"{base}/projects/villages/{village}/construction/", "施工图", tmp_path, "construction")
    phone.context.clear_cookies()

    _login(phone, live_server, users["cadre"].username)
    _check(phone, f"{base}/assistance/mine/", "我的帮扶户", tmp_path, "mine")
    _check(phone, f"{base}/assistance/households/{household.pk}/visit/", "登记走访", tmp_path, "visit-form")
