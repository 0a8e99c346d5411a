"""Registry imports: upload → validate every row → commit the valid households atomically, with history.

Batch work is set-based: the registry is read with a handful of ``IN`` queries per file, and written with
``bulk_create_with_history`` / ``bulk_update_with_history`` in one transaction; nothing queries per row.
"""

import gc
import io
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.accounts.permissions import may, require
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import check_fields
from tuopin.imports.bulk import create_with_history
from tuopin.imports.files import read_stored, read_upload, store_upload, upload_dir
from tuopin.imports.models import BatchStatus, ImportBatch, ImportRowError
from tuopin.imports.parsing.guard import FileRefusedError
from tuopin.imports.parsing.layout import HOUSEHOLD_FIELDS, PERSON_FIELDS
from tuopin.imports.parsing.reader import Table, UnreadableFileError
from tuopin.imports.parsing.validate import (
    Context,
    Location,
    ParsedHousehold,
    Result,
    RowError,
    validate_table,
)
from tuopin.regions.models import Level, Region
from tuopin.registry import codes, privacy
from tuopin.registry.models import Household, Person, PovertyStatus
from tuopin.registry.selectors import households_for, persons_for
from tuopin.registry.validation import household_errors, person_errors

CHUNK = 5000
#: how a status set or changed by an import is recorded in the history (only county users may do it)
STATUS_IMPORT_REASON = "导入国家系统数据（县级）"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class CommitSummary:
    households_created: int = 0
    households_updated: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    persons_removed: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.households_created,
                self.households_updated,
                self.persons_created,
                self.persons_updated,
                self.persons_removed,
            )
        )


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_may_import(user: User) -> None:
    """County, township and village users (and the console) import within their area."""
    require(user, "imports.upload_batch")


# --- what validation needs from the database --------------------------------------------


def code_map(list_name: str, year: int | None) -> dict[str, str]:
    """Every accepted text of a code list (code, label, alias, label without its bracketed note) → code."""
    mapping: dict[str, str] = {}
    for code in codes.codes(list_name, year):
        for text in (code.label, code.code, *code.aliases, code.label.split("（")[0]):
            mapping.setdefault(text, code.code)
    return mapping


def _scope_path(user: User | None) -> str | None:
    if user is None:
        return ""
    scope = scope_for(user)
    if scope.region_path is None:
        return None
    return "" if scope.everything else scope.region_path


def _locator(user: User | None) -> Callable[[str, str, str, str], Location | str]:
    path = _scope_path(user)
    regions = list(Region.objects.only("id", "name", "level", "parent_id", "path"))
    by_parent: dict[tuple[int | None, str], Region] = {(r.parent_id, r.name): r for r in regions}
    counties = {r.name: r for r in regions if r.level == Level.COUNTY}

    def locate(county: str, township: str, village: str, group: str) -> Location | str:
        county_region = counties.get(county)
        if county_region is None:
            return f"县“{county}”不是本系统的县"
        township_region = by_parent.get((county_region.id, township))
        if township_region is None:
            return f"“{county}”下没有乡镇（街道）“{township}”"
        village_region = by_parent.get((township_region.id, village))
        if village_region is None:
            return f"“{township}”下没有村（社区）“{village}”"
        if path is None or not village_region.path.startswith(path):
            return f"“{township}{village}”不在您的辖区内，不能导入"
        group_id = None
        if group:
            group_region = by_parent.get((village_region.id, group))
            if group_region is None:
                return f"“{village}”下没有村民小组（自然村）“{group}”"
            group_id = group_region.id
        return Location(village_region.id, group_id)

    return locate


_NUMBER_FIELDS = {
    model: frozenset(
        field.name
        for field in model._meta.concrete_fields
        if field.get_internal_type().endswith(("DecimalField", "IntegerField")) and not field.is_relation
    )
    for model in (Household, Person)
}


def _field_errors(model, values: dict) -> dict[str, list[str]]:
    """The column bounds of ``model``'s number fields (digits, range), from the one home of input rules;
    text lengths are checked by the layout's ``max_length`` while parsing."""
    numbers = _NUMBER_FIELDS[model]
    try:
        check_fields(
            model, {k: v for k, v in values.items() if k in numbers and v is not None}, presence=False
        )
    except ApplicationError as error:
        return error.errors
    return {}


def _check_person(values: dict, year: int | None) -> tuple[dict, dict[str, list[str]]]:
    stored, errors = person_errors(values, year=year)
    for name, messages in _field_errors(Person, stored).items():
        errors.by_field.setdefault(name, []).extend(messages)
    return stored, errors.by_field


