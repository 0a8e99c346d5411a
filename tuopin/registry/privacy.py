"""Personal data (ID numbers, phones, health details): the one masking function for pages, API and exports,
and the refusals that never disclose whether a number is registered outside the user's area.

Who sees what in full is decided in ``accounts.permissions`` (``registry.view_full_identity`` for one
household's page, ``registry.export_personal_data`` for lists, search results and exports); ARCHITECTURE.md
has the table.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from tuopin.accounts import services as account_services
from tuopin.accounts.models import AccessKind, User

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


HEALTH_FIELDS = frozenset(
    {"is_healthy", "has_chronic_disease", "has_serious_disease", "is_disabled", "disability_category"}
)


def _digits_masked(value: str, mask) -> str:
    """Mask a shown history value only when it holds a number (not "未填写" or "—")."""
    return mask(value) if any(ch.isdigit() for ch in str(value)) else value


def _masked_changes(changes) -> tuple:
    shown = []
    health_changed = False
    for change in changes:
        if change.field == "id_number":
            shown.append(
                dataclasses.replace(
                    change,
                    old=_digits_masked(change.old, mask_id_number),
                    new=_digits_masked(change.new, mask_id_number),
                )
            )
        elif change.field == "phone":
            shown.append(
                dataclasses.replace(
                    change,
                    old=_digits_masked(change.old, mask_phone),
                    new=_digits_masked(change.new, mask_phone),
                )
            )
        elif change.field in HEALTH_FIELDS:
            if not health_changed:  # one line, naming no condition
                shown.append(
                    dataclasses.replace(
                        change, field="health", label="健康状况", old=str(HIDDEN), new=str(HIDDEN)
                    )
                )
            health_changed = True
        else:
            shown.append(change)
    return tuple(shown)


def mask_history(entries: list) -> list:
    """History entries (``core.history.HistoryEntry``) with ID numbers and phones masked and health changes
    reduced to one line that names no condition."""
    return [dataclasses.replace(entry, changes=_masked_changes(entry.changes)) for entry in entries]


# --- the access log ---------------------------------------------------------------------------------------


def record_full_view(*, user: User, household, what: str) -> None:
    """Record that ``user`` saw ``household``'s personal data in full (its page, a member form, the API)."""
    account_services.access_record(
        user=user,
        kind=AccessKind.VIEW,
        what=what,
        household_id=household.pk,
        subject=f"{household.household_no} {household.village.name}",
    )


def record_export(*, user: User, what: str, subject: str, rows: int, is_masked: bool) -> None:
    """Record one export of personal data: who, which list and filter, how many rows, masked or not."""
    account_services.access_record(
        user=user, kind=AccessKind.EXPORT, what=what, subject=subject, rows=rows, is_masked=is_masked
    )
