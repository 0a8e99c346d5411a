from django import template

from tuopin.registry import codes, privacy

register = template.Library()


@register.filter
def code(value: str, list_name: str) -> str:
    """The label of a code: ``{{ person.relation|code:"relation" }}``."""
    return codes.label(list_name, value)


@register.filter
def yesno_blank(value) -> str:
    if value is None:
        return "未填写"
    return "是" if value else "否"


@register.filter
def id_number(value: str | None, full: bool) -> str:
    """An ID number in full or masked: ``{{ p.id_number|id_number:show_full }}``."""
    return privacy.shown_id_number(value, full=bool(full))


@register.filter
def phone(value: str | None, full: bool) -> str:
    """A phone number in full or masked: ``{{ household.phone|phone:show_full }}``."""
    return privacy.shown_phone(value, full=bool(full))
