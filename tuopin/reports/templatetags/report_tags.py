from django import template

register = template.Library()


@register.filter
def percent(value, digits: int = 2) -> str:
    """A share (0..1) as a percentage: ``0.24444`` → ``24.44%``."""
    if value is None:
        return "—"
    return f"{float(value) * 100:,.{int(digits)}f}%"


@register.filter
def ratio(value, digits: int = 4) -> str:
    """A share (0..1) to four decimals: ``0.24444`` → ``0.2444``."""
    if value is None:
        return "—"
    return f"{float(value):.{int(digits)}f}"


@register.filter
def yuan(value) -> str:
    """Yuan with thousand separators and two decimals; empty values say so."""
    if value is None:
        return "未填写"
    return f"{value:,.2f}"
