"""Readable change history built on django-simple-history records.

Services attach the acting user explicitly (``with_actor``); pages read the field-level old → new diffs
with ``history_changes``.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models


def with_actor(instance: models.Model, actor: Any, reason: str = "") -> models.Model:
    """Mark who makes the next save of ``instance`` and why (stored on the history row)."""
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    return instance


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    subject: str
    reason: str
    changes: tuple[FieldChange, ...]


_ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}
_SKIP = {"id", "history_id", "history_date", "history_user", "history_type", "history_change_reason"}


def _display(record: Any, field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    model = record.instance_type
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def history_entries(records: list[Any], subject_of: Any, label_of: Any = None) -> list[HistoryEntry]:
    """Turn simple-history records (newest first, of one or several objects) into entries with field diffs
    against each object's previous record. The previous records are paired here from the list itself, so a
    history of any length costs no query per record.

    ``label_of(field, value)`` may turn a stored code into its label; it returns None to fall back.
    """
    previous_of: dict[int, Any] = {}
    last_seen: dict[Any, Any] = {}
    for record in reversed(records):  # oldest first
        key = record.instance_type._meta.pk.value_from_object(record)
        previous_of[record.history_id] = last_seen.get(key)
        last_seen[key] = record

    def shown(record: Any, field: str, value: Any) -> str:
        label = label_of(field, value) if label_of and value not in (None, "") else None
        return label if label is not None else _display(record, field, value)

    entries = []
    for record in records:
        previous = previous_of[record.history_id]
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in _SKIP:
                    continue
                label = str(record.instance_type._meta.get_field(change.field).verbose_name)
                changes.append(
                    FieldChange(
                        change.field,
                        label,
                        shown(record, change.field, change.old),
                        shown(record, change.field, change.new),
                    )
                )
            if not changes:
                continue
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.display_name if user else "系统"),
                action=_ACTIONS.get(record.history_type, record.history_type),
                subject=subject_of(record),
                reason=record.history_change_reason or "",
                changes=tuple(changes),
            )
        )
    return entries
