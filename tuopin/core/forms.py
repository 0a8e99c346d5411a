"""Edit forms that know what the user saw: the record's version and, per field, the value the form showed.

Every field of a ``VersionedFormMixin`` form renders Django's hidden initial value (``show_hidden_initial``), so
``changed_data`` lists only what the user changed against what the page showed (not against the record as it
is now, which another user may have changed meanwhile). ``seen()`` returns those shown values for the service's
``lock_current(..., seen=...)``; after a ``StaleEditError``, ``stale_rebind`` builds the form again for the fresh
record with the user's own changes filled in and the new version.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict

from tuopin.core.errors import StaleEditError


class VersionedFormMixin:
    """Mixed into a form that edits one record carrying ``version = VersionField()``: a ModelForm, or a plain
    Form that sets ``record_model`` and overrides ``for_record`` / ``model_name_of`` / ``model_value``."""

    version_field = "version"
    record_model = None

    def _init_versioned(self, version: int | None = None) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        # not required: a form without its version reaches the service, which refuses it as stale
        fields[self.version_field] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk:
            version = instance.version
        if version is not None:
            self.initial.setdefault(self.version_field, version)  # type: ignore[attr-defined]
        for name, field in fields.items():
            if name != self.version_field:
                field.show_hidden_initial = True

    @classmethod
    def for_record(cls, record, data=None, **kwargs):
        """The edit form of ``record`` (bound to ``data`` if given)."""
        # a mixin: the concrete class is a ModelForm, which takes ``instance``
        return cls(data, instance=record, **kwargs)  # type: ignore[call-arg]

    def _model(self):
        return self.record_model or self._meta.model  # type: ignore[attr-defined]

    def model_name_of(self, name: str) -> str | None:
        """The model field a form field edits (``None``: none)."""
        names = {f.name for f in self._model()._meta.concrete_fields}
        return name if name in names else None

    def model_value(self, name: str, value: Any) -> Any:
        """A form field's value as the model stores it."""
        return value

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
        seen = {}
        for name in self.fields:  # type: ignore[attr-defined]
            model_name = self.model_name_of(name)
            if model_name is not None:
                seen[model_name] = self.model_value(name, self.shown_value(name))
        return seen

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
    shown = form_class.for_record(fresh, **kwargs)  # unbound: the fresh record's values
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
    return form_class.for_record(fresh, data, **kwargs)


def stale_rows(
    error: StaleEditError, mine: dict[str, Any] | None = None, choices: dict[str, dict] | None = None
) -> list[dict[str, str]]:
    """Rows for ``components/stale_edit.html``: field, what the page showed, what is stored now, and (where the
    user changed the same field) what the user entered. ``choices`` turn stored codes into their labels."""
    rows = []
    for label, (before, now) in error.changes.items():
        labels = (choices or {}).get(label, {})
        rows.append(
            {
                "label": label,
                "before": display(before, labels),
                "now": display(now, labels),
                "mine": display(mine[label], labels) if mine and label in mine else "",
            }
        )
    return rows


def stale_context(error: StaleEditError, form) -> dict[str, Any]:
    """The ``stale`` context of ``components/stale_edit.html`` for a refused save of ``form``."""
    opts = form._model()._meta
    mine, choices = {}, {}
    for name, field in form.fields.items():
        model_name = form.model_name_of(name)
        if model_name is None:
            continue
        label = str(opts.get_field(model_name).verbose_name)
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            # a ChoiceField's choices are a normalised list of pairs once the field exists (the stubs also
            # allow the callables and enums it accepts as input)
            pairs = cast("list[tuple[Any, Any]]", field.choices)
            choices[label] = {str(value): text for value, text in pairs}
        if name in form.changed_data:
            mine[label] = form.model_value(name, form.cleaned_data.get(name))
    return {"message": error.message, "rows": stale_rows(error, mine, choices)}


def display(value: Any, labels: dict | None = None) -> str:
    if value is None or value == "":
        return "（空）"
    if labels and isinstance(value, str) and value in labels:
        return str(labels[value])
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "（空）"
    return str(value)
