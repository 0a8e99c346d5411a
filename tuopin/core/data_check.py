"""Finding (and repairing) stored values outside the bounds of their field: decimals beyond their digits or
not finite (NaN, Infinity — stored by older versions), integers beyond the column range of the strictest
supported database, texts longer than their field. Only primary keys are read, never the bad values
themselves (reading them is what fails). ``tuopin check_data [--repair]``; docs/adr/0041."""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import models, transaction
from django.db.models import FloatField, Q, Value
from django.db.models.functions import Length

from tuopin.core.history import with_actor
from tuopin.core.inputs import integer_bounds

REPAIR_REASON = "数据检查：数值超出字段范围，已清空（tuopin check_data --repair）"


@dataclass
class Finding:
    model: type[models.Model]
    field: models.Field
    pks: list = dataclasses.field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}（{self.field.verbose_name}）"

    @property
    def repairable(self) -> bool:
        return self.field.null or (
            isinstance(self.field, models.CharField | models.TextField) and self.field.blank
        )


def _condition(model_field: models.Field) -> Q | None:
    name = model_field.name
    if isinstance(model_field, models.DecimalField):
        limit = float(Decimal(10) ** (model_field.max_digits - model_field.decimal_places))
        # NaN and ±Infinity compare beyond any limit (SQLite keeps them as text, PostgreSQL orders NaN last).
        return Q(**{f"{name}__gte": Value(limit, output_field=FloatField())}) | Q(
            **{f"{name}__lte": Value(-limit, output_field=FloatField())}
        )
    if isinstance(model_field, models.IntegerField) and not model_field.primary_key:
        low, high = integer_bounds(model_field)
        return Q(**{f"{name}__gt": Value(float(high), output_field=FloatField())}) | Q(
            **{f"{name}__lt": Value(float(low), output_field=FloatField())}
        )
    return None


def _checked_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("tuopin.")
        and not model._meta.proxy
        and not model.__name__.startswith("Historical")
    ]


def data_check() -> list[Finding]:
    findings: list[Finding] = []
    for model in _checked_models():
        for model_field in model._meta.concrete_fields:
            if model_field.choices and not isinstance(model_field, models.IntegerField):
                continue
            if isinstance(model_field, models.CharField) and model_field.max_length:
                pks = list(
                    model._default_manager.annotate(_length=Length(model_field.name))
                    .filter(_length__gt=model_field.max_length)
                    .values_list("pk", flat=True)
                )
            else:
                condition = _condition(model_field)
                if condition is None:
                    continue
                pks = list(model._default_manager.filter(condition).values_list("pk", flat=True))
            if pks:
                findings.append(Finding(model, model_field, sorted(pks)))
    return findings


@transaction.atomic
def data_repair(findings: list[Finding]) -> int:
    """Clear every repairable bad value (NULL, or blank text) and leave a history row with the reason."""
    repaired = 0
    touched: dict[type[models.Model], set] = {}
    for finding in findings:
        if not finding.repairable:
            continue
        blank = None if finding.field.null else ""
        finding.model._default_manager.filter(pk__in=finding.pks).update(**{finding.field.attname: blank})
        touched.setdefault(finding.model, set()).update(finding.pks)
        repaired += len(finding.pks)
    for model, pks in touched.items():
        if not hasattr(model, "history"):
            continue
        for instance in model._default_manager.filter(pk__in=pks):
            with_actor(instance, None, REPAIR_REASON)
            instance.save()
    return repaired