_LOCATED = object()  # the location was resolved by the importer; the registry check only needs "present"


def _check_household(values: dict) -> dict[str, list[str]]:
    errors = household_errors({**values, "village": _LOCATED, "group": None}).by_field
    for name, messages in _field_errors(Household, values).items():
        errors.setdefault(name, []).extend(messages)
    return errors


def _context(user: User | None, table: Table) -> Context:
    from tuopin.imports.parsing.validate import cell_text, find_header

    header = find_header(table)
    id_pos = next(pos for pos, column in header.columns.items() if column.key == "id_number")
    no_pos = next(pos for pos, column in header.columns.items() if column.key == "household_no")
    ids, nos = set(), set()
    for row in table.rows[header.row_index + 1 :]:
        if len(row) > id_pos and row[id_pos] not in (None, ""):
            ids.add(cell_text(row[id_pos]).upper())
        if len(row) > no_pos and row[no_pos] not in (None, ""):
            nos.add(cell_text(row[no_pos]))
    registered: dict[str, str] = {}
    foreign_ids: set[str] = set()
    foreign_households: set[str] = set()
    scoped = households_for(user) if user is not None else Household.objects.all()
    scoped_persons = persons_for(user) if user is not None else Person.objects.all()
    whole_county = _scope_path(user) == ""
    for chunk in _chunks(sorted(ids)):
        registered.update(
            scoped_persons.filter(id_number__in=chunk).values_list("id_number", "household__household_no")
        )
        if whole_county:
            continue
        # Integrity check only: an ID held outside the user's area is refused without disclosing that it is
        # registered, or where (registry.privacy.ID_NOT_USABLE).
        foreign_ids.update(
            Person.objects.filter(id_number__in=chunk)
            .exclude(household__in=scoped.values("pk"))
            .values_list("id_number", flat=True)
        )
    for chunk in _chunks(sorted(nos) if not whole_county else []):
        foreign_households.update(
            Household.objects.filter(household_no__in=chunk)
            .exclude(pk__in=scoped.values("pk"))
            .values_list("household_no", flat=True)
        )
    return Context(
        check_person=_check_person,
        check_household=_check_household,
        code_map=code_map,
        locate=_locator(user),
        registered_ids=registered,
        foreign_ids=frozenset(foreign_ids),
        foreign_households=frozenset(foreign_households),
        foreign_id_message=str(privacy.ID_NOT_USABLE),
        foreign_household_message=str(privacy.HOUSEHOLD_NO_NOT_USABLE),
    )


def validate_content(
    *,
    user: User | None,
    file_name: str,
    content: bytes | None = None,
    batch: ImportBatch | None = None,
    on_progress: Progress | None = None,
) -> Result:
    """Read (bounded, in a child process) and check a batch's stored file — or ``content`` not stored as a
    batch — against the registry as it is now (``UnreadableFileError`` / ``FileRefusedError`` if refused)."""
    table = read_stored(batch) if batch is not None else read_upload(content or b"", file_name)
    with gc_paused():
        context = _context(user, table)
        step = (lambda done, total: on_progress("validate", done, total)) if on_progress else None
        result = validate_table(table, context, on_progress=step)
        _hold_status_changes(result, user)
        return result


def _hold_status_changes(result: Result, user: User | None) -> None:
    """Status (脱贫状态) moves only through procedures; an import may set or change it only for a county user
    (it then mirrors the national system and is recorded as such). For anyone else, every household whose
    status would be set or change is held back with a row message."""
    if user is None or may(user, "registry.import_status") or not result.households:
        return
    current: dict[str, str] = {}
    nos = list(result.households)
    for chunk in _chunks(nos):
        current.update(Household.objects.filter(household_no__in=chunk).values_list("household_no", "status"))
    labels = dict(PovertyStatus.choices)
    for no in nos:
        item = result.households[no]
        wanted = item.fields.get("status")
        before = current.get(no, PovertyStatus.UNREGISTERED)
        if wanted == before:
            continue
        result.errors.append(
            RowError(
                row=item.rows[0],
                column="脱贫状态",
                value=str(labels.get(wanted, wanted)),
                message=(
                    f"脱贫状态不能通过导入从“{labels.get(before, before)}”改为“{labels.get(wanted, wanted)}”："
                    "请按纳入、退出或返贫程序办理，或由县级用户导入国家系统数据"
                ),
            )
        )
        result.held_back[no] = result.households.pop(no).rows
    result.errors.sort(key=lambda e: e.row)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: parsing 10^5 rows allocates ~10^7 objects, none of them in cycles,
    and each automatic collection would walk them all again (reference counting still frees them)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- batches ----------------------------------------------------------------------------


