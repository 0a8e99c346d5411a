"""The department pages as tables: filter, sort, page, export exactly what is shown (ID numbers as shown, in the
access log); forms only for those who may use them."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tuopin.accounts.models import AccessRecord
from tuopin.imports.tests.test_departments import lists, registry  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=3, values_only=True))


@pytest.mark.usefixtures("lists")
def test_differences_filter_by_department_and_export_what_is_shown(client, county_user):
    client.force_login(county_user)
    url = reverse("imports:differences")
    every = client.get(url).content.decode()
    dibao = client.get(url, {"department": "dibao", "kind": "conflict"}).content.decode()
    assert "享受低保：登记库为“否”" in dibao
    assert "住建·危房等级" in every
    assert "住建·危房等级" not in dibao.split('id="difference-table"')[1]
    response = client.get(reverse("imports:differences_export"), {"department": "dibao", "kind": "conflict"})
    rows = _rows(response.content)
    assert rows
    assert {r[0] for r in rows} == {"民政·低保"}
    assert dibao.count("<tr>") - 1 == len(rows)  # header row aside, the page shows what the file holds
    record = AccessRecord.objects.get(user=county_user, what="部门名单差异")
    assert record.rows == len(rows)
    assert record.is_masked is False


@pytest.mark.usefixtures("lists")
def test_differences_masked_for_a_role_without_full_export(client, inspector):
    client.force_login(inspector)
    response = client.get(reverse("imports:differences_export"))
    for row in _rows(response.content):
        assert row[3] is None or "*" in row[3]  # ID numbers masked as on the page
    assert AccessRecord.objects.get(user=inspector).is_masked is True
    page = client.get(reverse("imports:differences")).content.decode()
    assert "采纳部门数据" not in page  # the inspector may not accept: no button
    assert (
        'action="/data/departments/upload/"'
        not in client.get(reverse("imports:departments")).content.decode()
    )


@pytest.mark.usefixtures("lists")
def test_renovation_filter_page_and_export(client, county_user):
    client.force_login(county_user)
    page = client.get(
        reverse("imports:renovation"), {"township": "嵩阳街道", "sort": "-key"}
    ).content.decode()
    assert "共 " in page
    assert "data-page" not in page or "第 1 /" in page
    rows = _rows(client.get(reverse("imports:renovation_export"), {"township": "嵩阳街道"}).content)
    assert rows
    assert {r[3] for r in rows} == {"嵩阳街道"}
    assert AccessRecord.objects.filter(user=county_user, what="4类重点对象名单").count() == 1


def test_upload_form_refuses_a_bad_date(client, county_user):
    client.force_login(county_user)
    response = client.post(
        reverse("imports:department_upload"), {"department": "dibao", "as_of": "昨天"}, follow=True
    )
    assert "请填写名单的数据日期" in response.content.decode()
