"""Fixtures: a small county (two townships, three villages, groups) and users per role, built with the
regions' and accounts' factories, and builders of real registry files (xlsx and csv) in the import layout."""

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook
from stdnum.cn import ric

from tuopin.accounts.models import Role
from tuopin.accounts.tests.factories import UserFactory
from tuopin.imports.parsing.layout import HEADERS
from tuopin.regions.models import Kind, Level
from tuopin.regions.tests.factories import RegionFactory


def make_id(seq: int, *, birth: date = date(1980, 5, 3), male: bool = True, area: str = "530121") -> str:
    """A valid 18-digit resident ID number (synthetic)."""
    order = (seq % 500) * 2 + (1 if male else 0)
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


class Counter:
    value = 0

    @classmethod
    def next(cls) -> int:
        cls.value += 1
        return cls.value


def person_row(
    household_no: str,
    *,
    name: str,
    relation: str = "户主",
    male: bool = True,
    birth: date = date(1980, 5, 3),
    id_number: str | None = None,
    village: tuple[str, str, str] = ("嵩明县", "嵩阳街道", "东村社区"),
    group: str = "土白场",
    status: str = "未脱贫",
    year: int = 2018,
    members: int | None = None,
    overrides: dict | None = None,
) -> dict:
    row: dict[str, object] = dict.fromkeys(HEADERS, "")
    row.update(
        {
            "县": village[0],
            "乡": village[1],
            "村": village[2],
            "组": group,
            "户编号": household_no,
            "姓名": name,
            "证件号码": id_number or make_id(Counter.next(), birth=birth, male=male),
            "与户主关系": relation,
            "证件类型": "居民身份证",
            "性别": "男" if male else "女",
            "出生日期": birth.isoformat(),
            "民族": "汉族",
            "文化程度": "初中",
            "健康状况": "健康",
            "劳动技能": "普通劳动力",
            "是否参加城乡居民基本医疗保险": "是",
            "是否享受低保": "否",
            "是否特困供养人员": "否",
            "年度": year,
            "户联系电话": "13800000000",
            "脱贫状态": status,
            "识别标准": "国家标准",
            "贫困户属性": "一般贫困户" if status != "卡外农户" else "",
            "识别年度": 2014 if status != "卡外农户" else "",
            "脱贫年度": 2017 if status == "已脱贫" else "",
            "主要致贫原因": "缺技术" if status != "卡外农户" else "",
            "是否军烈属": "否",
            "工资性收入": 8000,
            "生产经营性收入": 3000.5,
            "财产性收入": 0,
            "转移性收入": 1200,
            "生产经营性支出": 1000,
            "耕地面积（亩）": 3.5,
            "危房等级": "B级",
            "是否易地扶贫搬迁户": "否",
        }
    )
    if members is not None:
        row["家庭人口数"] = members
    if overrides:
        row.update(overrides)
    return row


def household_rows(household_no: str, size: int = 3, **kwargs) -> list[dict]:
    """A household of ``size`` people: head, spouse, children."""
    rows = [person_row(household_no, name=f"户主{household_no}", members=size, **kwargs)]
    if size > 1:
        rows.append(
            person_row(
                household_no,
                name=f"配偶{household_no}",
                relation="配偶",
                male=False,
                birth=date(1982, 7, 9),
                members=size,
                **kwargs,
            )
        )
    for index in range(size - 2):
        child = person_row(
            household_no,
            name=f"子女{household_no}-{index}",
            relation="之子",
            birth=date(2008 + index, 1, 15),
            members=size,
            overrides={**kwargs.get("overrides", {}), "文化程度": "", "在校生状况": "小学"},
            **{k: v for k, v in kwargs.items() if k != "overrides"},
        )
        rows.append(child)
    return rows


def to_xlsx(rows: list[dict], headers=HEADERS, *, sheet="人员信息") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h, "") if row.get(h, "") != "" else None for h in headers])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def to_csv(rows: list[dict], headers=HEADERS, *, encoding="utf-8") -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return stream.getvalue().encode(encoding)


PASSWORD = "pw-123456"
# (key, code, name, kind, level, parent key): the part of 嵩明县 the import files name
TREE = (
    ("county", "530121", "嵩明县", Kind.COUNTY, Level.COUNTY, None),
    ("songyang", "530121001", "嵩阳街道", Kind.SUBDISTRICT, Level.TOWNSHIP, "county"),
    ("niulan", "530121104", "牛栏江镇", Kind.TOWN, Level.TOWNSHIP, "county"),
    ("dongcun", "530121001001", "东村社区", Kind.RESIDENTS_COMMITTEE, Level.VILLAGE, "songyang"),
    ("daying", "530121001002", "大营社区", Kind.RESIDENTS_COMMITTEE, Level.VILLAGE, "songyang"),
    ("huangtian", "530121104001", "荒田村", Kind.VILLAGE_COMMITTEE, Level.VILLAGE, "niulan"),
    ("tubaichang", "G001001001", "土白场", Kind.VILLAGE_GROUP, Level.GROUP, "dongcun"),
    ("huanglishan", "G001002001", "黄栎山", Kind.VILLAGE_GROUP, Level.GROUP, "daying"),
    ("dahuodi", "G104001001", "大火地", Kind.VILLAGE_GROUP, Level.GROUP, "huangtian"),
)


@pytest.fixture
def county(db):
    """Two townships, three villages with a group each (keys as in ``TREE``)."""
    regions: dict = {}
    for key, code, name, kind, level, parent in TREE:
        regions[key] = RegionFactory(
            code=code, name=name, kind=kind, level=level, parent=regions[parent] if parent else None
        )
    return regions


def _user(username, role, region):
    # ``UserFactory.password`` is a Password transformer: a plain password given here is hashed.
    return UserFactory(username=username, role=role, region=region, password=PASSWORD)


@pytest.fixture
def county_user(county):
    return _user("county", Role.COUNTY, county["county"])


@pytest.fixture
def village_user(county):
    return _user("dongcun", Role.VILLAGE, county["dongcun"])


@pytest.fixture
def other_village_user(county):
    return _user("huangtian", Role.VILLAGE, county["huangtian"])


@pytest.fixture
def inspector(county):
    return _user("inspector", Role.INSPECTOR, county["county"])
