"""No lost update: every editable record carries a ``version``; an edit made from a stale form is refused.

The pattern, for every editable model and its update service:

* the model has ``version = VersionField()`` (starts at 1);
* the edit form carries the version it was opened at (hidden field ``version``) and only the fields the user
  changed reach the service (``form.changed_data``);
* the service calls ``lock_current(instance, version)`` inside its transaction *before* it writes: it locks the
  row, refuses with ``StaleEditError`` (listing what the other user changed) when the version moved on, and
  otherwise returns the fresh row; the service sets only the changed fields and calls ``bump(instance)``
  before saving.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.core.errors import StaleEditError


class VersionField(models.PositiveIntegerField):
    """The edit counter of a record: 1 when created, +1 on every saved edit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", 1)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("verbose_name", _("版本"))
        super().__init__(*args, **kwargs)


VERSION = "version"  # the attribute every editable record carries (a ``VersionField``)


def _label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def _version(instance: models.Model) -> int:
    return getattr(instance, VERSION) or 0


def lock_current(instance: models.Model, version: int | None, *, seen: dict[str, Any] | None = None):
    """Lock ``instance``'s row and return it fresh; refuse when it is no longer at ``version``.

    ``seen`` (optional) holds the values the form showed; the refusal then lists, per field, the value the
    user saw and the value now stored, so the page can show what the other user changed."""
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if version is None or int(version) != _version(current):
        changes: dict[str, tuple[object, object]] = {}
        for name, before in (seen or {}).items():
            now = getattr(current, name, None)
            if now != before:
                changes[_label(model, name)] = (before, now)
        raise StaleEditError(
            str(
                _(
                    "保存被拒绝：在您打开此页面之后，其他用户已修改了这条记录。请查看对方的修改，再重新填写您的修改。"
                )
            ),
            changes=changes,
        )
    return current


def bump(instance: models.Model) -> None:
    """Advance the version before saving an edit."""
    setattr(instance, VERSION, _version(instance) + 1)
