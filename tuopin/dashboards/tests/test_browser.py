"""Each role opens its dashboard in a real browser, clicks chart segments down to a household, and nothing
leaves the machine: every request goes to the live server on the loopback interface."""

import io
import urllib.request
from urllib.parse import urlparse

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_db"),
]

LOOPBACK = {"127.0.0.1", "localhost"}


def _login(page, live_server, username: str) -> None:
    # the live server's first request loads the whole URL configuration (scientific libraries included),
    # which on a loaded machine takes longer than a page's timeout: let it finish first
    urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=300).close()  # noqa: S310
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#nav-dashboards")).to_be_visible()


def _click_segment(page, chart_id: str, label: str) -> None:
    """Click the segment named ``label`` of a chart, through the chart's own ECharts instance."""
    page.wait_for_function(
        "id => window.echarts && echarts.getInstanceByDom(document.getElementById(id))", arg=chart_id
    )
    page.evaluate(
        """([id, label]) => {
            const el = document.getElementById(id);
            const spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
            const index = spec.labels.indexOf(label);
            if (index < 0) { throw new Error("no segment " + label); }
            echarts.getInstanceByDom(el).trigger("click", {dataIndex: index, seriesIndex: 0, name: label});
        }""",
        [chart_id, label],
    )


def _assert_not_blank(png: bytes) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is None or len(colours) > 50, "the screenshot is (almost) a single colour"


def _screenshots(page) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)  # the charts resize on the resize event
        _assert_not_blank(page.screenshot(full_page=True))
        canvas = page.locator("#chart-status canvas").first
        box = canvas.bounding_box()
        assert box is not None
        assert 0 < box["width"] <= width
        assert page.evaluate("document.querySelector('.dash-charts').scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize(
    ("username", "steps"),
    [
        ("county_user", ["测试县", ("chart-children", "甲镇"), ("chart-children", "甲一村委会")]),
        ("inspector_user", ["测试县", ("chart-children", "甲镇"), ("chart-children", "甲一村委会")]),
        ("town_a_user", ["甲镇", ("chart-children", "甲一村委会")]),
        ("village_a1_user", ["甲一村委会"]),
        ("cadre_user", ["甲一村委会"]),
    ],
)
def test_role_drills_from_its_dashboard_down_to_a_household(
    live_server, page, users, households, username, steps
):
    households["a1"].responsible_cadre = users["cadre"]
    households["a1"].save()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    _login(page, live_server, username)

    page.click("#nav-dashboards")
    landing, *clicks = steps
    expect(page.locator("h1")).to_have_text(f"{landing}统计看板")
    _screenshots(page)
    for chart_id, label in clicks:
        _click_segment(page, chart_id, label)
        expect(page.locator("h1")).to_have_text(f"{label}统计看板")

    _click_segment(page, "chart-status", "未脱贫")
    expect(page.locator("#result-count")).to_contain_text("共 1 户")
    assert "status=poor" in page.url
    page.click("text=A1-0001")
    expect(page.locator("h1")).to_contain_text("农户 A1-0001")

    assert requests, "no request was recorded"
    outside = [url for url in requests if urlparse(url).hostname not in LOOPBACK]
    assert outside == []
    assert any(url.endswith("vendor/echarts/echarts.min.js") for url in requests)
