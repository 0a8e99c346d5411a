"""Registry imports: upload → validate every row → commit the valid households atomically, with history.

Batch work is set-based: the registry is read with a handful of ``IN`` queries per file (``imports.context``)
and written by the registry's own bulk writer (``registry.bulk.households_write``) in one transaction; nothing
queries per row.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.errors import ApplicationError
from tuopin.imports.context import (
    Progress,
    code_map,
    context_for,
    gc_paused,
    hold_status_changes,
    validate_content,
)
from tuopin.imports.files import read_stored, store_upload, upload_dir
from tuopin.imports.models import BatchStatus, ImportBatch, ImportRowError
from tuopin.imports.parsing.cells import cell_text
from tuopin.imports.parsing.guard import FileRefusedError
from tuopin.imports.parsing.header import find_header
from tuopin.imports.parsing.layout import HOUSEHOLD_FIELDS, PERSON_FIELDS
from tuopin.imports.parsing.reader import Table, UnreadableFileError
from tuopin.imports.parsing.result import Header, ParsedHousehold, Result
from tuopin.imports.parsing.validate import validate_table
from tuopin.imports.parsing.write import write_report, write_template
from tuopin.registry import codes
from tuopin.registry.bulk import HouseholdRecord, WriteSummary, households_write
from tuopin.registry.models import CodeList

__all__ = [
    "STATUS_IMPORT_REASON",
    "CommitSummary",
    "ImportOutcome",
    "batch_commit",
    "batch_create",
    "batch_discard",
    "batch_validate",
    "check_may_import",
    "code_map",
    "registry_import",
    "report_rows",
    "report_workbook",
    "template_workbook",
    "validate_content",
    "write_households",
]

#: how a status set or changed by an import is recorded in the history (only county users may do it)
STATUS_IMPORT_REASON = "导入国家系统数据（县级）"
CommitSummary = WriteSummary


def check_may_import(user: User) -> None:
    """County, township and village users (and the console) import within their area."""
    require(user, "imports.upload_batch")


# --- batches ----------------------------------------------------------------------------


def batch_create(
    *, user: User, file_name: str, content: bytes | None = None, chunks: Iterable[bytes] | None = None
) -> ImportBatch:
    """Store the file under UPLOAD_DIR (``content`` bytes, or ``chunks`` streamed from an upload, the size
    limit enforced while copying) and open its batch."""
    check_may_import(user)
    stored = store_upload(content or b"" if chunks is None else chunks, file_name)
    try:
        with transaction.atomic():
            return ImportBatch.objects.create(
                file_name=file_name[:200],
                sha256=stored.sha256,
                file_path=stored.relative_path,
                file_size=stored.size,
                uploaded_by=user,
            )
    except BaseException:
        (upload_dir() / stored.relative_path).unlink(missing_ok=True)
        raise


def _end_refused(batch: ImportBatch, problem: UnreadableFileError) -> None:
    """A refused (over a limit) or unreadable file ends its batch; nothing is left in progress."""
    with transaction.atomic():
        batch.row_errors.all().delete()
        batch.status = BatchStatus.REFUSED if isinstance(problem, FileRefusedError) else BatchStatus.REJECTED
        batch.file_error = problem.message
        batch.validated_at = timezone.now()
        batch.progress_done = batch.progress_total = 0
        batch.save()


def _progress_writer(batch: ImportBatch, on_progress: Progress | None) -> Progress:
    def progress(stage: str, done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(progress_done=done, progress_total=total)
        if on_progress is not None:
            on_progress(stage, done, total)

    return progress


def batch_validate(*, batch: ImportBatch, on_progress: Progress | None = None) -> Result | None:
    """Check every row and store the report. Progress is written as it goes (outside a transaction, so a page
    polling the batch sees it); the result is stored in one transaction. None for an unreadable file."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.VALIDATING, progress_done=0)
    try:
        result = validate_content(
            user=batch.uploaded_by,
            batch=batch,
            file_name=batch.file_name,
            on_progress=_progress_writer(batch, on_progress),
        )
    except UnreadableFileError as problem:
        _end_refused(batch, problem)
        return None
    except ApplicationError as problem:  # the file is gone (kept period over)
        _end_refused(batch, UnreadableFileError(problem.message))
        return None
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, file_error="校验过程中出错，未写入任何数据；请重新上传该文件"
        )
        raise
    _store_result(batch, result)
    return result