def batch_create(
    *, user: User | None, file_name: str, content: bytes | None = None, chunks: Iterable[bytes] | None = None
) -> ImportBatch:
    """Store the file under UPLOAD_DIR (``content`` bytes, or ``chunks`` streamed from an upload, the size
    limit enforced while copying) and open its batch."""
    check_may_import(user)
    stored = store_upload(content if chunks is None else chunks, file_name)
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


def _differs(instance, values: dict[str, object], fields: Iterable[str]) -> list[str]:
    changed = []
    for name in fields:
        if getattr(instance, name) != values[name]:
            changed.append(name)
    return changed


def _person_values(person: dict[str, object]) -> dict[str, object]:
    return {name: person[name] for name in PERSON_FIELDS}


@transaction.atomic
def write_households(
    parsed: dict[str, ParsedHousehold], *, by: User | None, reason: str, on_progress: Progress | None = None
) -> CommitSummary:
    """Create or update households by 户编号 and people by ID number; remove members the file no longer lists.
    Only what differs is written, so writing the same data twice leaves no history rows."""
    with gc_paused():
        return _write_households(parsed, by=by, reason=reason, on_progress=on_progress)


def _write_households(
    parsed: dict[str, ParsedHousehold], *, by: User | None, reason: str, on_progress: Progress | None
) -> CommitSummary:
    now = timezone.now()
    nos = list(parsed)
    household_fields = [*HOUSEHOLD_FIELDS, "village_id", "group_id"]
    existing: dict[str, dict] = {}
    for chunk in _chunks(nos):
        existing.update(
            (row["household_no"], row)
            for row in Household.objects.filter(household_no__in=chunk).values("pk", *household_fields)
        )
    new_households: list[dict[str, object]] = []
    household_changes: dict[int, dict[str, object]] = {}
    for no, item in parsed.items():
        values = dict(item.fields)
        values["village_id"] = item.location.village_id  # type: ignore[union-attr]
        values["group_id"] = item.location.group_id  # type: ignore[union-attr]
        current = existing.get(no)
        if current is None:
            values["status_by_procedure"] = values["status"]  # only a county import gets here with a status
            new_households.append(values)
            continue
        changes = {name: values[name] for name in household_fields if current[name] != values[name]}
        if "status" in changes:
            changes["status_by_procedure"] = changes["status"]
        if changes:
            household_changes[current["pk"]] = changes
    if on_progress:
        on_progress("commit", 0, len(parsed))
    user_id = by.pk if by is not None else None
    status_reason = f"{STATUS_IMPORT_REASON}：{reason}"
    household_pks: dict[str, int] = {}
    for with_status, group in _by_status(new_households, lambda v: v["status"] != "unregistered"):
        household_pks |= create_with_history(
            Household,
            group,
            key="household_no",
            user_id=user_id,
            reason=status_reason if with_status else reason,
            when=now,
        )
    changed_households = []
    for with_status, group in _by_status(list(household_changes.items()), lambda item: "status" in item[1]):
        changes_of = dict(group)
        instances = _apply_changes(Household, changes_of, now)
        for instance in instances:
            instance.version += 1
        changed_households += instances
        if instances:
            bulk_update_with_history(
                instances,
                Household,
                [
                    *sorted({name for changes in changes_of.values() for name in changes}),
                    "version",
                    "updated_at",
                ],
                batch_size=500,
                default_user=by,
                default_change_reason=status_reason if with_status else reason,
                default_date=now,
            )

    household_pk = {no: row["pk"] for no, row in existing.items()} | household_pks
    household_ids = [household_pk[no] for no in nos if no in existing]
    current_people: dict[str, dict] = {}
    stray: list[int] = []
    for chunk in _chunks(household_ids):
        for row in Person.objects.filter(household_id__in=chunk).values("pk", "household_id", *PERSON_FIELDS):
            if row["id_number"]:
                current_people[row["id_number"]] = row
            else:
                stray.append(row["pk"])
    seen: set[str] = set()
    new_people: list[dict[str, object]] = []
    person_changes: dict[int, dict[str, object]] = {}
    relation_movers: list[int] = []
    for no, item in parsed.items():
        household_id = household_pk[no]
        for person in item.persons:
            values = _person_values(person)
            seen.add(values["id_number"])  # type: ignore[arg-type]
            current = current_people.get(values["id_number"])  # type: ignore[arg-type]
            if current is None:
                values["household_id"] = household_id
                new_people.append(values)
                continue
            changes = {name: values[name] for name in PERSON_FIELDS if current[name] != values[name]}
            if current["household_id"] != household_id:
                changes["household_id"] = household_id
            if changes:
                if "relation" in changes:
                    relation_movers.append(current["pk"])
                person_changes[current["pk"]] = changes
    removed = [row["pk"] for id_number, row in current_people.items() if id_number not in seen] + stray
    if removed:
        _delete_with_history(removed, by=by, reason=reason, when=now)
    changed_people = _apply_changes(Person, person_changes, now)
    changed_person_fields = {name for changes in person_changes.values() for name in changes}
    if changed_people:
        # Free the one-head / one-spouse slots first so swapped relations never collide mid-statement.
        for chunk in _chunks(relation_movers):
            Person.objects.filter(pk__in=chunk).update(relation="other")
        bulk_update_with_history(
            changed_people,
            Person,
            [*sorted(changed_person_fields), "updated_at"],
            batch_size=500,
            default_user=by,
            default_change_reason=reason,
            default_date=now,
        )
    create_with_history(Person, new_people, key="id_number", user_id=user_id, reason=reason, when=now)
    if on_progress:
        on_progress("commit", len(parsed), len(parsed))
    return CommitSummary(
        households_created=len(new_households),
        households_updated=len(changed_households),
        persons_created=len(new_people),
        persons_updated=len(changed_people),
        persons_removed=len(removed),
    )


