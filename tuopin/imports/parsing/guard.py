"""Measuring a file before it is parsed, and parsing it in a child process with a memory limit
(docs/adr/0040-bounded-parsing.md). Free of Django: the limits arrive as a ``Limits`` value.

1. The archive (``.xlsx`` is a zip): member count, total decompressed size and compression ratio, read from
   the zip central directory — nothing is decompressed to measure it.
2. The sheet: its XML is streamed once (never held whole) and the real extent of the cells that hold a value
   (last row, last column), the number of non-empty rows and of non-empty cells are counted. The
   ``<dimension>`` tag is not trusted.
3. The parse itself runs in a child (forked from a ``forkserver``) whose address space is capped with ``RLIMIT_AS``; a child that
   runs out of memory, crashes or overruns its time is reported as a refusal, and the server process is
   untouched.
4. After reading, a file whose rows are mostly empty is refused before validation could write an error for
   every blank cell.

Every refusal is ``FileRefusedError`` with a Chinese message naming the limit.
"""

import multiprocessing
import re
import resource
import zipfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from tuopin.imports.parsing.reader import Table, UnreadableFileError

MB = 1024 * 1024


class FileRefusedError(UnreadableFileError):
    """The file exceeds a configured limit (it is refused, not broken). ``message`` is Chinese."""


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = 200 * MB
    max_members: int = 1000
    max_uncompressed_bytes: int = 1024 * MB
    max_ratio: int = 200  # per member larger than 1 MB decompressed
    max_rows: int = 500_000
    max_columns: int = 200
    max_cells: int = 40_000_000  # non-empty cells, and the rows × columns area the reader allocates
    memory_bytes: int = 3072 * MB  # address space of the parsing child
    timeout_seconds: int = 600
    min_filled_share: float = 0.5  # refuse when more than half of the data rows are near-empty
    near_empty_cells: int = 2  # a data row with at most this many filled cells is near-empty


# --- 1. the archive -------------------------------------------------------------------------------------


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise FileRefusedError(
            f"Excel 文件内部包含 {len(members):,} 个部件，超过上限 {limits.max_members:,} 个，已拒绝"
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise FileRefusedError(
            f"Excel 文件解压后约 {total / MB:,.0f} MB，超过上限 {limits.max_uncompressed_bytes / MB:,.0f} MB，"
            "已拒绝；请分批导出后再导入"
        )
    for member in members:
        if member.file_size <= MB:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise FileRefusedError(
                f"Excel 文件的压缩比异常（{member.filename} 压缩比 {ratio:,.0f}:1，上限 {limits.max_ratio}:1），"
                "疑似压缩炸弹，已拒绝"
            )


# --- 2. the sheet's real extent ------------------------------------------------------------------------

# A cell that holds something: an opening ``<c r="B7" ...>`` tag that is not self-closing and not followed
# directly by ``</c>``. Attributes of a cell (r, s, t, cm, vm, ph) never contain "/" or ">".
_VALUED_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})([0-9]{1,7})"[^>/]*>(?!\s*</(?:\w+:)?c>)')
_OVERLAP = 256  # a cell tag is far shorter; the window is re-read from this far back


@dataclass
class Extent:
    last_row: int = 0
    last_column: int = 0
    rows: int = 0  # rows with at least one non-empty cell
    cells: int = 0  # non-empty cells


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sheet_extent(archive: zipfile.ZipFile, path: str, limits: Limits) -> Extent:
    """Stream the sheet XML once (1 MB at a time) and measure the cells that hold something; stop at the
    first limit passed. The scan is C-speed (``findall``), never a Python loop over cells."""
    extent = Extent()
    previous_row = b""
    tail = b""
    with archive.open(path) as part:
        while True:
            chunk = part.read(1 << 20)
            window = tail + chunk
            cut = len(window) if not chunk else max(0, len(window) - _OVERLAP)
            # A tag cut by the window's end is found in the next window: scan up to the last "<" before cut.
            if chunk and (last_tag := window.rfind(b"<", 0, cut)) > 0:
                cut = last_tag
            cells = _VALUED_CELL.findall(window, 0, cut)
            if cells:
                extent.cells += len(cells)
                letters = {column for column, _ in cells}
                extent.last_column = max(extent.last_column, *(column_number(c) for c in letters))
                rows = {row for _, row in cells}
                extent.last_row = max(extent.last_row, *(int(row) for row in rows))
                extent.rows += len(rows) - (previous_row in rows)
                previous_row = cells[-1][1]
                _check_extent(extent, limits)
            if not chunk:
                break
            tail = window[cut:]
    return extent


