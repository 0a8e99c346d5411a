"""Chinese names of what the assessment stores as codes: ``{% load assessment_tags %}``.

``{{ "blue"|colour_name }}`` → 蓝卡; ``{{ code|dq_title }}`` and ``{{ code|rule_title }}`` → the rule's title
as declared in the engine; ``{{ result.status|status_name }}`` → 未脱贫."""

from django import template

from tuopin.assessment.selectors.pages import (
    DQ_TITLES,
    RULE_TITLES,
    criteria_not_met,
    outcome_label,
)
from tuopin.assessment.selectors.pages import colour_name as _colour_name
from tuopin.registry.models import PovertyStatus

register = template.Library()


@register.filter
def colour_name(code: str) -> str:
    return _colour_name(code or "")


@register.filter
def dq_title(code: str) -> str:
    return DQ_TITLES.get(code, "其他数据质量问题")


@register.filter
def rule_title(code: str) -> str:
    return RULE_TITLES.get(code, "（已删除的判定项）")


@register.filter
def status_name(code: str | None) -> str:
    if not code:
        return "—"
    return str(PovertyStatus(code).label) if code in PovertyStatus.values else "—"


@register.filter
def not_met(outcomes: int) -> list[str]:
    """A stored result's criteria that fail or lack data, one line each."""
    return criteria_not_met(int(outcomes or 0))


@register.filter
def outcome_text(outcomes: int) -> str:
    return outcome_label(int(outcomes or 0))
