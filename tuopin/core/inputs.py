"""The one home of the number, date and text input rules (docs/adr/0041-one-home-for-input-rules.md).

Every decimal, integer, date and text that reaches a service is checked here against the model field it is
stored in: digits and decimal places from the field, the column range of the strictest supported database,
finite (``NaN``, ``Infinity``, ``1e20`` in a 14-digit column are refused), length, and a plausible date
(1900-01-01 .. today + 1 year). Forms (``BoundedFormMixin``), the importer, the API, query parameters
(``query_int``) and services (``check_value`` / ``check_fields``) share these functions, so one rule has one
home. Refusals are ``ApplicationError`` with a Chinese message naming the field.
"""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.db import models
from django.utils.http import url_has_allowed_host_and_scheme

from tuopin.core.errors import ApplicationError
from tuopin.core.parse import (
    EARLIEST_DATE,
    INTEGER_RANGES,
    MAX_NUMBER_TEXT,
    check_text,
    integer_bounds,
    latest_date,
    parse_date,
    parse_decimal,
    parse_int,
)

# The primitives live in ``core.parse``; callers import them from here, the one home of the input rules.
__all__ = [
    "EARLIEST_DATE",
    "INTEGER_RANGES",
    "MAX_NUMBER_TEXT",
    "BoundedFormMixin",
    "check_fields",
    "check_text",
    "check_value",
    "integer_bounds",
    "latest_date",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "query_int",
    "query_text",
    "safe_next",
]


def _label(field: models.Field | None, label: str | None) -> str:
    if label:
        return str(label)
    if field is not None:
        return str(field.verbose_name)
    return "该项"


def check_value(field: models.Field, raw: Any, *, label: str | None = None, presence: bool = True) -> Any:
    """``raw`` as the value ``field`` stores, or ``ApplicationError`` naming the field. Blank → None (or "").
    With ``presence=False`` only the bounds are checked (callers with their own required-field rules)."""
    if not isinstance(field, _CHECKED) or isinstance(field, models.DateTimeField):
        return raw
    if _already_fits(field, raw):
        return raw.strip() if isinstance(raw, str) else raw
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if not presence:
            return raw
        text_field = isinstance(field, models.CharField | models.TextField)
        if (text_field and not field.blank) or (not text_field and not field.null):
            raise ApplicationError(f"请填写“{_label(field, label)}”", field=field.name)
        return "" if text_field else None
    name = _label(field, label)
    try:
        if isinstance(field, models.DecimalField):
            return parse_decimal(
                raw, label=name, max_digits=field.max_digits, decimal_places=field.decimal_places
            )
        if isinstance(field, models.IntegerField | models.AutoField):
            low, high = integer_bounds(field)
            return parse_int(raw, label=name, min_value=low, max_value=high)
        if isinstance(field, models.DateTimeField):
            return raw
        if isinstance(field, models.DateField):
            return parse_date(raw, label=name)
        if isinstance(field, models.CharField | models.TextField):
            return check_text(raw, label=name, max_length=field.max_length)
    except ApplicationError as error:
        raise ApplicationError(error.message, field=field.name) from None
    return raw


def _already_fits(field: models.Field, raw: Any) -> bool:
    """A typed value that is plainly inside the field's bounds (the fast path of an import of 10^5 rows)."""
    if isinstance(field, models.DecimalField):
        if type(raw) is not Decimal or not raw.is_finite():
            return False
        step = _STEPS.get(field.decimal_places) or _STEPS.setdefault(
            field.decimal_places, Decimal(1).scaleb(-field.decimal_places)
        )
        return abs(raw) < Decimal(10) ** (field.max_digits - field.decimal_places) and raw == raw.quantize(
            step
        )
    if isinstance(field, models.IntegerField):
        if type(raw) is not int:
            return False
        low, high = _cached_bounds(field)
        return low <= raw <= high
    if isinstance(field, models.DateTimeField):
        return False
    if isinstance(field, models.DateField):
        return type(raw) is datetime.date and EARLIEST_DATE <= raw <= latest_date()
    if isinstance(field, models.CharField | models.TextField):
        return (
            type(raw) is str
            and raw.strip() != ""
            and (field.max_length is None or len(raw) <= field.max_length)
            and "\x00" not in raw
        )
    return False


_CHECKED = (models.DecimalField, models.IntegerField, models.DateField, models.CharField, models.TextField)
_STEPS: dict[int, Decimal] = {}
_BOUNDS: dict[models.Field, tuple[int, int]] = {}


def _cached_bounds(field: models.Field) -> tuple[int, int]:
    bounds = _BOUNDS.get(field)
    if bounds is None:
        bounds = _BOUNDS[field] = integer_bounds(field)
    return bounds


def check_fields(
    model: type[models.Model], values: dict[str, Any], *, presence: bool = True
) -> dict[str, Any]:
    """Every value of ``values`` checked against ``model``'s field of the same name; all problems at once.
    Names that are not checked fields (relations, booleans, unknown keys) pass through unchanged."""
    plan = _plan(model)
    checked: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in values.items():
        field = plan.get(name)
        if field is None or (not presence and (raw is None or raw == "")) or _already_fits(field, raw):
            checked[name] = raw
            continue
        try:
            checked[name] = check_value(field, raw, presence=presence)
        except ApplicationError as error:
            errors.setdefault(name, []).append(error.message)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, field=next(iter(errors)), errors=errors)
    return checked


