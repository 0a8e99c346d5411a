from decimal import Decimal

from django import template

from tuopin.projects.audit import KIND_LABELS, STATUS_LABELS, plain

register = template.Library()


@register.filter
def wan(amount) -> str:
    """Yuan → 万元 as the plan writes it (3189.9), empty for None."""
    if amount is None or amount == "":
        return ""
    return plain((Decimal(amount) / 10_000).quantize(Decimal("0.0001")))


@register.filter
def yuan(amount) -> str:
    if amount is None or amount == "":
        return ""
    return f"{Decimal(amount):,.2f}"


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return ""
    return plain(Decimal(value))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def kind_label(kind) -> str:
    return KIND_LABELS.get(kind, str(kind))


@register.filter
def status_label(status) -> str:
    return STATUS_LABELS.get(status, str(status))


@register.filter
def township_rate(progress, township_id):
    return progress.township_rate(township_id)
