from django import template

from tuopin.projects.audit import KIND_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def years(year_from, year_to) -> str:
    """A span of years as ``2016—2020``; a single year once: ``{{ p.year_from|years:p.year_to }}``."""
    if year_to in (None, "", year_from):
        return f"{year_from}"
    return f"{year_from}—{year_to}"


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
