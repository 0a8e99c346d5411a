"""Hostile and careless files are measured before parsing and refused with a Chinese message naming the limit;
the parse runs in a child process, the server's memory stays bounded and no batch is left in progress."""

import datetime
import io
import re
import resource
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from tuopin.imports.files import batches_fail_orphaned, limits
from tuopin.imports.models import IN_PROGRESS, BatchStatus, ImportBatch, ImportRowError
from tuopin.imports.parsing.guard import FileRefusedError, Limits, read_bounded
from tuopin.imports.parsing.layout import HEADERS
from tuopin.imports.services import batch_create, batch_validate, registry_import
from tuopin.imports.tests.conftest import household_rows, to_csv, to_xlsx

MB = 1024 * 1024


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _small_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "人员信息"
    sheet.append(["户编号", "姓名", "证件号码"])
    sheet.append(["H1", "张三", "x"])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def sparse_sheet() -> bytes:
    """5 KB: two real rows, a used range claiming A1:XFD1048576 and one value in cell XFD1048576."""
    source = zipfile.ZipFile(io.BytesIO(_small_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', data)
                far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                data = data.replace(b"</sheetData>", far + b"</sheetData>")
            target.writestr(name, data)
    return out.getvalue()


def zip_bomb() -> bytes:
    """About 470 KB compressed: one cell repeated row after row, over 150 MB of XML (GBs once parsed)."""
    source = zipfile.ZipFile(io.BytesIO(_small_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name in source.namelist():
            if name != "xl/worksheets/sheet1.xml":
                target.writestr(name, source.read(name))
                continue
            head, _, _rest = source.read(name).partition(b"<sheetData>")
            with target.open(name, "w", force_zip64=True) as part:
                part.write(head + b"<sheetData>")
                block = b'<row><c t="inlineStr"><is><t>AAAA</t></is></c></row>' * 20_000
                while out.tell() < 470 * 1024:
                    part.write(block)
                part.write(b"</sheetData></worksheet>")
    return out.getvalue()


def many_empty_rows() -> bytes:
    """100,000 rows with one filled cell each under a real header (about 10 KB compressed)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员信息")
    sheet.append(list(HEADERS))
    for number in range(100_000):
        sheet.append([None, None, None, None, f"H{number}"])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("build", "name", "expected"),
    [
        (sparse_sheet, "sparse.xlsx", "超过上限 500,000 行"),
        (zip_bomb, "bomb.xlsx", "压缩比"),
        (many_empty_rows, "empty-rows.xlsx", "几乎是空的"),
    ],
)
def test_hostile_files_are_refused_with_memory_bounded_and_no_stuck_batch(
    build, name, expected, county_user, client
):
    content = build()
    before = _max_rss_mb()
    batch = batch_create(user=county_user, file_name=name, content=content)
    assert batch_validate(batch=batch) is None
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert expected in batch.file_error
    assert batch.status not in IN_PROGRESS
    assert not ImportRowError.objects.filter(batch=batch).exists()
    assert _max_rss_mb() - before < 200
    # the server still answers, and the batch page shows the refusal (it does not re-run the validation)
    client.force_login(county_user)
    page = client.get(reverse("imports:batch", args=[batch.pk]))
    assert page.status_code == 200
    assert expected in page.content.decode()
    assert not ImportBatch.objects.filter(status__in=IN_PROGRESS).exists()


def test_zip_bomb_is_small_compressed_and_huge_decompressed():
    content = zip_bomb()
    assert len(content) < 600 * 1024
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 150 * MB
    assert info.file_size / info.compress_size > 300


def test_the_child_memory_limit_refuses_what_the_measures_let_through(tmp_path):
    """With the extent limits opened wide, the reader in the child tries to allocate the sparse sheet's
    range; the child dies at its memory limit and the parent reports a refusal."""
    path = tmp_path / "sparse.xlsx"
    path.write_bytes(sparse_sheet())
    wide = Limits(max_rows=10**7, max_columns=10**5, max_cells=10**15, memory_bytes=768 * MB)
    before = _max_rss_mb()
    with pytest.raises(FileRefusedError, match="内存超过上限 768 MB"):
        read_bounded(path, "sparse.xlsx", wide)
    assert _max_rss_mb() - before < 200


def test_rows_over_the_configured_limit_are_refused(settings, county_user):
    settings.IMPORT_MAX_ROWS = 5
    rows = household_rows("5301210010010001", 3) + household_rows("5301210010010002", 3)
    outcome = registry_import(user=county_user, file_name="six.xlsx", content=to_xlsx(rows))
    assert outcome.batch.status == BatchStatus.REFUSED
    assert "超过上限 5 行" in outcome.batch.file_error


def test_stored_row_errors_are_capped_with_the_full_count(settings, county_user):
    settings.IMPORT_MAX_STORED_ERRORS = 4
    rows = []
    for number in range(10):
        rows += household_rows(f"53012100100100{number:02d}", 1, overrides={"工资性收入": "很多"})
    batch = batch_create(user=county_user, file_name="bad.csv", content=to_csv(rows))
    result = batch_validate(batch=batch)
    batch.refresh_from_db()
    assert len(result.errors) >= 10
    assert batch.error_count == len(result.errors)
    assert batch.row_errors.count() == 4


def test_an_upload_over_the_limit_is_stopped_while_it_is_read(settings, county_user, client):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    client.force_login(county_user)
    big = io.BytesIO(b"a,b\n" * (700 * 1024))  # 2.8 MB
    big.name = "big.csv"
    response = client.post(reverse("imports:upload"), {"file": big}, follow=True)
    assert "超过 1 MB 的上限" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_files_are_kept_on_disk_and_purged_after_the_keeping_period(settings, county_user):
    batch = batch_create(user=county_user, file_name="keep.csv", content=to_csv(household_rows("K1", 1)))
    assert batch.path is not None
    assert batch.path.read_bytes().startswith("县".encode())
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    settings.IMPORT_KEEP_DAYS = 30
    call_command("purge_uploads")
    batch.refresh_from_db()
    assert batch.file_purged_at is not None
    assert batch.path is None
    assert not (settings.UPLOAD_DIR / batch.file_path).exists()
    # a purged batch validated again ends refused, not stuck
    assert batch_validate(batch=batch) is None
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REJECTED
    assert "已按保留期限删除" in batch.file_error


def test_orphaned_batches_of_a_crashed_run_are_marked_failed(county_user):
    batch = batch_create(user=county_user, file_name="crash.csv", content=to_csv(household_rows("C1", 1)))
    recent = batch_create(user=county_user, file_name="now.csv", content=to_csv(household_rows("C2", 1)))
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.VALIDATING, created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert batches_fail_orphaned(minutes=30) == 1
    batch.refresh_from_db()
    recent.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert "中断" in batch.file_error
    assert recent.status == BatchStatus.UPLOADED


def test_limits_come_from_settings(settings):
    settings.IMPORT_MAX_COLUMNS = 77
    settings.IMPORT_PARSE_MEMORY_MB = 1000
    assert limits().max_columns == 77
    assert limits().memory_bytes == 1000 * MB