def _check_extent(extent: Extent, limits: Limits) -> None:
    if extent.last_row > limits.max_rows:
        raise FileRefusedError(
            f"工作表的数据延伸到第 {extent.last_row:,} 行，超过上限 {limits.max_rows:,} 行，已拒绝；"
            "请删除表格下方的多余内容或分批导入"
        )
    if extent.last_column > limits.max_columns:
        raise FileRefusedError(
            f"工作表的数据延伸到 {column_letters(extent.last_column)} 列（第 {extent.last_column:,} 列），"
            f"超过上限 {limits.max_columns} 列，已拒绝；请删除右侧的多余内容"
        )
    if extent.cells > limits.max_cells:
        raise FileRefusedError(f"工作表的非空单元格超过上限 {limits.max_cells:,} 个，已拒绝；请分批导入")
    if extent.last_row * extent.last_column > limits.max_cells:
        raise FileRefusedError(
            f"工作表的数据范围（{extent.last_row:,} 行 × {extent.last_column} 列）超过上限 "
            f"{limits.max_cells:,} 个单元格，已拒绝；请删除多余的行列或分批导入"
        )


def check_workbook(data_path: Path, limits: Limits) -> None:
    """Measure every worksheet of an ``.xlsx`` before the reader touches it."""
    try:
        archive = zipfile.ZipFile(data_path)
    except zipfile.BadZipFile as exc:
        raise UnreadableFileError(
            "文件已损坏或不完整，无法作为 Excel 工作簿打开，请重新导出后再导入"
        ) from exc
    with archive:
        check_archive(archive, limits)
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                try:
                    sheet_extent(archive, name, limits)
                except (zipfile.BadZipFile, EOFError, OSError) as exc:
                    raise UnreadableFileError(
                        "文件已损坏或不完整，无法读取工作表，请重新导出后再导入"
                    ) from exc


# --- 4. after reading ----------------------------------------------------------------------------------


def check_rows(table: Table, limits: Limits) -> None:
    """Refuse a table of mostly near-empty rows (each would give an error per required column)."""
    rows = table.rows
    if len(rows) > limits.max_rows:
        raise FileRefusedError(
            f"文件有 {len(rows):,} 行，超过上限 {limits.max_rows:,} 行，已拒绝；请分批导入"
        )
    width = max((len(row) for row in rows[:50]), default=0)
    if width > limits.max_columns:
        raise FileRefusedError(f"文件有 {width} 列，超过上限 {limits.max_columns} 列，已拒绝")
    data = rows[1:]
    if len(data) < 100:
        return
    near_empty = sum(
        1 for row in data if sum(1 for cell in row if cell not in (None, "")) <= limits.near_empty_cells
    )
    if near_empty > len(data) * limits.min_filled_share:
        raise FileRefusedError(
            f"文件的 {len(data):,} 个数据行中有 {near_empty:,} 行几乎是空的（每行不超过 {limits.near_empty_cells} "
            f"个非空单元格，超过 {limits.min_filled_share:.0%} 的上限），已拒绝；请删除空行后再导入"
        )


# --- 3. the child process ------------------------------------------------------------------------------


def read_measured(path: str, file_name: str, limits: Limits) -> Table:
    """Measure, read and check one file (in the current process; ``read_bounded`` runs this in a child)."""
    from tuopin.imports.parsing.reader import read_table

    file = Path(path)
    size = file.stat().st_size
    if size > limits.max_upload_bytes:
        raise FileRefusedError(
            f"文件大小 {size / MB:,.1f} MB，超过上限 {limits.max_upload_bytes / MB:,.0f} MB，请分批导入"
        )
    with file.open("rb") as handle:
        head = handle.read(4)
    if head == b"PK\x03\x04":
        check_workbook(file, limits)
    table = read_table(file.read_bytes(), file_name)
    check_rows(table, limits)
    return table


def _child(connection: Connection, path: str, file_name: str, limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        result: tuple[str, object] = ("table", read_measured(path, file_name, limits))
    except FileRefusedError as refusal:
        result = ("refused", refusal.message)
    except UnreadableFileError as problem:
        result = ("unreadable", problem.message)
    except MemoryError:
        result = ("memory", "")
    except Exception as exc:  # a reader bug must refuse the file, not crash the import
        result = ("unreadable", f"无法读取文件：{type(exc).__name__}")
    try:
        connection.send(result)
    except MemoryError:
        connection.send(("memory", ""))
    finally:
        connection.close()


def _memory_refusal(limits: Limits) -> FileRefusedError:
    return FileRefusedError(
        f"读取该文件所需内存超过上限 {limits.memory_bytes / MB:,.0f} MB，已拒绝；"
        "请检查文件中是否有大量多余的行列，或分批导入"
    )


def read_bounded(path: str | Path, file_name: str, limits: Limits) -> Table:
    """``read_measured`` in a child with ``RLIMIT_AS`` = ``limits.memory_bytes``. Children fork from a
    ``forkserver`` process (a fresh interpreter with the parsing modules preloaded, started once), so no
    state of the server — threads, database connections — reaches them and each start costs milliseconds."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", "tuopin.imports.parsing.guard"])
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, str(path), file_name, limits), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.timeout_seconds):
            child.kill()
            raise FileRefusedError(f"读取文件超过 {limits.timeout_seconds} 秒的时限，已拒绝；请分批导入")
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            raise _memory_refusal(limits) from None
    finally:
        receiver.close()
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
            child.join()
    if kind == "table" and isinstance(payload, Table):
        return payload
    if kind == "refused":
        raise FileRefusedError(str(payload))
    if kind == "memory":
        raise _memory_refusal(limits)
    raise UnreadableFileError(str(payload))
