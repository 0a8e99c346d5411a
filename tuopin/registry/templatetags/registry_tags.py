from django import template

from tuopin.registry import codes

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
