"""Files as they come: formula-looking names survive export → import unchanged, optional columns may be left
out, common spellings of the national export are read, and a failing export leaves no file behind."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import Workbook, load_workbook

from tuopin.core.cells import append_safe
from tuopin.imports.models import BatchStatus
from tuopin.imports.parsing.layout import HEADERS, REQUIRED_HEADERS
from tuopin.imports.services import registry_import
from tuopin.imports.tests.conftest import household_rows, to_csv, to_xlsx
from tuopin.imports.tests.test_commands import run
from tuopin.registry.models import Household, Person

TRICKY = ['=HYPERLINK("http://evil.example","点我")', "+86 赵", "-李四", "@王五", "=1+1"]


def _safe_xlsx(rows: list[dict], headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "人员信息"
    append_safe(sheet, list(headers))
    for row in rows:
        append_safe(sheet, [row.get(h, "") if row.get(h, "") != "" else None for h in headers])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _tricky_rows() -> list[dict]:
    rows = []
    for number, text in enumerate(TRICKY):
        household = household_rows(f"53012100100100{number:02d}", 2)
        household[0]["姓名"] = text
        household[1]["姓名"] = f"{text}之妻"
        for row in household:
            row["住址"] = f"{text[:1]}号院"
        rows += household
    return rows


def _registry_snapshot() -> list[tuple]:
    return sorted(
        Person.objects.values_list("name", "id_number", "household__household_no", "household__address")
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_formula_looking_names_round_trip_and_are_never_formulas(county, tmp_path, suffix):
    source = tmp_path / "tricky.xlsx"
    source.write_bytes(_safe_xlsx(_tricky_rows()))
    code, output = run("import", str(source))
    assert code == 0, output
    stored = _registry_snapshot()
    assert {name for name, *_ in stored} >= set(TRICKY)
    exported = tmp_path / f"export{suffix}"
    code, output = run("export", "-o", str(exported))
    assert code == 0
    if suffix == ".xlsx":
        with zipfile.ZipFile(exported) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet
        assert b"HYPERLINK" in sheet
        assert b'quotePrefix="1"' in zipfile.ZipFile(exported).read("xl/styles.xml")
        names = {row[5] for row in load_workbook(exported).active.iter_rows(min_row=2, values_only=True)}
        assert set(TRICKY) <= names
    else:
        text = exported.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in text
        assert "\n=HYPERLINK" not in text
        assert ",=HYPERLINK" not in text
    # wipe and import the export: identical data
    Person.objects.all().delete()
    Household.objects.all().delete()
    code, output = run("import", str(exported))
    assert code == 0, output
    assert _registry_snapshot() == stored


def test_a_file_with_only_the_required_columns_imports(county, county_user):
    headers = [*REQUIRED_HEADERS, "文化程度"]
    rows = household_rows("5301210010010001", 2, status="卡外农户")
    for row in rows:
        row["文化程度"] = "初中"
    outcome = registry_import(user=county_user, file_name="minimal.xlsx", content=to_xlsx(rows, headers))
    assert outcome.result.errors == [], outcome.result.errors[:3]
    assert outcome.committed
    household = Household.objects.get(household_no="5301210010010001")
    assert household.address == ""
    assert household.phone == ""
    assert household.wage_income is None
    assert household.members.count() == 2


@pytest.mark.parametrize("missing", ["住址", "户联系电话", "出生日期", "民族", "是否军烈属", "工资性收入"])
def test_any_optional_column_may_be_left_out(county, county_user, missing):
    headers = [h for h in HEADERS if h != missing]
    outcome = registry_import(
        user=county_user,
        file_name="partial.csv",
        content=to_csv(household_rows("5301210010010001", 3), headers),
    )
    assert outcome.result.errors == [], outcome.result.errors[:3]
    assert outcome.committed
    assert Person.objects.count() == 3


def test_a_file_without_education_and_schooling_is_refused_by_name(county, county_user):
    headers = [h for h in HEADERS if h not in ("文化程度", "在校生状况")]
    outcome = registry_import(
        user=county_user, file_name="x.csv", content=to_csv(household_rows("5301210010010001", 1), headers)
    )
    assert outcome.batch.status == BatchStatus.REJECTED
    assert "文化程度或在校生状况" in outcome.batch.file_error


def test_national_export_spellings_are_read_as_blank(county, county_user):
    rows = household_rows("5301210010010001", 2)
    for row in rows:
        row["在校生状况"] = "非在校生"
        row["残疾类别"] = "无"
        row["其他致贫原因一"] = "无"
    outcome = registry_import(user=county_user, file_name="national.xlsx", content=to_xlsx(rows))
    assert outcome.result.errors == [], outcome.result.errors[:3]
    assert outcome.committed
    assert set(Person.objects.values_list("schooling", flat=True)) == {""}


def test_the_template_lists_the_accepted_spellings(county):
    from tuopin.imports.services import template_workbook

    workbook = load_workbook(io.BytesIO(template_workbook(year=2018)))
    codes = [cell.value for row in workbook["代码表"].iter_rows() for cell in row if cell.value]
    assert "非在校生" in codes
    assert any("在校生状况（以下写法视为未填）" in str(value) for value in codes)


def test_a_failing_export_leaves_no_half_written_file(county, tmp_path):
    if connection.vendor != "sqlite":
        # the failure is provoked with a value PostgreSQL refuses to store at all; the temporary-file-and-rename
        # writing under test does not depend on the database
        pytest.skip("PostgreSQL cannot hold the out-of-range value this test stores around the ORM")
    source = tmp_path / "good.xlsx"
    source.write_bytes(to_xlsx(household_rows("5301210010010001", 3) + household_rows("5301210010010002", 2)))
    run("import", str(source))
    # a value stored out of range by an older version (written around the ORM) makes reading it fail
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_household SET wage_income = 1e30 WHERE household_no = %s", ["5301210010010002"]
        )
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the previous export")
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the database driver raises
        call_command("export", "-o", str(target))
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_an_export_to_a_missing_folder_is_refused_with_a_message(county, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("export", "-o", str(tmp_path / "missing-dir" / "x.xlsx"))
