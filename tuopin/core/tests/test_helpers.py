"""The shared helpers of ``core``: safe spreadsheet cells, files written whole or not at all, versions that
refuse a stale edit, and the readable history of a record."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tuopin.accounts.permissions import console_actor
from tuopin.core.atomic import atomic_open
from tuopin.core.cells import append_safe, csv_value_in, csv_value_out, looks_like_formula, safe_row
from tuopin.core.concurrency import bump, lock_current
from tuopin.core.errors import StaleEditError
from tuopin.core.history import history_entries
from tuopin.policy.models import Standard, StandardKey
from tuopin.policy.services import standard_set

FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tx", "\r=1"]


@pytest.mark.parametrize("text", [*FORMULAS, "张三", "1-2", ""])
def test_csv_cells_round_trip_and_formulas_get_an_apostrophe(text):
    out = csv_value_out(text)
    assert (out != text) is looks_like_formula(text)
    assert csv_value_in(str(out)) == text
    assert csv_value_out(None) == ""
    assert csv_value_in("'ordinary") == "'ordinary"  # an apostrophe the user typed is kept


def test_xlsx_text_is_never_a_formula_in_either_kind_of_sheet():
    book = Workbook()
    append_safe(book.active, ["=1+1", "张三", 12])
    streamed = Workbook(write_only=True)
    sheet = streamed.create_sheet()
    sheet.append(safe_row(sheet, ['=HYPERLINK("x")', 3]))
    for workbook in (book, streamed):
        data = io.BytesIO()
        workbook.save(data)
        cells = next(load_workbook(io.BytesIO(data.getvalue())).active.iter_rows())
        assert cells[0].data_type == "s"
        assert cells[0].quotePrefix
        assert str(cells[0].value).startswith("=")
        assert isinstance(cells[-1].value, int)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path):
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"old")

    def write_half() -> None:
        with atomic_open(target) as stream:
            stream.write(b"half")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_half()
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_open(target) as stream:
        stream.write(b"new")
    assert target.read_bytes() == b"new"


def _standard(value: str, **extra) -> Standard:
    return standard_set(
        key=StandardKey.PUBLIC_NOTICE_DAYS,
        year=2042,
        region=None,
        value=value,
        source_document="测试文件",
        by=console_actor(),
        **extra,
    )


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_what_the_other_user_changed():
    standard = _standard("7")
    assert lock_current(standard, 1) == standard
    bump(standard)
    standard.save()
    with pytest.raises(StaleEditError) as refused:
        lock_current(standard, 1, seen={"value": Decimal(5), "note": ""})
    assert refused.value.changes == {"数值": (Decimal(5), Decimal("7.00"))}
    with pytest.raises(StaleEditError):
        lock_current(standard, None)


@pytest.mark.django_db
def test_history_entries_show_who_changed_which_field_from_what_to_what():
    standard = _standard("7")
    _standard("9", version=1, note="改为9天")
    entries = history_entries(list(standard.history.all()), subject_of=lambda record: "公示天数")
    latest, first = entries
    assert (first.action, latest.action) == ("新建", "修改")
    assert latest.who == console_actor().display_name
    assert latest.reason == "设置政策标准"
    assert {(c.label, c.old, c.new) for c in latest.changes} == {
        ("数值", "7.00", "9.00"),
        ("说明", "（空）", "改为9天"),
    }
