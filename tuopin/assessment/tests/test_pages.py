"""The assessment pages as tables a clerk prefers to Excel: filters, sorting, page numbers, an export of exactly
what is shown; the township page and the drill-down; Chinese names; no forms a read-only role cannot use."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tuopin.accounts.models import AccessRecord, Role, User
from tuopin.accounts.permissions import console_actor
from tuopin.assessment.models import VillageRecord
from tuopin.assessment.services import assessment_run
from tuopin.assessment.tests import factories
from tuopin.registry.models import PovertyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(village, other_village):
    """Households in two townships: ready, failing housing, missing water, exited; then a county run."""
    made = {
        "ready": factories.household(village, planned_exit_year=2018),
        "house": factories.household(village, planned_exit_year=2018, house_grade="D"),
        "water": factories.household(village, has_safe_drinking_water=None),
        "exited": factories.household(village, status=PovertyStatus.EXITED, exit_year=2017),
        "other": factories.household(other_village, house_grade="D"),
    }
    return assessment_run(year=2018, by=console_actor()), made


def _sheet_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(min_row=3, values_only=True))


def test_run_households_filter_by_criterion_and_township_export_exactly_those(
    as_user, county_user, village, run
):
    the_run, made = run
    client = as_user(county_user)
    url = reverse("assessment:run_households", args=[the_run.pk])
    query = {"criterion": "housing", "township": village.parent_id, "sort": "-no"}
    html = client.get(url, query).content.decode()
    assert made["house"].household_no in html
    assert made["other"].household_no not in html  # the other township
    assert made["ready"].household_no not in html
    assert "共 1 户" in html
    assert "住房安全有保障：不住C、D级危房（未达标）" in html
    response = client.get(reverse("assessment:run_households_export", args=[the_run.pk]), query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response.content)
    assert [r[0] for r in rows] == [made["house"].household_no]
    assert rows[0][6] == "红卡"
    record = AccessRecord.objects.get(user=county_user)
    assert record.rows == 1
    assert "住房安全有保障" in record.subject
    assert "小街镇" in record.subject


def test_outcome_and_colour_filters_and_sorting(as_user, county_user, run):
    the_run, made = run
    client = as_user(county_user)
    url = reverse("assessment:run_households", args=[the_run.pk])
    missing = client.get(url, {"outcome": "missing"}).content.decode()
    assert made["water"].household_no in missing
    assert made["house"].household_no not in missing
    assert "数据缺失" in missing
    exited = client.get(
        url, {"colour": "yellow"}
    ).content.decode()  # exited with every criterion met: 黄卡 or better
    assert made["ready"].household_no not in exited  # 未脱贫 is 红卡
    ordered = client.get(url, {"sort": "-no"}).content.decode()
    numbers = sorted(h.household_no for h in made.values())
    assert ordered.index(numbers[-1]) < ordered.index(numbers[0])
    bad = client.get(url, {"colour": "<script>", "township": "abc", "sort": "password"})
    assert bad.status_code == 200  # a value that is not offered is ignored
    assert "共 5 户" in bad.content.decode()


def test_table_pages_have_numbers(as_user, county_user, village):
    for _ in range(25):
        factories.household(village)
    the_run = assessment_run(year=2018, by=console_actor())
    html = (
        as_user(county_user)
        .get(reverse("assessment:run_households", args=[the_run.pk]), {"size": 20})
        .content.decode()
    )
    assert "第 1 / 2 页" in html
    assert 'data-page="2"' in html


def test_township_page_drills_down_and_is_scoped(
    as_user, county_user, township_user, village, other_village, run
):
    the_run, made = run
    page = as_user(county_user).get(reverse("assessment:township", args=[village.parent_id]), {"year": 2018})
    html = page.content.decode()
    assert page.status_code == 200
    assert village.name in html
    assert f"{reverse('assessment:run_households', args=[the_run.pk])}?village={village.pk}" in html
    run_page = as_user(county_user).get(reverse("assessment:run", args=[the_run.pk])).content.decode()
    assert reverse("assessment:township", args=[village.parent_id]) in run_page
    assert (
        as_user(township_user).get(reverse("assessment:township", args=[village.parent_id])).status_code
        == 200
    )
    refused = as_user(township_user).get(reverse("assessment:township", args=[other_village.parent_id]))
    assert refused.status_code == 404
    own = as_user(township_user).get(reverse("assessment:run_households", args=[the_run.pk])).content.decode()
    assert made["other"].household_no not in own
    assert made["ready"].household_no in own


def test_run_page_in_chinese(as_user, county_user, run):
    the_run, _ = run
    html = as_user(county_user).get(reverse("assessment:run", args=[the_run.pk])).content.decode()
    text = html.split("<main>")[1]
    assert "红卡" in text
    assert "农户有家庭成员记录" in text  # a data-quality rule by its declared title
    assert "第1版" in text
    for code in ("dq_", ">red<", "v1-", "income_per_capita "):
        assert code not in text.replace('title="v1-', "")


def test_inspector_is_shown_no_form_they_cannot_use(as_user, village, run):
    _the_run, made = run
    inspector = User.objects.create_user(
        username="inspector", password="pass-12345", role=Role.INSPECTOR, region=village.parent.parent
    )
    client = as_user(inspector)
    household = client.get(reverse("assessment:household", args=[made["ready"].pk]), {"year": 2018})
    assert household.status_code == 200
    assert 'id="exit-form"' not in household.content.decode()
    village_page = client.get(
        reverse("assessment:village", args=[village.pk]), {"year": 2018}
    ).content.decode()
    for form in ("village-record-form", "sampling-form", "survey-form"):
        assert form not in village_page
    assert 'id="run-form"' not in client.get(reverse("assessment:index"), {"year": 2018}).content.decode()


def test_county_user_is_shown_the_forms(as_user, county_user, village, run):
    _the_run, _made = run
    client = as_user(county_user)
    village_page = client.get(
        reverse("assessment:village", args=[village.pk]), {"year": 2018}
    ).content.decode()
    assert "village-record-form" in village_page
    assert 'id="run-form"' in client.get(reverse("assessment:index"), {"year": 2018}).content.decode()


def test_index_lists_planned_households_with_filters_and_export(as_user, county_user, run):
    _the_run, made = run
    client = as_user(county_user)
    html = client.get(reverse("assessment:index"), {"year": 2018}).content.decode()
    assert made["ready"].household_no in html
    assert made["house"].household_no in html
    assert made["water"].household_no not in html  # not planned for 2018
    rows = _sheet_rows(
        client.get(reverse("assessment:plan_export"), {"year": 2018, "outcome": "pass"}).content
    )
    assert [r[0] for r in rows] == [made["ready"].household_no]
    partial = client.get(reverse("assessment:index"), {"year": 2018}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "exit-plan" in partial


def test_village_records_form_refuses_bad_numbers(as_user, township_user, village, run):
    url = reverse("assessment:village_records", args=[village.pk])
    page = as_user(township_user).post(
        url, {"year": "2018", "kind": "village_record", "collective_income": "很多"}, follow=True
    )
    assert "村集体经济收入（元）" in page.content.decode()
    assert not VillageRecord.objects.exists()
