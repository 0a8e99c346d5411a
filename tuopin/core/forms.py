"""Edit forms that know what the user saw: the record's version and, per field, the value the form showed.

Every field of a ``VersionedFormMixin`` form renders Django's hidden initial value (``show_hidden_initial``), so
``changed_data`` lists only what the user changed against what the page showed (not against the record as it
is now, which another user may have changed meanwhile). ``seen()`` returns those shown values for the service's
``lock_current(..., seen=...)``; after a ``StaleEditError``, ``stale_rebind`` builds the form again for the fresh
record with the user's own changes filled in and the new version.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from tuopin.core.errors import StaleEditError


class VersionedFormMixin:
    """Mixed into a ModelForm whose model carries ``version = VersionField()``."""

    version_field = "version"

    def _init_versioned(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        # not required: a form without its version reaches the service, which refuses it as stale
        fields[self.version_field] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.initial.setdefault(self.version_field, instance.version)  # type: ignore[attr-defined]
        for name, field in fields.items():
            if name != self.version_field:
                field.show_hidden_initial = True

    def shown_value(self, name: str) -> Any:
        """The value field ``name`` showed when the page was opened (from its hidden initial input)."""
        field = self.fields[name]  # type: ignore[attr-defined]
        raw = self._widget_data_value(field.hidden_widget(), self.add_initial_prefix(name))  # type: ignore[attr-defined]
        try:
            return field.to_python(raw)
        except forms.ValidationError:
            return raw

    def seen(self) -> dict[str, Any]:
        """What the page showed, per model field (for the stale-edit message)."""
        opts = self._meta.model._meta  # type: ignore[attr-defined]
        names = {f.name for f in opts.concrete_fields}
        return {name: self.shown_value(name) for name in self.fields if name in names}  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        """Only the fields the user changed, with their cleaned values."""
        return {
            name: self.cleaned_data[name]  # type: ignore[attr-defined]
            for name in self.changed_data  # type: ignore[attr-defined]
            if name != self.version_field
        }

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get(self.version_field)  # type: ignore[attr-defined]


def _as_data(value: Any) -> list[str]:
    if value is None:
        return [""]
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return [str(value)]


def stale_rebind(form_class, *, fresh, posted: QueryDict, changed: list[str], **kwargs) -> forms.BaseForm:
    """The form again, bound to the ``fresh`` record: the user's ``changed`` fields keep what they typed, every
    other field shows the stored value, the hidden initial values and the version are the fresh record's."""
    shown = form_class(instance=fresh, **kwargs)  # unbound: the fresh record's values
    data = QueryDict(mutable=True)
    for name in shown.fields:
        if name == shown.version_field:
            continue
        fresh_value = _as_data(shown[name].value())
        data.setlist(shown.add_initial_prefix(name), fresh_value)
        data.setlist(
            shown.add_prefix(name), posted.getlist(shown.add_prefix(name)) if name in changed else fresh_value
        )
    data[shown.add_prefix(shown.version_field)] = str(fresh.version)
    return form_class(data, instance=fresh, **kwargs)


def stale_rows(error: StaleEditError, mine: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Rows for ``components/stale_edit.html``: field, what the page showed, what is stored now, and (where the
    user changed the same field) what the user entered."""
    rows = []
    for label, (before, now) in error.changes.items():
        rows.append(
            {
                "label": label,
                "before": display(before),
                "now": display(now),
                "mine": display(mine[label]) if mine and label in mine else "",
            }
        )
    return rows


def stale_context(error: StaleEditError, form) -> dict[str, Any]:
    """The ``stale`` context of ``components/stale_edit.html`` for a refused save of ``form``."""
    opts = form._meta.model._meta
    names = {f.name for f in opts.concrete_fields}
    mine = {
        str(opts.get_field(name).verbose_name): form.cleaned_data.get(name)
        for name in form.changed_data
        if name in names
    }
    return {"message": error.message, "rows": stale_rows(error, mine)}


def display(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "（空）"
    return str(value)