@transaction.atomic
def _store_result(batch: ImportBatch, result: Result) -> None:
    batch.row_errors.all().delete()
    household_of_row = {row: no for no, rows in result.held_back.items() for row in rows}
    # At most IMPORT_MAX_STORED_ERRORS rows are kept; error_count still counts every error.
    ImportRowError.objects.bulk_create(
        [
            ImportRowError(
                batch=batch,
                row=error.row,
                column=error.column[:100],
                value=error.value[:200],
                message=error.message[:300],
                household_no=household_of_row.get(error.row, "")[:32],
            )
            for error in result.errors[: settings.IMPORT_MAX_STORED_ERRORS]
        ],
        batch_size=2000,
    )
    batch.status = BatchStatus.VALIDATED
    batch.file_error = ""
    batch.rows_total = result.rows_total
    batch.rows_valid = result.valid_rows
    batch.households_valid = len(result.households)
    batch.households_held = len(result.held_back)
    batch.error_count = len(result.errors)
    batch.unknown_columns = result.header.unknown
    batch.progress_done = batch.progress_total = result.rows_total
    batch.validated_at = timezone.now()
    batch.save()


@transaction.atomic
def batch_commit(
    *, batch: ImportBatch, by: User, commit_valid: bool = False, on_progress: Progress | None = None
) -> CommitSummary:
    """Validate again against the registry as it is inside this transaction, then write the valid households.

    With errors, nothing is written unless ``commit_valid``; then the valid households are written and every
    household with a bad row is held back whole.
    """
    require(by, "imports.commit_batch", batch)
    if batch.status == BatchStatus.COMMITTED:
        raise ApplicationError("该批次已经导入过了")
    if batch.status in (BatchStatus.REJECTED, BatchStatus.DISCARDED):
        raise ApplicationError("该文件无法导入，请修改后重新上传")
    try:
        result = validate_content(
            user=batch.uploaded_by, batch=batch, file_name=batch.file_name, on_progress=on_progress
        )
    except UnreadableFileError as problem:
        raise ApplicationError(problem.message) from problem
    if result.errors and not commit_valid:
        raise ApplicationError(
            f"文件中有 {len(result.errors)} 处错误，未导入任何数据；请改正后重新导入，或只导入无误的户"
        )
    summary = write_households(
        result.households,
        by=by,
        reason=f"导入文件 {batch.file_name}（批次 {batch.pk}）",
        on_progress=on_progress,
    )
    _store_result(batch, result)
    _mark_committed(batch, summary)
    return summary


@transaction.atomic
def batch_discard(*, batch: ImportBatch, by: User) -> None:
    require(by, "imports.commit_batch", batch)
    if batch.status == BatchStatus.COMMITTED:
        raise ApplicationError("已导入的批次不能放弃")
    batch.status = BatchStatus.DISCARDED
    batch.save(update_fields=["status"])


# --- writing ----------------------------------------------------------------------------


def write_households(
    parsed: dict[str, ParsedHousehold], *, by: User | None, reason: str, on_progress: Progress | None = None
) -> CommitSummary:
    """Create or update households by 户编号 and people by ID number; remove members the file no longer lists
    (through ``registry.bulk``). Only what differs is written, so writing the same data twice leaves no
    history rows."""
    records = []
    for no, item in parsed.items():
        if item.location is None:  # a household whose place is unknown is never among the valid ones
            raise ValueError(f"household {no} has no location")
        values = {**item.fields, "village_id": item.location.village_id, "group_id": item.location.group_id}
        records.append(HouseholdRecord(no, values, item.persons))
    step = (lambda done, total: on_progress("commit", done, total)) if on_progress else None
    with gc_paused():
        return households_write(
            records,
            household_fields=HOUSEHOLD_FIELDS,
            person_fields=PERSON_FIELDS,
            by=by,
            reason=reason,
            status_reason=f"{STATUS_IMPORT_REASON}：{reason}",
            on_progress=step,
        )


# --- one call for the console -----------------------------------------------------------


@dataclass
class ImportOutcome:
    batch: ImportBatch
    result: Result | None
    summary: CommitSummary | None
    committed: bool