def _by_status(items: list, has_status) -> list[tuple[bool, list]]:
    """Split rows into those that set or change 脱贫状态 (recorded as a county import) and the others."""
    return [(True, [i for i in items if has_status(i)]), (False, [i for i in items if not has_status(i)])]


def _apply_changes(model, changes: dict[int, dict[str, object]], now) -> list:
    """Model instances of the changed rows (fetched only for those), with the new values set."""
    instances = []
    pks = list(changes)
    for chunk in _chunks(pks):
        for instance in model.objects.filter(pk__in=chunk):
            for name, value in changes[instance.pk].items():
                setattr(instance, name, value)
            instance.updated_at = now
            instances.append(instance)
    return instances


def _delete_with_history(pks: list[int], *, by: User | None, reason: str, when) -> None:
    """Delete people; simple-history's delete signal writes the "-" rows, which are then attributed here."""
    for chunk in _chunks(pks):
        Person.objects.filter(pk__in=chunk).delete()
        Person.history.filter(id__in=chunk, history_type="-", history_user__isnull=True).update(
            history_user=by, history_change_reason=reason
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
            table, _context(user, table), on_progress=lambda done, total: step("validate", done, total)
        )
        _hold_status_changes(result, user)
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


def _report_rows(batch: ImportBatch):
    from tuopin.imports.parsing.validate import find_header

    table = read_stored(batch)
    header = find_header(table)
    first = header.row_index + 1
    rows = [
        (table.first_row + first + offset, list(row))
        for offset, row in enumerate(table.rows[first:])
        if not all(cell in (None, "") for cell in row)
    ]
    return header.names, rows, header


def report_workbook(batch: ImportBatch) -> bytes:
    from tuopin.imports.parsing.write import write_report

    names, rows, header = _report_rows(batch)
    position = {name: index for index, name in enumerate(names) if name}
    errors_by_row: dict[int, list[tuple[int, str]]] = {}
    held: set[int] = set()
    held_households = set(batch.row_errors.exclude(household_no="").values_list("household_no", flat=True))
    for row, column, message in batch.row_errors.values_list("row", "column", "message"):
        errors_by_row.setdefault(row, []).append(
            (position.get(column, -1), f"{column}：{message}" if column else message)
        )
    if held_households:
        from tuopin.imports.parsing.validate import cell_text

        no_pos = next(pos for pos, column in header.columns.items() if column.key == "household_no")
        for row_no, cells in rows:
            if len(cells) > no_pos and cell_text(cells[no_pos]) in held_households:
                held.add(row_no)
    stream = io.BytesIO()
    write_report(stream, names, rows, errors_by_row, held)
    return stream.getvalue()


def template_workbook(*, year: int | None = None) -> bytes:
    """The empty import template with drop-downs of the code lists valid in ``year``."""
    from tuopin.imports.parsing.write import write_template
    from tuopin.registry.models import CodeList

    options = {name: [code.label for code in codes.codes(name, year)] for name in CodeList.values}
    stream = io.BytesIO()
    write_template(stream, options)
    return stream.getvalue()
