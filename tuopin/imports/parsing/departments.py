"""Other departments' lists (民政 低保/特困, 残联, 住建, 医保, 教育): their columns, how a row is read, and how a
record compares with the registry. Free of Django: code lists arrive as plain mappings.

Every row is kept as received (header → text); ``values`` holds what the comparison needs.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tuopin.imports.parsing.cells import cell_text, convert
from tuopin.imports.parsing.layout import Column, Kind, Level, header_index, normalise_header
from tuopin.imports.parsing.reader import Table, UnreadableFileError
from tuopin.imports.parsing.result import BadCellError

L, P = Level.LOCATION, Level.PERSON


def _c(
    header: str,
    key: str,
    kind: Kind,
    code_list: str = "",
    *,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    level: Level = P,
    choices: tuple[tuple[str, str], ...] = (),
) -> Column:
    return Column(header, key, level, kind, code_list, choices, required, tuple(aliases))


_ID = _c(
    "证件号码",
    "id_number",
    Kind.ID,
    required=True,
    aliases=("身份证号", "身份证号码", "公民身份号码", "户主证件号码"),
)
_NAME = _c("姓名", "name", Kind.TEXT, aliases=("户主姓名", "学生姓名", "残疾人姓名", "保障对象姓名"))
_TOWNSHIP = _c(
    "乡镇", "township", Kind.TEXT, aliases=("乡", "乡（镇）", "镇（街道）", "乡镇（街道）"), level=L
)
_VILLAGE = _c("村", "village", Kind.TEXT, aliases=("行政村", "村委会", "村（社区）", "村（居）委会"), level=L)
SUPPORT_CHOICES = (("dispersed", "分散供养"), ("centralized", "集中供养"))

DEPARTMENT_COLUMNS: dict[str, tuple[Column, ...]] = {
    "dibao": (
        _ID,
        _NAME,
        _TOWNSHIP,
        _VILLAGE,
        _c("保障金额（元/月）", "amount", Kind.MONEY, aliases=("月保障金", "保障金额")),
    ),
    "tekun": (
        _ID,
        _NAME,
        _TOWNSHIP,
        _VILLAGE,
        _c("供养方式", "support_mode", Kind.CHOICE, choices=SUPPORT_CHOICES, aliases=("供养形式",)),
    ),
    "disability": (
        _ID,
        _NAME,
        _TOWNSHIP,
        _VILLAGE,
        _c("残疾类别", "disability_category", Kind.CODE, "disability"),
        _c("残疾等级", "disability_grade", Kind.TEXT),
        _c("残疾人证号", "certificate_no", Kind.TEXT, aliases=("残疾证号",)),
        _c("是否贫困残疾人家庭", "is_poor_family", Kind.BOOL, aliases=("贫困残疾人家庭", "是否贫困残疾人")),
    ),
    "housing": (
        _ID,
        _NAME,
        _TOWNSHIP,
        _VILLAGE,
        _c(
            "危房等级",
            "house_grade",
            Kind.CODE,
            "house_grade",
            required=True,
            aliases=("鉴定等级", "危房级别"),
        ),
        _c("鉴定日期", "assessed_on", Kind.DATE, aliases=("鉴定时间",)),
    ),
    "medical": (
        _ID,
        _NAME,
        _TOWNSHIP,
        _VILLAGE,
        _c(
            "是否参保",
            "has_medical_insurance",
            Kind.BOOL,
            required=True,
            aliases=("参保状态", "是否参加基本医疗保险"),
        ),
        _c("个人自付金额（元）", "self_paid", Kind.MONEY, aliases=("个人自付", "自付金额", "合规自付金额")),
    ),
    "education": (
        _ID,
        _NAME,
        _TOWNSHIP,
        _VILLAGE,
        _c("学校", "school", Kind.TEXT, aliases=("就读学校", "学校名称")),
        _c("年级", "schooling", Kind.CODE, "schooling", aliases=("在校生状况", "就读年级")),
    ),
}


@dataclass
class DepartmentRow:
    row: int
    raw: dict[str, str]
    id_number: str
    name: str
    values: dict[str, object]
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Difference:
    field: str  # registry field; "household.house_grade" for a household field
    label: str
    registry: object
    department: object


def read_department(
    table: Table, department: str, code_map: Callable[[str, int | None], Mapping[str, str]]
) -> tuple[list[str], list[DepartmentRow]]:
    """Header texts and one ``DepartmentRow`` per non-blank row. Unreadable cells are kept raw and noted."""
    columns = DEPARTMENT_COLUMNS[department]
    index = header_index(columns)
    for header_row, row in enumerate(table.rows[:10]):  # noqa: B007 - the loop leaves header_row set
        keys = [normalise_header(cell) for cell in row]
        if any(index.get(key) is _ID for key in keys):
            break
    else:
        raise UnreadableFileError("找不到表头：前 10 行中没有“证件号码”（或“身份证号”）列")
    names = [cell_text(cell) for cell in row]
    mapped = {pos: index[key] for pos, key in enumerate(keys) if key in index}
    missing = [c.header for c in columns if c.required and c not in mapped.values()]
    if missing:
        raise UnreadableFileError("缺少必需的列：" + "、".join(missing))
    result = []
    for offset, cells in enumerate(table.rows[header_row + 1 :]):
        if all(cell in (None, "") for cell in cells):
            continue
        row_no = table.first_row + header_row + 1 + offset
        raw = {
            names[pos] or f"第{pos + 1}列": cell_text(cell)
            for pos, cell in enumerate(cells)
            if pos < len(names)
        }
        values: dict[str, object] = {}
        problems = []
        for pos, column in mapped.items():
            cell = cells[pos] if pos < len(cells) else None
            if cell in (None, ""):
                continue
            try:
                values[column.key] = convert(column, cell, None, code_map)
            except BadCellError as bad:
                problems.append(f"{names[pos]}“{cell_text(cell)}”{bad}")
        id_number = str(values.pop("id_number", "") or "")
        name = str(values.pop("name", "") or "")
        result.append(DepartmentRow(row_no, raw, id_number, name, values, problems))
    return names, result


IN_SCHOOL_EXCLUDED = frozenset({"preschool_child"})


def compare(department: str, values: Mapping[str, object], person: Mapping[str, object]) -> list[Difference]:
    """Where a matched record disagrees with the registry. ``person`` holds the person's fields plus
    ``household.house_grade``."""
    found: list[Difference] = []

    def differ(name: str, label: str, department_value: object) -> None:
        if person.get(name) != department_value:
            found.append(Difference(name, label, person.get(name), department_value))

    if department == "dibao":
        differ("is_dibao", "享受低保", True)
    elif department == "tekun":
        differ("is_tekun", "特困供养人员", True)
    elif department == "disability":
        differ("is_disabled", "残疾", True)
        if values.get("disability_category"):
            differ("disability_category", "残疾类别", values["disability_category"])
    elif department == "housing":
        differ("household.house_grade", "危房等级", values.get("house_grade"))
    elif department == "medical":
        differ("has_medical_insurance", "参加城乡居民基本医疗保险", values.get("has_medical_insurance"))
    elif department == "education":
        if values.get("schooling"):
            differ("schooling", "在校生状况", values["schooling"])
        elif not person.get("schooling") or person.get("schooling") in IN_SCHOOL_EXCLUDED:
            found.append(Difference("schooling", "在校生状况", person.get("schooling"), "在校"))
    return found
