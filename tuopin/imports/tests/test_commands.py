import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tuopin.imports.tests.conftest import household_rows, to_csv, to_xlsx
from tuopin.registry.models import Household, Person


def run(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code: int | str | None = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(
        to_xlsx(
            household_rows("5301210010010001", 3)
            + household_rows(
                "5301210010020001", 2, village=("嵩明县", "嵩阳街道", "大营社区"), group="黄栎山"
            )
        )
    )
    return path


@pytest.fixture
def bad_file(tmp_path):
    rows = household_rows("5301210010010001", 2) + household_rows("5301210010010002", 2)
    rows[3]["民族"] = "不存在族"
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv(rows, encoding="gb18030"))
    return path


def test_import_exits_0_when_every_row_is_valid_and_committed(county, good_file):
    code, output = run("import", str(good_file))
    assert code == 0
    assert "新增 2 户" in output
    assert "新增 5 人" in output
    assert Person.objects.count() == 5
    code, output = run("import", str(good_file))
    assert code == 0
    assert "未做任何修改" in output


def test_import_with_errors_commits_nothing_and_exits_1(county, bad_file, tmp_path):
    report = tmp_path / "report.xlsx"
    code, output = run("import", str(bad_file), "--report", str(report))
    assert code == 1
    assert "第 5 行 [民族] “不存在族”" in output
    assert "未写入任何数据" in output
    assert Household.objects.count() == 0
    sheet = load_workbook(report, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("行号", "状态", "错误说明")
    by_row = {row[0]: row for row in rows[1:]}
    assert by_row[5][1] == "有错误"
    assert "民族" in by_row[5][2]
    assert by_row[4][1] == "同户其他行有错误，整户暂不导入"
    assert by_row[2][1] == "通过"


def test_commit_valid_commits_the_valid_households_and_still_exits_1(county, bad_file):
    code, output = run("import", str(bad_file), "--commit-valid")
    assert code == 1
    assert list(Household.objects.values_list("household_no", flat=True)) == ["5301210010010001"]
    assert "新增 1 户" in output


def test_dry_run_only_validates(county, good_file, bad_file):
    code, output = run("import", str(good_file), "--dry-run")
    assert code == 0
    assert "只校验" in output
    assert Household.objects.count() == 0
    code, _ = run("import", str(bad_file), "--dry-run")
    assert code == 1


def test_unreadable_file_exits_2(county, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code, output = run("import", str(path))
    assert code == 2
    assert "文件为空" in output


def test_import_as_village_user_refuses_other_areas(village_user, good_file):
    code, output = run("import", str(good_file), "--user", "dongcun")
    assert code == 1
    assert "不在您的辖区内" in output
    assert Household.objects.count() == 0


def test_export_writes_the_lists_and_round_trips(county, good_file, tmp_path):
    run("import", str(good_file))
    first = tmp_path / "first.xlsx"
    code, output = run("export", "-o", str(first))
    assert code == 0
    assert "已导出 5 人" in output
    code, output = run("import", str(first))
    assert code == 0
    assert "未做任何修改" in output
    second = tmp_path / "second.xlsx"
    run("export", "-o", str(second))
    cells = [
        list(load_workbook(p, read_only=True).active.iter_rows(values_only=True)) for p in (first, second)
    ]
    assert cells[0] == cells[1]
    region_file = tmp_path / "daying.csv"
    code, output = run("export", "--region", "530121001002", "-o", str(region_file))
    assert "已导出 2 人" in output
    code, output = run("import", str(region_file))
    assert code == 0
    people = tmp_path / "people.xlsx"
    code, output = run("export", "--kind", "people", "--query", "户主", "-o", str(people))
    assert "已导出 2 人" in output


def test_export_as_village_user_is_scoped(county, village_user, good_file, tmp_path):
    run("import", str(good_file))
    path = tmp_path / "mine.xlsx"
    _code, output = run("export", "--user", "dongcun", "-o", str(path))
    assert "已导出 3 人" in output
    villages = {
        row[2] for row in load_workbook(path, read_only=True).active.iter_rows(min_row=2, values_only=True)
    }
    assert villages == {"东村社区"}
