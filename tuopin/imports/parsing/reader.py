"""Reading a spreadsheet file into rows of cell values: ``.xlsx`` (python-calamine) and ``.csv`` in UTF-8,
UTF-8 with BOM or GB18030/GBK (detected). A file that cannot be read safely raises ``UnreadableFileError``
with a Chinese message; nothing is guessed."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import python_calamine
from defusedxml import ElementTree

from tuopin.core.cells import csv_value_in
from tuopin.imports.parsing.layout import CODES_SHEET_NAME, SHEET_NAME

Cell = object  # str | int | float | bool | date | datetime | None


class UnreadableFileError(Exception):
    """The file as a whole cannot be imported. ``message`` is Chinese text for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The rows of one sheet. ``first_row`` is the spreadsheet row number (1-based) of ``rows[0]``."""

    rows: list[list[Cell]]
    first_row: int = 1
    sheet: str = ""
    encoding: str = ""
    notes: list[str] = field(default_factory=list)


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# A formula element: <f>, <f ...>, <f/> or a prefixed <x:f ...>; text content cannot hold these (it is escaped).
_FORMULA_MARKERS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")
_CELL_REF = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+[0-9]+)"[^>]*>(?:(?!</(?:\w+:)?c>).){0,200}?<(?:\w+:)?f[ >/]', re.S
)


def read_table(data: bytes, filename: str = "") -> Table:
    if not data:
        raise UnreadableFileError("文件为空，没有可导入的内容")
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFileError(
            "这是旧版 Excel（.xls）或其他 Office 文件，请在 Excel 中另存为 .xlsx 后再导入"
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFileError("文件扩展名是 .xlsx，但内容不是 Excel 工作簿（文件可能已损坏）")
    return _read_csv(data)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8（带BOM）"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030/GBK"
    except UnicodeDecodeError as exc:
        raise UnreadableFileError("无法识别文件编码（支持 UTF-8、带BOM的UTF-8 和 GB18030/GBK）") from exc


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data[:65536]:
        raise UnreadableFileError("文件不是表格文件（既不是 .xlsx 也不是 .csv 文本），请检查所选文件")
    try:
        text, encoding = _decode(data)
    except UnicodeDecodeError as exc:  # pragma: no cover - _decode converts these
        raise UnreadableFileError("无法识别文件编码") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        rows: list[list[Cell]] = [
            [csv_value_in(cell) for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise UnreadableFileError(f"CSV 文件格式错误：{exc}") from exc
    rows = _trim(rows)
    if not rows:
        raise UnreadableFileError("文件为空，没有可导入的内容")
    return Table(rows=rows, first_row=1, sheet="", encoding=encoding)


def _trim(rows: list[list[Cell]]) -> list[list[Cell]]:
    while rows and all(cell in (None, "") for cell in rows[-1]):
        rows.pop()
    return rows


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part inside the archive."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.findall("rel:Relationship", _NS)}
    paths = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        target = target.lstrip("/")
        paths[sheet.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
    return paths


def _first_formula(archive: zipfile.ZipFile, path: str) -> str | None:
    """The first cell holding a formula (streamed, the part may be hundreds of MB), or None."""
    tail = b""
    with archive.open(path) as part:
        while chunk := part.read(1 << 22):
            window = tail + chunk
            if any(marker in window for marker in _FORMULA_MARKERS):
                match = _CELL_REF.search(window)
                return match.group(1).decode() if match else "?"
            tail = window[-16:]
    return None


def _open_workbook(data: bytes) -> tuple[zipfile.ZipFile, dict[str, str], python_calamine.CalamineWorkbook]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        paths = _sheet_paths(archive)
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except UnreadableFileError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        ParseError,
        python_calamine.CalamineError,
        EOFError,
    ) as exc:
        raise UnreadableFileError(
            "文件已损坏或不完整，无法作为 Excel 工作簿打开，请重新导出后再导入"
        ) from exc
    except Exception as exc:  # calamine raises plain errors for some broken parts
        raise UnreadableFileError(f"无法读取 Excel 文件：{exc}") from exc
    return archive, paths, workbook


def _data_sheet(workbook: python_calamine.CalamineWorkbook) -> tuple[str, python_calamine.CalamineSheet]:
    """The one visible sheet with data (or the one named 人员信息 among several)."""
    visible = [
        meta.name
        for meta in workbook.sheets_metadata
        if meta.visible == python_calamine.SheetVisibleEnum.Visible and meta.name != CODES_SHEET_NAME
    ]
    parsed = {}
    for name in visible:
        try:
            sheet = workbook.get_sheet_by_name(name)  # parses the whole sheet: keep it for reading below
        except Exception as exc:
            raise UnreadableFileError(f"无法读取工作表“{name}”，文件可能已损坏：{exc}") from exc
        if any(any(cell not in ("", None) for cell in row) for row in sheet.to_python(nrows=5)):
            parsed[name] = sheet
    if not parsed:
        raise UnreadableFileError("工作簿中没有数据（所有工作表都是空的）")
    if len(parsed) == 1:
        return next(iter(parsed.items()))
    if SHEET_NAME in parsed:
        return SHEET_NAME, parsed[SHEET_NAME]
    names = "、".join(parsed)
    raise UnreadableFileError(
        f"工作簿有多个含数据的工作表（{names}），无法确定导入哪一个；请只保留一个工作表，"
        f"或把要导入的工作表命名为“{SHEET_NAME}”"
    )


def _read_xlsx(data: bytes) -> Table:
    archive, paths, workbook = _open_workbook(data)
    name, sheet = _data_sheet(workbook)
    merged = sheet.merged_cell_ranges or []
    if merged:
        (r1, c1), (r2, c2) = merged[0]
        ref = f"{_col_letter(c1)}{r1 + 1}:{_col_letter(c2)}{r2 + 1}"
        raise UnreadableFileError(
            f"工作表“{name}”含有合并单元格（{ref} 等 {len(merged)} 处），请取消合并、每列一个表头后再导入"
        )
    path = paths.get(name)
    if path and path in archive.namelist():
        cell = _first_formula(archive, path)
        if cell:
            raise UnreadableFileError(
                f"工作表“{name}”含有公式（如 {cell} 单元格），"
                "请复制后“选择性粘贴为数值”再导入，以免导入未经计算的结果"
            )
    try:
        values = sheet.to_python(skip_empty_area=False)
    except Exception as exc:
        raise UnreadableFileError(f"无法读取工作表“{name}”：{exc}") from exc
    rows = _trim([list[Cell](row) for row in values])
    if not rows:
        raise UnreadableFileError(f"工作表“{name}”是空的")
    return Table(rows=rows, first_row=1, sheet=name, encoding="xlsx")


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
