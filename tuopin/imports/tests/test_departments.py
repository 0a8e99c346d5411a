"""Department lists with overlaps and conflicts: matching statuses, versions, the differences page, accepting
a department value, and the 4类重点对象 list."""

import datetime

import pytest
from django.urls import reverse

from tuopin.core.errors import PermissionDeniedError
from tuopin.imports.departments import (
    department_differences,
    department_list_import,
    department_record_accept,
)
from tuopin.imports.models import DepartmentRecord, MatchStatus
from tuopin.imports.renovation import renovation_objects
from tuopin.imports.services import registry_import
from tuopin.imports.tests.conftest import household_rows, make_id, to_csv, to_xlsx
from tuopin.registry.models import Person
from tuopin.registry.services import person_update

HUANGTIAN = {"village": ("嵩明县", "牛栏江镇", "荒田村"), "group": "大火地"}
DAYING = {"village": ("嵩明县", "嵩阳街道", "大营社区"), "group": "黄栎山"}
OUTSIDER = make_id(777, birth=datetime.date(1950, 1, 1))
OUTSIDER_NO_HOUSE = make_id(778, birth=datetime.date(1951, 1, 1))


@pytest.fixture
def registry(county_user):
    a = household_rows("A", 2, overrides={"危房等级": "C级"})
    b = household_rows("B", 2, status="卡外农户", overrides={"危房等级": "B级"})
    b[1]["是否享受低保"] = "是"
    c = household_rows(
        "C", 1, status="卡外农户", overrides={"危房等级": "C级", "是否特困供养人员": "是"}, **DAYING
    )
    d = household_rows("D", 1, overrides={"危房等级": "D级", "是否易地扶贫搬迁户": "是"}, **DAYING)
    e = household_rows("E", 4, status="卡外农户", overrides={"危房等级": "A级"}, **DAYING)
    f = household_rows(
        "F", 1, status="已脱贫", overrides={"危房等级": "C级", "是否享受低保": "是"}, **HUANGTIAN
    )
    outcome = registry_import(
        user=county_user, file_name="registry.xlsx", content=to_xlsx(a + b + c + d + e + f)
    )
    assert outcome.result.errors == []
    ids = {
        row["户编号"] + str(i): row["证件号码"] for rows in (a, b, c, d, e, f) for i, row in enumerate(rows)
    }
    return ids


def _list(headers, rows) -> bytes:
    return to_csv([dict(zip(headers, row, strict=True)) for row in rows], headers=headers, encoding="gb18030")


def _load(user, department, content, as_of=datetime.date(2018, 4, 30)):
    return department_list_import(
        user=user, department=department, as_of=as_of, file_name=f"{department}.csv", content=content
    )


@pytest.fixture
def lists(registry, county_user):
    headers = ["乡镇", "村", "姓名", "身份证号", "保障金额（元/月）"]
    _load(
        county_user,
        "dibao",
        _list(
            headers,
            [
                ["嵩阳街道", "东村社区", "户主A", registry["A0"], "320"],  # registry says not 低保 → conflict
                ["嵩阳街道", "东村社区", "配偶B", registry["B1"], "320"],  # agrees
                ["嵩阳街道", "东村社区", "外人", OUTSIDER, "320"],  # not in registry
                ["嵩阳街道", "东村社区", "外人二", OUTSIDER_NO_HOUSE, "320"],
                ["嵩阳街道", "东村社区", "错号", "530121198005030000", "320"],
            ],
        ),
    )
    _load(
        county_user,
        "tekun",
        _list(
            ["乡镇", "村", "姓名", "证件号码", "供养方式"],
            [["嵩阳街道", "大营社区", "户主C", registry["C0"], "集中供养"]],
        ),
    )
    _load(
        county_user,
        "housing",
        _list(
            ["乡镇", "村", "户主姓名", "户主证件号码", "危房等级", "鉴定日期"],
            [
                ["嵩阳街道", "东村社区", "户主B", registry["B0"], "D级", "2018-03-01"],  # registry says B
                ["嵩阳街道", "东村社区", "外人", OUTSIDER, "C", "2018-03-01"],
                ["嵩阳街道", "东村社区", "外人二", OUTSIDER_NO_HOUSE, "B", "2018-03-01"],
            ],
        ),
    )
    _load(
        county_user,
        "education",
        _list(["姓名", "证件号码", "学校", "年级"], [["子女E", registry["E2"], "嵩阳小学", "小学"]]),
    )
    # the registry record is edited after the 医保 list was drawn up (2018-01-01)
    person = Person.objects.get(id_number=registry["A0"])
    person_update(person=person, by=county_user, data={"phone": "13900000000"}, version=person.version)
    _load(
        county_user,
        "medical",
        _list(
            ["姓名", "证件号码", "是否参保", "个人自付金额（元）"],
            [["户主A", registry["A0"], "否", "5230.5"]],
        ),
        as_of=datetime.date(2018, 1, 1),
    )


