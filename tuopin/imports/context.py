"""What checking an import file needs from the database, and the check itself.

``context_for(user, table)`` gathers, with a handful of ``IN`` queries per file, what the Django-free parser
needs: code lists, the region tree within the user's area, the registry's own person and household checks
(``registry.validation``, the one home of those rules), and which ID numbers and 户编号 are registered where.
``validate_content`` reads a stored file and checks it; ``hold_status_changes`` holds back status changes a
user may not make by import.
"""

import gc
from collections.abc import Callable
from contextlib import contextmanager

from django.db import models

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.accounts.permissions import may
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import check_fields
from tuopin.imports.files import read_stored, read_upload
from tuopin.imports.models import ImportBatch
from tuopin.imports.parsing.cells import cell_text
from tuopin.imports.parsing.header import find_header
from tuopin.imports.parsing.reader import Table
from tuopin.imports.parsing.result import Context, FieldMessages, Location, Result, RowError, Values
from tuopin.imports.parsing.validate import validate_table
from tuopin.regions.models import Level, Region
from tuopin.registry import codes, privacy
from tuopin.registry.bulk import chunks
from tuopin.registry.identity import normalise_id_number
from tuopin.registry.models import Household, Person, PovertyStatus
from tuopin.registry.selectors import households_for, persons_for
from tuopin.registry.validation import household_errors, person_errors

Progress = Callable[[str, int, int], None]


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


_NUMBER_FIELDS: dict[type[models.Model], frozenset[str]] = {
    model: frozenset(
        field.name
        for field in model._meta.concrete_fields
        if field.get_internal_type().endswith(("DecimalField", "IntegerField")) and not field.is_relation
    )
    for model in (Household, Person)
}


def _field_errors(model: type[models.Model], values: Values) -> dict[str, list[str]]:
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


def _check_person(values: Values, year: int | None) -> tuple[Values, FieldMessages]:
    stored, errors = person_errors(values, year=year)
    for name, messages in _field_errors(Person, stored).items():
        errors.by_field.setdefault(name, []).extend(messages)
    return stored, errors.by_field


_LOCATED = object()  # the location was resolved by the importer; the registry check only needs "present"


def _check_household(values: Values) -> FieldMessages:
    errors = household_errors({**values, "village": _LOCATED, "group": None}).by_field
    for name, messages in _field_errors(Household, values).items():
        errors.setdefault(name, []).extend(messages)
    return errors


def context_for(user: User | None, table: Table) -> Context:
    header = find_header(table)
    id_pos = next(pos for pos, column in header.columns.items() if column.key == "id_number")
    no_pos = next(pos for pos, column in header.columns.items() if column.key == "household_no")
    ids, nos = set(), set()
    for row in table.rows[header.row_index + 1 :]:
        if len(row) > id_pos and row[id_pos] not in (None, ""):
            ids.add(normalise_id_number(cell_text(row[id_pos])))
        if len(row) > no_pos and row[no_pos] not in (None, ""):
            nos.add(cell_text(row[no_pos]))
    registered: dict[str, str] = {}
    foreign_ids: set[str] = set()
    foreign_households: set[str] = set()
    scoped = households_for(user) if user is not None else Household.objects.all()
    scoped_persons = persons_for(user) if user is not None else Person.objects.all()
    whole_county = _scope_path(user) == ""
    for chunk in chunks(sorted(ids)):
        pairs = scoped_persons.filter(id_number__in=chunk).values_list("id_number", "household__household_no")
        registered.update((number, no) for number, no in pairs if number)
        if whole_county:
            continue
        # Integrity check only: an ID held outside the user's area is refused without disclosing that it is
        # registered, or where (registry.privacy.ID_NOT_USABLE).
        foreign = (
            Person.objects.filter(id_number__in=chunk)
            .exclude(household__in=scoped.values("pk"))
            .values_list("id_number", flat=True)
        )
        foreign_ids.update(number for number in foreign if number)
    for chunk in chunks(sorted(nos) if not whole_county else []):
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
        context = context_for(user, table)
        step = (lambda done, total: on_progress("validate", done, total)) if on_progress else None
        result = validate_table(table, context, on_progress=step)
        hold_status_changes(result, user)
        return result


def hold_status_changes(result: Result, user: User | None) -> None:
    """Status (脱贫状态) moves only through procedures; an import may set or change it only for a county user
    (it then mirrors the national system and is recorded as such). For anyone else, every household whose
    status would be set or change is held back with a row message."""
    if user is None or may(user, "registry.import_status") or not result.households:
        return
    current: dict[str, str] = {}
    nos = list(result.households)
    for chunk in chunks(nos):
        current.update(Household.objects.filter(household_no__in=chunk).values_list("household_no", "status"))
    labels = {value: str(label) for value, label in PovertyStatus.choices}
    for no in nos:
        item = result.households[no]
        wanted = str(item.fields.get("status") or "")
        before = current.get(no, PovertyStatus.UNREGISTERED)
        if wanted == before:
            continue
        shown_wanted, shown_before = labels.get(wanted, wanted), labels.get(before, before)
        result.errors.append(
            RowError(
                row=item.rows[0],
                column="脱贫状态",
                value=shown_wanted,
                message=(
                    f"脱贫状态不能通过导入从“{shown_before}”改为“{shown_wanted}”："
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
