from django import template

from tuopin.projects.audit import KIND_LABELS, STATUS_LABELS
from tuopin.regions.models import Level, Region

register = template.Library()
INDENT = "　"


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


@register.filter
def group_place(region: Region | None, whole: str = "全村") -> str:
    """The 村民小组/自然村 a project is placed in, or ``whole`` when it is placed in the village itself."""
    if region is not None and region.level == Level.GROUP:
        return region.name
    return whole


@register.filter
def indented(region: Region) -> str:
    """A region's name indented by its level below the county (drop-downs of townships and villages)."""
    return INDENT * max(region.level - Level.TOWNSHIP, 0) + region.name