def registry_import(
    *,
    user: User,
    file_name: str,
    content: bytes,
    dry_run: bool = False,
    commit_valid: bool = False,
    on_progress: Progress | None = None,
) -> ImportOutcome:
    """Validate a file and, unless ``dry_run``, commit it (all of it, or with ``commit_valid`` its valid
    households). Validation and writing happen once, in one transaction, so nothing changes in between."""
    batch = batch_create(user=user, file_name=file_name, content=content)
    if dry_run:
        result = batch_validate(batch=batch, on_progress=on_progress)
        batch.refresh_from_db()
        return ImportOutcome(batch, result, None, False)
    try:
        table = read_stored(batch)
    except UnreadableFileError as problem:
        _end_refused(batch, problem)
        return ImportOutcome(batch, None, None, False)
    try:
        return _validate_and_write(
            batch, table, user=user, commit_valid=commit_valid, on_progress=on_progress
        )
    except UnreadableFileError as problem:  # no header row: found while validating
        _end_refused(batch, problem)
        return ImportOutcome(batch, None, None, False)
    except BaseException:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, file_error="导入过程中出错，未写入任何数据"
        )
        raise


@transaction.atomic
def _validate_and_write(
    batch: ImportBatch, table: Table, *, user: User | None, commit_valid: bool, on_progress: Progress | None
) -> ImportOutcome:
    with gc_paused():
        step = _progress_writer(batch, on_progress)
        result = validate_table(
            table, context_for(user, table), on_progress=lambda done, total: step("validate", done, total)
        )
        hold_status_changes(result, user)
    _store_result(batch, result)
    if (result.errors and not commit_valid) or not result.households:
        return ImportOutcome(batch, result, None, False)
    summary = write_households(
        result.households,
        by=user,
        reason=f"导入文件 {batch.file_name}（批次 {batch.pk}）",
        on_progress=on_progress,
    )
    _mark_committed(batch, summary)
    return ImportOutcome(batch, result, summary, True)


def _mark_committed(batch: ImportBatch, summary: CommitSummary) -> None:
    batch.status = BatchStatus.COMMITTED
    batch.committed_at = timezone.now()
    batch.households_created = summary.households_created
    batch.households_updated = summary.households_updated
    batch.persons_created = summary.persons_created
    batch.persons_updated = summary.persons_updated
    batch.persons_removed = summary.persons_removed
    batch.save()


def report_rows(batch: ImportBatch) -> tuple[list[str], list[tuple[int, list[object]]]]:
    """The batch's file as received: header texts and (row number, cells) for the report download."""
    names, rows, _header = _report_rows(batch)
    return names, rows


def _report_rows(batch: ImportBatch) -> tuple[list[str], list[tuple[int, list[object]]], Header]:
    table = read_stored(batch)
    header = find_header(table)
    first = header.row_index + 1
    rows = [
        (table.first_row + first + offset, list(row))
        for offset, row in enumerate(table.rows[first:])
        if not all(cell in (None, "") for cell in row)
    ]
    return header.names, rows, header


def _held_rows(batch: ImportBatch, rows: list[tuple[int, list[object]]], header: Header) -> set[int]:
    """The rows of households held back because one of their rows has an error."""
    held_households = set(batch.row_errors.exclude(household_no="").values_list("household_no", flat=True))
    if not held_households:
        return set()
    no_pos = next(pos for pos, column in header.columns.items() if column.key == "household_no")
    return {
        row_no
        for row_no, cells in rows
        if len(cells) > no_pos and cell_text(cells[no_pos]) in held_households
    }


def report_workbook(batch: ImportBatch) -> bytes:
    names, rows, header = _report_rows(batch)
    position = {name: index for index, name in enumerate(names) if name}
    errors_by_row: dict[int, list[tuple[int, str]]] = {}
    for row, column, message in batch.row_errors.values_list("row", "column", "message"):
        errors_by_row.setdefault(row, []).append(
            (position.get(column, -1), f"{column}：{message}" if column else message)
        )
    stream = io.BytesIO()
    write_report(stream, names, rows, errors_by_row, _held_rows(batch, rows, header))
    return stream.getvalue()


def template_workbook(*, year: int | None = None) -> bytes:
    """The empty import template with drop-downs of the code lists valid in ``year``."""
    options = {name: [code.label for code in codes.codes(name, year)] for name in CodeList.values}
    stream = io.BytesIO()
    write_template(stream, options)
    return stream.getvalue()
