"""The household list: registered households by default, 户 and 人 side by side, sortable and paged, and an
export link that follows the filters of an HTMX swap (exactly the households shown)."""

import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from tuopin.registry.models import PovertyStatus
from tuopin.registry.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def export_href(body: str) -> str:
    match = re.search(r'id="export-filtered" href="([^"]+)"', body)
    assert match, "the export link is missing"
    return unescape(match.group(1))


def exported_households(client, href: str) -> set[str]:
    response = client.get(href)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    found: set[str] = set()
    for row in sheet.iter_rows(values_only=True):
        found.update(str(v) for v in row if isinstance(v, str) and re.fullmatch(r"[A-Z]\d-\d{4}", v))
    return found


def test_the_list_shows_registered_households_by_default_and_unregistered_only_when_chosen(
    client, users, households, tree
):
    HouseholdFactory.create(
        village=tree["village_a1"], household_no="A1-0009", status=PovertyStatus.UNREGISTERED
    )
    client.force_login(users["county"])
    default = client.get(reverse("registry:list")).content.decode()
    assert "共 4 户、8 人" in default
    assert "A1-0009" not in default
    everything = client.get(reverse("registry:list"), {"status": "all"}).content.decode()
    assert "共 5 户、10 人" in everything
    assert "A1-0009" in everything
    only = client.get(reverse("registry:list"), {"status": PovertyStatus.UNREGISTERED}).content.decode()
    assert "共 1 户、2 人" in only


def test_export_after_an_htmx_filter_contains_exactly_the_filtered_households(
    client, users, households, tree
):
    HouseholdFactory.create(
        village=tree["village_a1"], household_no="A1-0009", status=PovertyStatus.UNREGISTERED
    )
    client.force_login(users["county"])
    body = client.get(
        reverse("registry:list"), {"region": households["a1"].village_id}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in body
    href = export_href(body)
    assert f"region={households['a1'].village_id}" in href
    assert exported_households(client, href) == {"A1-0001", "A1-0002"}

    body = client.get(
        reverse("registry:list"),
        {"region": households["a1"].village_id, "status": PovertyStatus.EXITED},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert exported_households(client, export_href(body)) == {"A1-0002"}

    full = client.get(reverse("registry:list")).content.decode()
    assert exported_households(client, export_href(full)) == {"A1-0001", "A1-0002", "A2-0001", "B1-0001"}


def test_columns_sort_and_pages_are_numbered(client, users, households, tree):
    for n in range(3, 25):
        HouseholdFactory.create(village=tree["village_b1"], household_no=f"B1-{n:04d}")
    client.force_login(users["county"])
    body = client.get(reverse("registry:list"), {"sort": "-no", "size": "20"}).content.decode()
    rows = re.findall(r">([AB]\d-\d{4})</a>", body)
    assert rows[:2] == ["B1-0024", "B1-0023"]
    assert 'aria-current="page">1<' in body
    assert 'data-page="2"' in body
    assert "sort=-no" in body  # page links keep the sort
    second = client.get(reverse("registry:list"), {"sort": "-no", "size": "20", "page": "2"}).content.decode()
    assert re.findall(r">([AB]\d-\d{4})</a>", second)[-1] == "A1-0001"