def _status(id_number, department):
    return DepartmentRecord.objects.get(id_number=id_number, source__department=department).status


def test_records_are_matched_by_id_with_a_status(registry, lists):
    assert _status(registry["A0"], "dibao") == MatchStatus.CONFLICTING
    assert _status(registry["B1"], "dibao") == MatchStatus.MATCHED
    assert _status(OUTSIDER, "dibao") == MatchStatus.UNMATCHED
    assert _status("530121198005030000", "dibao") == MatchStatus.INVALID
    assert _status(registry["B0"], "housing") == MatchStatus.CONFLICTING
    assert _status(registry["E2"], "education") == MatchStatus.MATCHED
    # the registry record was written after the 医保 list's date: the department's view is stale
    assert _status(registry["A0"], "medical") == MatchStatus.STALE
    record = DepartmentRecord.objects.get(id_number=registry["A0"], source__department="dibao")
    assert record.raw["身份证号"] == registry["A0"]  # kept as received
    assert record.raw["保障金额（元/月）"] == "320"
    assert record.differences[0]["field"] == "is_dibao"


def test_a_newer_list_makes_the_older_one_stale(registry, lists, county_user):
    _load(
        county_user,
        "dibao",
        _list(["姓名", "证件号码"], [["配偶B", registry["B1"]]]),
        as_of=datetime.date(2018, 6, 30),
    )
    old = DepartmentRecord.objects.get(id_number=registry["B1"], source__as_of=datetime.date(2018, 4, 30))
    new = DepartmentRecord.objects.get(id_number=registry["B1"], source__as_of=datetime.date(2018, 6, 30))
    assert old.status == MatchStatus.STALE
    assert new.status == MatchStatus.MATCHED


def test_differences_per_village_are_scoped(registry, lists, village_user, other_village_user):
    mine = department_differences(user=village_user)
    sentences = [row.sentence for row in mine]
    assert any("享受低保：登记库为“否”，民政·低保为“是”" in s for s in sentences)
    assert any("危房等级：登记库为“B”，住建·危房等级为“D”" in s for s in sentences)
    assert all(row.person.household.village.name == "东村社区" for row in mine)
    assert not any(row.kind == "unmatched" for row in mine)  # people outside the registry: county level only
    theirs = department_differences(user=other_village_user)
    missing = [row for row in theirs if row.kind == "missing"]
    assert [row.person.id_number for row in missing] == [registry["F0"]]
    assert "民政·低保名单（2018-04-30）中没有此人" in missing[0].sentence


def test_missing_schoolchild_is_a_difference(registry, lists, county_user):
    rows = department_differences(user=county_user)
    schooling = [r for r in rows if r.department == "education" and r.kind == "missing"]
    assert {r.person.id_number for r in schooling} == {registry["E3"]}
    assert all("登记库记为在校（小学）" in r.sentence for r in schooling)
    assert registry["E2"] not in {r.person.id_number for r in schooling}  # listed by 教育


def test_accepting_a_department_value_writes_the_registry_with_history(
    registry, lists, village_user, other_village_user
):
    record = DepartmentRecord.objects.get(id_number=registry["A0"], source__department="dibao")
    with pytest.raises(PermissionDeniedError):
        department_record_accept(record=record, by=other_village_user)
    person = Person.objects.get(id_number=registry["A0"])
    assert person.is_dibao is False
    department_record_accept(record=record, by=village_user)
    person.refresh_from_db()
    assert person.is_dibao is True
    latest = person.history.first()
    assert latest.history_user == village_user
    assert latest.is_dibao is True
    assert latest.prev_record.is_dibao is False
    record.refresh_from_db()
    assert record.status == MatchStatus.MATCHED
    assert record.accepted_by == village_user
    housing = DepartmentRecord.objects.get(id_number=registry["B0"], source__department="housing")
    department_record_accept(record=housing, by=village_user)
    assert person.household.__class__.objects.get(household_no="B").house_grade == "D"


