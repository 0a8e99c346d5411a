"""Personal data (ID numbers, phones, health details): the one masking function for pages, API and exports,
and the refusals that never disclose whether a number is registered outside the user's area.

Who sees what in full is decided in ``accounts.permissions`` (``registry.view_full_identity`` for one
household's page, ``registry.export_personal_data`` for lists, search results and exports); ARCHITECTURE.md
has the table.
"""

from django.utils.translation import gettext_lazy as _

MASK = "*"
HIDDEN = _("（已隐藏）")

#: The refusal when an ID number or 户编号 clashes with a record the user may not see: the same sentence
#: whatever the reason, naming no household, village or person.
ID_NOT_USABLE = _("该证件号码不能使用，请联系县乡村振兴局核实")
HOUSEHOLD_NO_NOT_USABLE = _("该户编号不能使用，请联系县乡村振兴局核实")


def mask_id_number(value: str | None) -> str:
    """``530127198001010011`` → ``5301**********0011``: the first four (province and city) and last four
    characters stay, everything between is masked. Short values are masked whole."""
    if not value:
        return ""
    text = str(value)
    if len(text) <= 8:
        return MASK * len(text)
    return text[:4] + MASK * (len(text) - 8) + text[-4:]


def mask_phone(value: str | None) -> str:
    """``13812341234`` → ``138****1234``; other lengths keep at most the first three and last four."""
    if not value:
        return ""
    text = str(value)
    if len(text) <= 7:
        return MASK * len(text)
    return text[:3] + MASK * (len(text) - 7) + text[-4:]


def shown_id_number(value: str | None, *, full: bool) -> str:
    return (value or "") if full else mask_id_number(value)


def shown_phone(value: str | None, *, full: bool) -> str:
    return (value or "") if full else mask_phone(value)
