import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tuopin.imports.models import BatchStatus, ImportBatch
from tuopin.imports.tests.conftest import household_rows, to_csv, to_xlsx
from tuopin.registry.models import Household, Person

HUANGTIAN = {"village": ("嵩明县", "牛栏江镇", "荒田村"), "group": "大火地"}


def _upload(client, content: bytes, name: str):
    return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def county_client(client, county_user):
    client.force_login(county_user)
    return client


def test_upload_validate_report_and_commit(county_client):
    rows = household_rows("5301210010010001", 3) + household_rows("5301210010010002", 2)
    rows[4]["民族"] = "火星族"
    response = _upload(county_client, to_xlsx(rows), "东村.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    page = county_client.get(reverse("imports:batch", args=[batch.pk]))
    assert 'hx-trigger="load"' in page.content.decode()
    assert "正在校验" in page.content.decode()
    report = county_client.post(reverse("imports:run", args=[batch.pk]), HTTP_HX_REQUEST="true")
    html = report.content.decode()
    assert "火星族" in html
    assert "只导入无误的 1 户" in html
    progress = county_client.get(reverse("imports:progress", args=[batch.pk])).content.decode()
    assert "校验完成" in progress
    assert "every 1s" not in progress  # polling stops once finished
    download = county_client.get(reverse("imports:report", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(download.content), read_only=True).active
    rows_out = list(sheet.iter_rows(values_only=True))
    assert rows_out[0][:3] == ("行号", "状态", "错误说明")
    assert "民族" in rows_out[5][2]
    # "commit all" is refused while there are errors; nothing written
    county_client.post(reverse("imports:commit", args=[batch.pk]))
    assert Household.objects.count() == 0
    county_client.post(reverse("imports:commit", args=[batch.pk]), {"commit_valid": "1"})
    assert list(Household.objects.values_list("household_no", flat=True)) == ["5301210010010001"]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    page = county_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "新增 1 户" in page


def test_rejected_file_shows_the_reason(county_client):
    _upload(county_client, b"", "empty.csv")
    batch = ImportBatch.objects.get()
    html = county_client.post(reverse("imports:run", args=[batch.pk])).content.decode()
    assert "文件为空" in html
    assert Household.objects.count() == 0


def test_template_download_has_the_layout(county_client):
    response = county_client.get(reverse("imports:template") + "?year=2021")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["人员信息"]["A1"].value == "县"
    assert "之曾孙子" in [c.value for c in workbook["代码表"]["A"]]


def test_export_of_the_filtered_list_imports_back_unchanged(county_client, county_user):
    rows = household_rows("5301210010010001", 2) + household_rows("5301211040010001", 2, **HUANGTIAN)
    _upload(county_client, to_csv(rows, encoding="gb18030"), "all.csv")
    batch = ImportBatch.objects.get()
    county_client.post(reverse("imports:run", args=[batch.pk]))
    county_client.post(reverse("imports:commit", args=[batch.pk]))
    assert Person.objects.count() == 4
    huangtian = Household.objects.get(household_no="5301211040010001").village
    response = county_client.get(reverse("imports:export") + f"?region={huangtian.pk}")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    exported = list(sheet.iter_rows(values_only=True))
    assert len(exported) == 3
    assert {row[2] for row in exported[1:]} == {"荒田村"}
    history_before = Person.history.count()
    _upload(county_client, response.content, "back.xlsx")
    back = ImportBatch.objects.latest("pk")
    county_client.post(reverse("imports:run", args=[back.pk]))
    county_client.post(reverse("imports:commit", args=[back.pk]))
    assert Person.history.count() == history_before


def test_village_user_sees_only_own_batches_and_exports_own_village(client, county_user, village_user):
    client.force_login(county_user)
    rows = household_rows("5301210010010001", 2) + household_rows("5301211040010001", 2, **HUANGTIAN)
    _upload(client, to_xlsx(rows), "all.xlsx")
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:run", args=[batch.pk]))
    client.post(reverse("imports:commit", args=[batch.pk]))
    client.force_login(village_user)
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    response = client.get(reverse("imports:export"))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"东村社区"}
    # a village user's upload with another village's rows: refused rows reported, nothing of theirs written
    _upload(client, to_xlsx(household_rows("5301211040010002", 1, **HUANGTIAN)), "theirs.xlsx")
    mine = ImportBatch.objects.latest("pk")
    html = client.post(reverse("imports:run", args=[mine.pk])).content.decode()
    assert "不在您的辖区内" in html
    assert not Household.objects.filter(household_no="5301211040010002").exists()


def test_inspector_cannot_upload(client, inspector):
    client.force_login(inspector)
    response = _upload(client, to_xlsx(household_rows("X", 1)), "a.xlsx")
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0
    assert "上传并校验" not in client.get(reverse("imports:home")).content.decode()
