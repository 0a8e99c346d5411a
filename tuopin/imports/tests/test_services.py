import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.imports.models import BatchStatus
from tuopin.imports.parsing.layout import HEADERS
from tuopin.imports.parsing.write import write_rows
from tuopin.imports.selectors import export_rows
from tuopin.imports.services import batch_commit, batch_create, batch_validate, registry_import
from tuopin.imports.tests.conftest import household_rows, make_id, person_row, to_csv, to_xlsx
from tuopin.registry.models import Household, Person


def _counts():
    return (
        Household.objects.count(),
        Person.objects.count(),
        Household.history.count(),
        Person.history.count(),
    )


def _export_bytes(user=None, **kwargs) -> bytes:
    stream = io.BytesIO()
    write_rows(stream, HEADERS, export_rows(user=user, **kwargs))
    return stream.getvalue()


def _cells(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _good_rows():
    return household_rows("5301210010010001", 4) + household_rows("5301210010010002", 2, status="已脱贫")


@pytest.mark.parametrize(
    ("kind", "maker"),
    [
        ("xlsx", to_xlsx),
        ("utf8", lambda rows: to_csv(rows, encoding="utf-8")),
        ("utf8-bom", lambda rows: to_csv(rows, encoding="utf-8-sig")),
        ("gb18030", lambda rows: to_csv(rows, encoding="gb18030")),
    ],
)
def test_import_reads_xlsx_and_csv_in_each_encoding(county_user, kind, maker):
    content = maker(_good_rows())
    outcome = registry_import(
        user=county_user, file_name=f"登记.{'xlsx' if kind == 'xlsx' else 'csv'}", content=content
    )
    assert outcome.result is not None
    assert outcome.result.errors == []
    assert outcome.committed
    assert Household.objects.count() == 2
    assert Person.objects.count() == 6
    household = Household.objects.get(household_no="5301210010010001")
    assert household.village.name == "东村社区"
    assert household.group.name == "土白场"
    assert household.business_income == Decimal("3000.50")
    assert household.main_cause == "lack_skills"
    assert household.house_grade == "B"
    head = household.members.get(relation="head")
    assert head.sex == "male"
    assert head.education == "junior"
    assert head.ethnicity == "01"
    # every created row has its history row, attributed to the importer
    assert Household.history.filter(history_type="+", history_user=county_user).count() == 2
    assert Person.history.filter(history_type="+").count() == 6
    assert outcome.batch.status == BatchStatus.COMMITTED


def test_gbk_file_with_chinese_is_detected(county_user):
    content = to_csv(_good_rows(), encoding="gbk")
    content.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    outcome = registry_import(user=county_user, file_name="gbk.csv", content=content)
    assert outcome.committed


def test_round_trip_export_import_export_is_identical_and_reimport_is_a_noop(county_user):
    registry_import(user=county_user, file_name="a.xlsx", content=to_xlsx(_good_rows()))
    first = _export_bytes(county_user)
    before = _counts()
    outcome = registry_import(user=county_user, file_name="export.xlsx", content=first)
    assert outcome.result.errors == []
    assert outcome.summary is not None
    assert not outcome.summary.changed
    assert _counts() == before  # no new rows, no history rows
    second = _export_bytes(county_user)
    assert _cells(first) == _cells(second)
    assert len(_cells(first)) == 7


def test_later_file_updates_by_household_no_and_id_with_history(county_user):
    rows = _good_rows()
    registry_import(user=county_user, file_name="a.xlsx", content=to_xlsx(rows))
    head_id = rows[0]["证件号码"]
    removed_id = rows[3]["证件号码"]
    changed = [dict(r) for r in rows if r["证件号码"] != removed_id]
    for row in changed:
        if row["户编号"] == "5301210010010001":
            row["工资性收入"] = 9000
            row["家庭人口数"] = 3
    changed[0]["文化程度"] = "高中"
    newcomer = person_row("5301210010010003", name="新户主", members=1)
    outcome = registry_import(user=county_user, file_name="b.xlsx", content=to_xlsx([*changed, newcomer]))
    assert outcome.result.errors == []
    summary = outcome.summary
    assert (summary.households_created, summary.households_updated) == (1, 1)
    assert (summary.persons_created, summary.persons_updated, summary.persons_removed) == (1, 1, 1)
    household = Household.objects.get(household_no="5301210010010001")
    assert household.wage_income == Decimal("9000.00")
    assert household.history.filter(history_type="~", history_change_reason__contains="b.xlsx").count() == 1
    head = Person.objects.get(id_number=head_id)
    assert head.education == "senior"
    assert head.history.filter(history_type="~").count() == 1
    assert not Person.objects.filter(id_number=removed_id).exists()
    assert Person.history.filter(id_number=removed_id, history_type="-").count() == 1


def test_file_with_errors_commits_nothing_unless_commit_valid(county_user):
    good = household_rows("5301210010010001", 2)
    bad = household_rows("5301210010010002", 2)
    bad[1]["证件号码"] = bad[1]["证件号码"][:-1] + ("0" if bad[1]["证件号码"][-1] != "0" else "1")
    content = to_xlsx(good + bad)
    outcome = registry_import(user=county_user, file_name="x.xlsx", content=content)
    assert not outcome.committed
    assert Household.objects.count() == 0
    assert outcome.batch.households_valid == 1
    assert outcome.batch.households_held == 1
    with pytest.raises(ApplicationError):
        batch_commit(batch=outcome.batch, by=county_user)
    assert Household.objects.count() == 0
    summary = batch_commit(batch=outcome.batch, by=county_user, commit_valid=True)
    assert summary.households_created == 1
    assert list(Household.objects.values_list("household_no", flat=True)) == ["5301210010010001"]
    assert Person.objects.count() == 2  # the bad household is held back whole, its good head included


def test_every_kind_of_error_is_reported_with_row_and_column(county_user):
    # an existing household elsewhere holds an ID that the file reuses
    registry_import(
        user=county_user,
        file_name="seed.xlsx",
        content=to_xlsx(
            household_rows("5301211040010009", 1, village=("嵩明县", "牛栏江镇", "荒田村"), group="大火地")
        ),
    )
    taken_id = Person.objects.get().id_number

    rows = []
    # row 2-3: bad ID checksum, birth date vs ID, sex vs ID
    h1 = household_rows("H1", 2)
    h1[0]["证件号码"] = h1[0]["证件号码"][:-1] + ("0" if h1[0]["证件号码"][-1] != "0" else "1")
    h1[1]["出生日期"] = "1990-01-01"
    rows += h1
    # row 4-5: sex disagrees with ID; invalid code value; code value not valid in the data year
    h2 = household_rows("H2", 2)
    h2[0]["性别"] = "女"
    h2[1]["民族"] = "火星族"
    h2[1]["与户主关系"] = "之曾孙子"  # only valid from 2021, file year is 2018
    rows += h2
    # row 6: missing required field (姓名), ID date invalid
    h3 = [person_row("H3", name="", members=1, id_number="530121198013400011")]
    rows += h3
    # row 7-8: two heads
    h4 = household_rows("H4", 2)
    h4[1]["与户主关系"] = "户主"
    h4[1]["性别"] = "男"
    h4[1]["证件号码"] = make_id(
        401, male=True, birth=h4[1]["出生日期"] and __import__("datetime").date(1982, 7, 9)
    )
    rows += h4
    # row 9-11: two spouses and household size wrong
    h5 = household_rows("H5", 3)
    h5[2]["与户主关系"] = "配偶"
    h5[2]["在校生状况"] = ""
    h5[2]["文化程度"] = "小学"
    for row in h5:
        row["家庭人口数"] = 4
    rows += h5
    # row 12: income total disagrees with the parts
    h6 = [person_row("H6", name="甲", members=1, overrides={"年收入（元）": 99999})]
    rows += h6
    # row 13-14: duplicate ID inside the file
    h7 = household_rows("H7", 1)
    h7b = household_rows("H8", 1)
    h7b[0]["证件号码"] = h7[0]["证件号码"]
    rows += h7 + h7b
    # row 15: ID registered in another household
    h9 = [person_row("H9", name="乙", members=1, id_number=taken_id)]
    rows += h9
    # row 16: household fields differ between rows of one household (row 17)
    h10 = household_rows("H10", 2)
    h10[1]["工资性收入"] = 1
    rows += h10
    # row 18: no head at all
    h11 = [person_row("H11", name="丙", relation="之子", members=1)]
    rows += h11
    # row 19: unknown village
    h12 = [person_row("H12", name="丁", members=1, village=("嵩明县", "嵩阳街道", "不存在村"))]
    rows += h12

    content = to_xlsx(rows)
    before = _counts()
    outcome = registry_import(user=county_user, file_name="errors.xlsx", content=content)
    assert not outcome.committed
    assert _counts() == before
    found = {(e.row, e.column) for e in outcome.result.errors}
    messages = "\n".join(f"{e.row} {e.column} {e.message}" for e in outcome.result.errors)
    expected = {
        (2, "证件号码"),
        (3, "出生日期"),
        (4, "性别"),
        (5, "民族"),
        (5, "与户主关系"),
        (6, "姓名"),
        (6, "证件号码"),
        (8, "与户主关系"),
        (11, "与户主关系"),
        (9, "家庭人口数"),
        (12, "年收入（元）"),
        (14, "证件号码"),
        (15, "证件号码"),
        (17, "工资性收入"),
        (18, "与户主关系"),
        (19, "村"),
    }
    assert expected <= found, messages
    assert "校验位" in messages
    assert "与证件号码中的出生日期1982-07-09不一致" in messages
    assert "多名户主" in messages
    assert "多名配偶" in messages
    assert "家庭人口数为 4" in messages
    assert "与第 13 行重复" in messages
    assert "已登记在另一户" in messages
    assert "2018年度" in messages
    assert outcome.result.households == {}  # every household has a bad row
    assert outcome.batch.error_count == len(outcome.result.errors)
    assert outcome.batch.row_errors.filter(row=2, column="证件号码").exists()


def test_village_user_rows_for_other_areas_are_refused_and_reported(county_user, village_user):
    mine = household_rows("5301210010010001", 2)
    theirs = household_rows("5301211040010001", 2, village=("嵩明县", "牛栏江镇", "荒田村"), group="大火地")
    registry_import(
        user=county_user, file_name="county.xlsx", content=to_xlsx(mine)
    )  # the status comes from the county
    outcome = registry_import(
        user=village_user, file_name="v.xlsx", content=to_xlsx(mine + theirs), commit_valid=True
    )
    assert outcome.committed
    assert list(Household.objects.values_list("household_no", flat=True)) == ["5301210010010001"]
    refused = [e for e in outcome.result.errors if e.column == "村"]
    assert {e.row for e in refused} == {4}
    assert "不在您的辖区内" in refused[0].message


def test_village_user_export_contains_only_their_village(county_user, village_user):
    mine = household_rows("5301210010010001", 2)
    theirs = household_rows("5301211040010001", 2, village=("嵩明县", "牛栏江镇", "荒田村"), group="大火地")
    registry_import(user=county_user, file_name="all.xlsx", content=to_xlsx(mine + theirs))
    rows = list(export_rows(user=village_user))
    assert {row[HEADERS.index("村")] for row in rows} == {"东村社区"}
    assert len(rows) == 2
    assert len(list(export_rows(user=county_user))) == 4


def test_village_user_cannot_update_a_household_of_another_village(county_user, village_user):
    theirs = household_rows("5301211040010001", 1, village=("嵩明县", "牛栏江镇", "荒田村"), group="大火地")
    registry_import(user=county_user, file_name="all.xlsx", content=to_xlsx(theirs))
    moved = [dict(theirs[0], 县="嵩明县", 乡="嵩阳街道", 村="东村社区", 组="土白场")]
    outcome = registry_import(user=village_user, file_name="steal.xlsx", content=to_xlsx(moved))
    assert not outcome.committed
    messages = [e.message for e in outcome.result.errors]
    assert "该户编号不能使用，请联系县乡村振兴局核实" in messages
    assert not any("荒田" in m or "辖区" in m for m in messages)
    assert Household.objects.get().village.name == "荒田村"


def test_inspector_may_not_import(inspector):
    with pytest.raises(PermissionDeniedError):
        batch_create(user=inspector, file_name="a.xlsx", content=to_xlsx(_good_rows()))


def test_batch_validate_then_commit_stores_progress(county_user):
    batch = batch_create(user=county_user, file_name="a.csv", content=to_csv(_good_rows()))
    seen = []
    result = batch_validate(
        batch=batch, on_progress=lambda stage, done, total: seen.append((stage, done, total))
    )
    assert result is not None
    assert not result.errors
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED
    assert batch.progress_percent == 100
    assert seen[-1] == ("validate", 6, 6)
    batch_commit(batch=batch, by=county_user)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert batch.persons_created == 6
    with pytest.raises(ApplicationError):
        batch_commit(batch=batch, by=county_user)