def test_renovation_priority_list_deduplicates_across_sources(registry, lists, county_user):
    result = renovation_objects(user=county_user)
    keys = {item.key: item for item in result.objects}
    # A: registered poor and (per 民政) 低保, house C → once, with both categories
    assert keys["A"].categories == ["registered_poor", "dibao"]
    # B: not registered, spouse on 低保; the 住建 list grades the house D (registry said B)
    assert keys["B"].grade == "D"
    assert keys["B"].grade_source == "住建名单"
    assert keys["B"].categories == ["dibao"]
    # F: exited registered household, house C
    assert keys["F"].categories[0] == "registered_poor"
    # a 低保 person outside the registry whose house 住建 grades C
    assert keys[f"身份证:{OUTSIDER}"].categories == ["dibao"]
    # C: 特困 but centralised support; D: relocated; E: house A; the second outsider's house is B
    assert not {"C", "D", "E", f"身份证:{OUTSIDER_NO_HOUSE}"} & set(keys)
    assert result.total == 4
    counts = {c.township: c for c in result.townships}
    assert counts["嵩阳街道"].total == 3
    assert counts["嵩阳街道"].by_category["dibao"] == 3
    assert counts["牛栏江镇"].total == 1


def test_renovation_list_is_scoped_for_a_village_user(registry, lists, village_user):
    result = renovation_objects(user=village_user)
    assert {item.key for item in result.objects} == {"A", "B"}


def test_department_pages(client, registry, lists, county_user, village_user):
    client.force_login(county_user)
    page = client.get(reverse("imports:departments")).content.decode()
    assert "民政·低保" in page
    page = client.get(reverse("imports:renovation")).content.decode()
    assert "嵩阳街道" in page
    assert f"身份证:{OUTSIDER}" in page
    client.force_login(village_user)
    page = client.get(reverse("imports:differences")).content.decode()
    assert "享受低保：登记库为“否”" in page
    record = DepartmentRecord.objects.get(id_number=registry["A0"], source__department="dibao")
    client.post(reverse("imports:accept", args=[record.pk]))
    assert Person.objects.get(id_number=registry["A0"]).is_dibao is True
    # village users cannot load department lists
    response = client.post(
        reverse("imports:department_upload"),
        {"department": "dibao", "as_of": "2018-05-01", "file": _upload_file()},
    )
    assert response.status_code == 403


def _upload_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("dibao.csv", "姓名,证件号码\n甲,530121198005030018\n".encode())


def test_department_and_renovation_commands(registry, county_user, tmp_path):
    import io
    import json

    from django.core.management import call_command

    path = tmp_path / "housing.xlsx"
    rows = [{"户主证件号码": registry["A0"], "危房等级": "D级", "户主姓名": "户主A"}]
    path.write_bytes(to_xlsx(rows, headers=["户主姓名", "户主证件号码", "危房等级"]))
    out = io.StringIO()
    call_command("department_load", "housing", str(path), "--as-of", "2018-03-01", stdout=out)
    assert "不一致 1" in out.getvalue()  # registry says C, 住建 says D
    out = io.StringIO()
    call_command("renovation", "--json", "--list", stdout=out)
    data = json.loads(out.getvalue())
    objects = {item["key"]: item for item in data["objects"]}
    assert objects["A"]["grade"] == "D"
    assert objects["A"]["grade_source"] == "住建名单"
    assert data["total"] == len(objects)
    assert {row["township"] for row in data["townships"]} == {"嵩阳街道", "牛栏江镇"}


@pytest.mark.parametrize(
    "target", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)", "/\\evil.example"]
)
def test_only_relative_next_targets_are_followed(client, registry, lists, village_user, target):
    client.force_login(village_user)
    record = DepartmentRecord.objects.get(id_number=registry["A0"], source__department="dibao")
    response = client.post(reverse("imports:accept", args=[record.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:differences")
    response = client.post(
        reverse("imports:accept", args=[record.pk]), {"next": "/data/differences/?village=1"}
    )
    assert response["Location"] == "/data/differences/?village=1"
