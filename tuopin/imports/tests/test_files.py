"""Unreadable files get a clear Chinese message and write nothing; odd but readable files work."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from tuopin.imports.models import BatchStatus
from tuopin.imports.parsing.layout import HEADERS
from tuopin.imports.services import registry_import
from tuopin.imports.tests.conftest import household_rows, to_csv, to_xlsx
from tuopin.registry.models import Household, Person


def _workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _fill(sheet, rows):
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append([row.get(h) if row.get(h) != "" else None for h in HEADERS])


def _merged(workbook):
    sheet = workbook.active
    _fill(sheet, household_rows("M1", 2))
    sheet.merge_cells("A1:B1")


def _formula(workbook):
    sheet = workbook.active
    rows = household_rows("F1", 2)
    _fill(sheet, rows)
    sheet.cell(row=2, column=HEADERS.index("工资性收入") + 1, value="=4000*2")


def _two_sheets(workbook):
    _fill(workbook.active, household_rows("S1", 1))
    workbook.active.title = "东村"
    _fill(workbook.create_sheet("大营"), household_rows("S2", 1))


def _no_header(workbook):
    workbook.active.append(["甲", "乙", "丙"])
    workbook.active.append([1, 2, 3])


def _missing_columns(workbook):
    workbook.active.append(["姓名", "证件号码", "性别", "与户主关系"])
    workbook.active.append(["张三", "530121198005030018", "男", "户主"])


GOOD = to_xlsx(household_rows("G1", 2))


@pytest.mark.parametrize(
    ("name", "content", "phrase"),
    [
        ("empty.xlsx", b"", "文件为空"),
        ("empty.csv", b"", "文件为空"),
        ("truncated.xlsx", GOOD[: len(GOOD) // 2], "损坏或不完整"),
        ("picture.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "不是 Excel 工作簿"),
        ("binary.csv", b"\x00\x01\x02\x03" * 100, "不是表格文件"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "旧版 Excel"),
        ("merged.xlsx", _workbook_bytes(_merged), "合并单元格（A1:B1"),
        ("formula.xlsx", _workbook_bytes(_formula), "含有公式"),
        ("sheets.xlsx", _workbook_bytes(_two_sheets), "多个含数据的工作表（东村、大营）"),
        ("noheader.xlsx", _workbook_bytes(_no_header), "找不到表头"),
        ("columns.xlsx", _workbook_bytes(_missing_columns), "缺少必需的列：县、乡、村、户编号"),
        ("blank.xlsx", _workbook_bytes(lambda wb: None), "没有数据"),
        ("header-only.csv", to_csv([]), "只有表头"),
        ("latin1.csv", "户编号,姓名\n".encode() + b"\xff\xfe\xfa" * 3, "无法识别文件编码"),
    ],
)
def test_unreadable_files_get_a_clear_message_and_write_nothing(county_user, name, content, phrase):
    outcome = registry_import(user=county_user, file_name=name, content=content)
    assert outcome.result is None
    assert not outcome.committed
    assert outcome.batch.status == BatchStatus.REJECTED
    assert phrase in outcome.batch.file_error
    assert Household.objects.count() == 0
    assert Person.objects.count() == 0


def test_hidden_code_sheet_and_title_row_and_aliases_are_accepted(county_user):
    rows = household_rows("5301210010010001", 2)
    aliased = [
        h.replace("证件号码", "身份证号").replace("乡", "乡镇") if h in ("证件号码", "乡") else h
        for h in HEADERS
    ]
    aliased = [f"*{h}" if h == "姓名" else h for h in aliased]
    aliased[HEADERS.index("耕地面积（亩）")] = "耕地面积(亩)"

    def build(workbook):
        sheet = workbook.active
        sheet.title = "人员信息"
        sheet.append(["嵩明县建档立卡人口信息表（2018年）"])
        sheet.append([*aliased, "备注"])
        for row in rows:
            sheet.append([row.get(h) if row.get(h) != "" else None for h in HEADERS])
        codes = workbook.create_sheet("代码表")
        codes.append(["与户主关系", "户主"])
        codes.sheet_state = "hidden"

    outcome = registry_import(user=county_user, file_name="aliases.xlsx", content=_workbook_bytes(build))
    assert outcome.result.errors == []
    assert outcome.result.header.unknown == ["备注"]
    assert outcome.committed
    assert Household.objects.get().cultivated_land == 3.5
    assert Person.objects.count() == 2


def test_id_number_stored_as_a_number_is_refused(county_user):
    rows = household_rows("5301210010010001", 1)
    rows[0]["证件号码"] = 530121198005030018
    outcome = registry_import(user=county_user, file_name="num.xlsx", content=to_xlsx(rows))
    assert any("存成了数字" in e.message for e in outcome.result.errors)
    assert Household.objects.count() == 0


def test_template_has_drop_downs_and_imports_back_empty(county_user, client):
    from tuopin.imports.services import template_workbook

    content = template_workbook(year=2018)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["人员信息"]
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    relation_col = sheet.cell(row=2, column=HEADERS.index("与户主关系") + 1).coordinate
    assert relation_col in formulas
    codes = workbook["代码表"]
    assert codes.sheet_state == "hidden"
    labels = [c.value for c in codes["A"]]
    assert "户主" in labels
    assert "之曾孙子" not in labels  # 2021 value, template made for 2018
    # a filled template imports
    for row_no, row in enumerate(household_rows("5301210010010001", 2), start=2):
        for col_no, header in enumerate(HEADERS, start=1):
            if row.get(header) != "":
                sheet.cell(row=row_no, column=col_no, value=row.get(header))
    stream = io.BytesIO()
    workbook.save(stream)
    outcome = registry_import(user=county_user, file_name="template.xlsx", content=stream.getvalue())
    assert outcome.result.errors == []
    assert outcome.committed


def test_csv_with_semicolon_free_tab_delimiter(county_user):
    rows = household_rows("5301210010010001", 2)
    text = "\t".join(HEADERS) + "\n" + "\n".join("\t".join(str(r.get(h, "")) for h in HEADERS) for r in rows)
    outcome = registry_import(user=county_user, file_name="tab.csv", content=text.encode("gb18030"))
    assert outcome.result.errors == []
    assert Person.objects.count() == 2


def test_utf8_csv_reports_encoding(county_user):
    from tuopin.imports.parsing.reader import read_table

    assert read_table(to_csv(household_rows("A", 1), encoding="utf-8-sig")).encoding == "UTF-8（带BOM）"
    assert read_table(to_csv(household_rows("A", 1), encoding="gb18030")).encoding == "GB18030/GBK"
    assert read_table(to_csv(household_rows("A", 1), encoding="utf-8")).encoding == "UTF-8"
