"""Set-based writes of the registry's households and people with their history, for imports of 10^5 people.

``households_write`` creates or updates households by 户编号 and people by ID number, and removes members a
household no longer lists; the importer calls it (its callers check the permission). New rows go through
``create_with_history``:

Django's ``bulk_create`` spends ~15 µs per value preparing SQL; an import of 100,000 people writes ~10^7 values
(rows and history rows), so this module writes plain tuples with ``COPY`` (PostgreSQL) or ``executemany``
(SQLite) instead. It writes exactly the columns ``bulk_create_with_history`` would (every concrete field, with
defaults and ``auto_now`` filled in; history rows with date, user, reason and type), so the history pages and
``simple_history`` read them as their own (docs/adr/0011-bulk-writes.md).
"""

import datetime
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from tuopin.accounts.models import User
from tuopin.registry.models import Household, Person, PovertyStatus
from tuopin.registry.models_years import copy_birth_dates

CHUNK = 5000
T = TypeVar("T")
#: a value as written to the database through the cursor (the backends adapt Decimal, date and datetime)
DbValue = Any
Row = Sequence[DbValue]


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``model``'s table. Values are Python values; Django's
    SQLite backend registers the adapters for Decimal and date, datetimes must come adapted (``db_datetime``)."""
    return insert_into(model._meta.db_table, columns, rows)


def insert_into(table: str, columns: Sequence[str], rows: Iterable[Row]) -> int:
    """Insert ``rows`` into the table named ``table`` (a model's or a temporary table): ``COPY`` on
    PostgreSQL, ``executemany`` in chunks on SQLite."""
    quote = connection.ops.quote_name
    name = quote(table)
    names = ", ".join(quote(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # A larger page cache for this connection: inserting 10^5 rows into several indexes thrashes the
        # default 2 MB cache.
        cursor.execute("PRAGMA cache_size = -131072")
        sql = f"INSERT INTO {name} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _new_pks(
    model: type[models.Model], objects: list[dict[str, object]], *, key: str, when: datetime.datetime
) -> dict[str, int]:
    """key → pk of the rows just inserted: by their creation time when the model has one (one query, no
    10^5-element IN list), else by key in chunks."""
    manager = model._default_manager
    created = next(
        (f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)),
        None,
    )
    wanted = {str(item[key]) for item in objects}
    pks: dict[str, int] = {}
    if created is not None:
        for value, pk in (
            manager.filter(**{created.attname: when}).values_list(key, "pk").iterator(chunk_size=20000)
        ):
            if value in wanted:
                pks[value] = pk
        if len(pks) == len(wanted):
            return pks
    for chunk in chunks(sorted(wanted)):
        pks.update(manager.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
    return pks


def db_datetime(value: datetime.datetime) -> DbValue:
    """An aware datetime as the backend stores it (SQLite: naive UTC text, as Django writes it)."""
    if connection.vendor == "sqlite":
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _value_columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _defaults(fields: Sequence[models.Field[Any, Any]], stamp: DbValue) -> dict[str, DbValue]:
    """Every column's default; ``auto_now`` / ``auto_now_add`` columns get ``stamp``."""
    defaults: dict[str, DbValue] = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = stamp
        else:
            defaults[field.attname] = field.get_default()  # as Model(): "" for a text column, else None
    return defaults


def create_with_history(
    model: type[models.Model],
    objects: list[dict[str, object]],
    *,
    key: str,
    user_id: int | None,
    reason: str,
    when: datetime.datetime,
) -> dict[str, int]:
    """Insert new rows (dicts of attname → value) and their ``+`` history rows; return ``key`` value → pk.

    ``key`` is a unique column of the model (户编号, 证件号码) used to read the new primary keys back."""
    if not objects:
        return {}
    stamp = db_datetime(when)
    fields = _value_columns(model)
    defaults = _defaults(fields, stamp)
    # Fill defaults in place, then pick columns with C-level itemgetters (10^5 rows × 30 columns).
    for item in objects:
        for name, value in defaults.items():
            item.setdefault(name, value)
    pick = operator.itemgetter(*(field.attname for field in fields))
    insert_rows(model, [str(field.column) for field in fields], map(pick, objects))
    pks = _new_pks(model, objects, key=key, when=when)

    historical: type[models.Model] = model.history.model  # type: ignore[attr-defined]  # simple-history adds it
    tracked = [field for field in historical.tracked_fields if not field.primary_key]  # type: ignore[attr-defined]
    history_columns = [
        "id",
        *(str(field.column) for field in tracked),
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user_id",
    ]
    pick_tracked = operator.itemgetter(*(field.attname for field in tracked))
    tail = (stamp, reason[:100], "+", user_id)

    def history_rows() -> Iterator[Row]:
        for item in objects:
            yield (pks[str(item[key])], *pick_tracked(item), *tail)

    insert_rows(historical, history_columns, history_rows())
    return pks


# --- households and their members, as an import writes them -----------------------------------------------

Values = dict[str, object]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class HouseholdRecord:
    """One household to write: its fields (with ``village_id`` / ``group_id``) and its members' fields."""

    household_no: str
    values: Values
    persons: list[Values]


@dataclass(frozen=True)
class WriteSummary:
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


@dataclass(frozen=True)
class _Write:
    """Who writes, why and when; ``status_reason`` records a write that sets or changes 脱贫状态."""

    by: User | None
    reason: str
    status_reason: str
    when: datetime.datetime

    @property
    def user_id(self) -> int | None:
        return self.by.pk if self.by is not None else None


def _changed_instances(
    model: type[models.Model], changes: dict[int, Values], when: datetime.datetime
) -> list[Any]:
    """Model instances of the changed rows (fetched only for those), with the new values set."""
    instances = []
    for chunk in chunks(list(changes)):
        for instance in model._default_manager.filter(pk__in=chunk):
            for name, value in changes[instance.pk].items():
                setattr(instance, name, value)
            instance.updated_at = when  # type: ignore[attr-defined]  # Household and Person have it
            instances.append(instance)
    return instances


def _existing_households(nos: Sequence[str], fields: Sequence[str]) -> dict[str, dict[str, Any]]:
    existing: dict[str, dict[str, Any]] = {}
    for chunk in chunks(nos):
        existing.update(
            (row["household_no"], row)
            for row in Household.objects.filter(household_no__in=chunk).values("pk", *fields)
        )
    return existing


def _sets_status(values: Values) -> bool:
    return "status" in values


def _write_households(
    records: Sequence[HouseholdRecord], fields: Sequence[str], write: _Write
) -> tuple[dict[str, int], set[str], int, int]:
    """Create the new households and update the changed ones; returns (户编号 → pk, the 户编号 that existed,
    created, updated)."""
    existing = _existing_households([record.household_no for record in records], fields)
    new: list[Values] = []
    changes: dict[int, Values] = {}
    for record in records:
        values = dict(record.values)
        current = existing.get(record.household_no)
        if current is None:
            values["status_by_procedure"] = values["status"]  # only a county import gets here with a status
            new.append(values)
            continue
        changed = {name: values[name] for name in fields if current[name] != values[name]}
        if "status" in changed:
            changed["status_by_procedure"] = changed["status"]
        if changed:
            changes[current["pk"]] = changed
    pks = {no: row["pk"] for no, row in existing.items()}
    with_status = [values for values in new if values["status"] != PovertyStatus.UNREGISTERED]
    without = [values for values in new if values["status"] == PovertyStatus.UNREGISTERED]
    for group, reason in ((with_status, write.status_reason), (without, write.reason)):
        pks |= create_with_history(
            Household, group, key="household_no", user_id=write.user_id, reason=reason, when=write.when
        )
    updated = 0
    for status_changed in (True, False):
        group_changes = {pk: c for pk, c in changes.items() if _sets_status(c) == status_changed}
        updated += _update_with_history(
            Household, group_changes, write, write.status_reason if status_changed else write.reason
        )
    return pks, set(existing), len(new), updated


def _update_with_history(
    model: type[models.Model], changes: dict[int, Values], write: _Write, reason: str
) -> int:
    instances = _changed_instances(model, changes, write.when)
    if not instances:
        return 0
    names = {name for changed in changes.values() for name in changed}
    if model is Household:
        for instance in instances:
            instance.version += 1
        names.add("version")
    bulk_update_with_history(
        instances,
        model,
        [*sorted(names), "updated_at"],
        batch_size=500,
        default_user=write.by,
        default_change_reason=reason,
        default_date=write.when,
    )
    return len(instances)


def _current_people(
    household_ids: Sequence[int], fields: Sequence[str]
) -> tuple[dict[str, dict[str, Any]], list[int]]:
    """The members of the households by ID number, and the pks of members without one."""
    current: dict[str, dict[str, Any]] = {}
    stray: list[int] = []
    for chunk in chunks(household_ids):
        for row in Person.objects.filter(household_id__in=chunk).values("pk", "household_id", *fields):
            if row["id_number"]:
                current[row["id_number"]] = row
            else:
                stray.append(row["pk"])
    return current, stray


def _remove_people(pks: list[int], write: _Write) -> None:
    """Delete people; simple-history's delete signal writes the "-" rows, which are then attributed here."""
    for chunk in chunks(pks):
        Person.objects.filter(pk__in=chunk).delete()
        Person.history.filter(id__in=chunk, history_type="-", history_user__isnull=True).update(
            history_user=write.by, history_change_reason=write.reason
        )


def _write_people(
    records: Sequence[HouseholdRecord],
    pks: dict[str, int],
    existing: set[str],
    fields: Sequence[str],
    write: _Write,
) -> tuple[int, int, int]:
    """Create, update (moving between households too) and remove members; returns (created, updated, removed)."""
    current, stray = _current_people(
        [pks[r.household_no] for r in records if r.household_no in existing], fields
    )
    seen: set[object] = set()
    new: list[Values] = []
    changes: dict[int, Values] = {}
    relation_movers: list[int] = []
    for record in records:
        household_id = pks[record.household_no]
        for person in record.persons:
            values = {name: person[name] for name in fields}
            seen.add(values["id_number"])
            row = current.get(str(values["id_number"]))
            if row is None:
                new.append({**values, "household_id": household_id})
                continue
            changed = {name: values[name] for name in fields if row[name] != values[name]}
            if row["household_id"] != household_id:
                changed["household_id"] = household_id
            if changed:
                if "relation" in changed:
                    relation_movers.append(row["pk"])
                changes[row["pk"]] = changed
    removed = [row["pk"] for id_number, row in current.items() if id_number not in seen] + stray
    if removed:
        _remove_people(removed, write)
    # Free the one-head / one-spouse slots first so swapped relations never collide mid-statement.
    for chunk in chunks(relation_movers):
        Person.objects.filter(pk__in=chunk).update(relation="other")
    updated = _update_with_history(Person, changes, write, write.reason)
    for chunk in chunks([pk for pk, changed in changes.items() if "birth_date" in changed]):
        copy_birth_dates(chunk)
    create_with_history(
        Person, new, key="id_number", user_id=write.user_id, reason=write.reason, when=write.when
    )
    return len(new), updated, len(removed)


@transaction.atomic
def households_write(
    records: Sequence[HouseholdRecord],
    *,
    household_fields: Sequence[str],
    person_fields: Sequence[str],
    by: User | None,
    reason: str,
    status_reason: str,
    on_progress: Progress | None = None,
) -> WriteSummary:
    """Create or update households by 户编号 and people by ID number; remove members a household no longer
    lists. Only what differs is written, so writing the same data twice leaves no history rows. A household
    whose 脱贫状态 is set or changed is recorded with ``status_reason``. The caller checks the permission."""
    write = _Write(by=by, reason=reason, status_reason=status_reason, when=timezone.now())
    fields = [*household_fields, "village_id", "group_id"]
    if on_progress:
        on_progress(0, len(records))
    pks, existing, created, updated = _write_households(records, fields, write)
    people = _write_people(records, pks, existing, person_fields, write)
    if on_progress:
        on_progress(len(records), len(records))
    return WriteSummary(created, updated, *people)