_PLANS: dict[type[models.Model], dict[str, models.Field]] = {}


def _plan(model: type[models.Model]) -> dict[str, models.Field]:
    """The checked concrete fields of a model by name (cached: an import checks 10^5 rows)."""
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = {
            field.name: field
            for field in model._meta.concrete_fields
            if isinstance(field, _CHECKED)
            and not isinstance(field, models.DateTimeField)
            and not field.is_relation
            and not field.primary_key
        }
    return plan


# --- query parameters ------------------------------------------------------------------------------------


def query_int(
    request,
    name: str,
    *,
    default: int | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
    strict: bool = False,
) -> int | None:
    """An integer query parameter (GET, else POST): absent, unparsable or out of range → ``default``, or with
    ``strict`` a 400 (``BadRequest``). Bounds default to a 32-bit id range, so no value reaches the database
    that it cannot hold."""
    raw = request.GET.get(name)
    if raw is None and request.method == "POST":
        raw = request.POST.get(name)
    if raw is None or raw.strip() == "":
        return default
    low = min_value if min_value is not None else INTEGER_RANGES["IntegerField"][0]
    high = max_value if max_value is not None else INTEGER_RANGES["IntegerField"][1]
    try:
        return parse_int(raw, label=name, min_value=low, max_value=high)
    except ApplicationError as error:
        if strict:
            raise BadRequest(error.message) from None
        return default


def query_text(request, name: str, *, max_length: int = 100, default: str = "") -> str:
    raw = request.GET.get(name, default)
    return raw.replace("\x00", "")[:max_length]


def safe_next(request, default: str) -> str:
    """The ``next`` target of a form if it is a path on this site (``/…``), else ``default``: never an
    off-site URL (``https://…``, ``//host``) or a ``javascript:`` one."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return target
    return default


# --- forms -----------------------------------------------------------------------------------------------


class BoundedFormMixin:
    """Gives every number and date field of a form the bounds of the model field it feeds.

    ``bounds = {"form_field": Model._meta.get_field("model_field"), ...}`` names the model fields of a plain
    form; a ModelForm's own fields are found through ``Meta.model``. Fields without a model field still get
    finite / length / range checks (``NaN``, ``Infinity`` and over-long numbers are refused)."""

    bounds: dict[str, models.Field] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meta_model = getattr(getattr(self, "Meta", None), "model", None)
        for name, form_field in self.fields.items():  # type: ignore[attr-defined]
            model_field = self.bounds.get(name)
            if model_field is None and meta_model is not None:
                try:
                    model_field = meta_model._meta.get_field(name)
                except Exception:
                    model_field = None
            _bound(form_field, model_field)


def _bound(form_field: forms.Field, model_field: models.Field | None) -> None:
    if isinstance(form_field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        form_field.widget.attrs.setdefault("maxlength", MAX_NUMBER_TEXT)
        form_field.validators.append(_finite_validator(form_field, model_field))
    if isinstance(form_field, forms.IntegerField) and not isinstance(form_field, forms.DecimalField):
        low, high = (
            integer_bounds(model_field)
            if isinstance(model_field, models.IntegerField)
            else INTEGER_RANGES["IntegerField"]
        )
        if not isinstance(form_field.min_value, int) or form_field.min_value < low:
            form_field.min_value = low
            form_field.validators.append(_MinValue(low))
        if not isinstance(form_field.max_value, int) or form_field.max_value > high:
            form_field.max_value = high
            form_field.validators.append(_MaxValue(high))
    if isinstance(form_field, forms.DateField) and not isinstance(form_field, forms.DateTimeField):
        form_field.validators.append(_date_validator(form_field))
    if isinstance(form_field, forms.CharField) and form_field.max_length is None:
        limit = getattr(model_field, "max_length", None) or 10_000
        form_field.max_length = limit
        form_field.validators.append(_MaxLength(limit))


def _finite_validator(form_field: forms.Field, model_field: models.Field | None):
    def validate(value) -> None:
        label = str(form_field.label or (model_field.verbose_name if model_field else "该项"))
        if isinstance(model_field, models.DecimalField):
            max_digits, places = model_field.max_digits, model_field.decimal_places
        else:
            max_digits = getattr(form_field, "max_digits", None) or 20
            places = getattr(form_field, "decimal_places", None) or 0
            if isinstance(form_field, forms.FloatField):
                max_digits, places = 20, 6
            if isinstance(value, int):
                places = 0
        try:
            parse_decimal(value, label=label, max_digits=max_digits, decimal_places=max(places, 0))
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from None

    return validate


def _date_validator(form_field: forms.Field):
    def validate(value) -> None:
        try:
            parse_date(value, label=str(form_field.label or "日期"))
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from None

    return validate


class _MinValue:
    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        if value is not None and value < self.limit:
            raise forms.ValidationError(f"不能小于 {self.limit}")


class _MaxValue:
    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        if value is not None and value > self.limit:
            raise forms.ValidationError(f"不能大于 {self.limit}")


class _MaxLength:
    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        if value is not None and len(str(value)) > self.limit:
            raise forms.ValidationError(f"最多 {self.limit} 个字")
