"""Checks of Chinese resident ID numbers (GB 11643) with python-stdnum: checksum and birth date.

The one home of the ID rules: the edit pages and the API (through ``registry.validation.person_errors``), the
import and the department lists all call ``normalise_id_number`` and ``check_id_number``, so they accept and
refuse the same numbers with the same messages.

A number is normalised first (Unicode NFKC, so full-width digits and letters typed by a Chinese input method
become ASCII; every space removed; ``x`` upper-cased). The area code is not checked against stdnum's table (it
rejects codes retired or added after its data was compiled); a wrong area code is a data-quality finding, not
a refusal.
"""

import datetime
import unicodedata
from dataclasses import dataclass

from stdnum.cn import ric

from tuopin.registry.models import Sex

ID_LENGTH = 18
EARLIEST_BIRTH_YEAR = 1900
EMPTY_MESSAGE = "证件号码不能为空"


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: datetime.date
    sex: str  # Sex.MALE / Sex.FEMALE, from the 17th digit


class IdNumberError(ValueError):
    """The ID number is not valid; the message is Chinese text for the user."""


def normalise_id_number(raw: str | None) -> str:
    """The number as stored: NFKC (full-width ０-９, Ｘ, ｘ → ASCII), without any whitespace, upper case."""
    if not raw:
        return ""
    if raw.isascii() and raw.isalnum():  # the usual, already compact number (imports check 10^5 of them)
        return raw.upper()
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def check_id_number(raw: str | None, *, today: datetime.date | None = None) -> IdInfo:
    number = normalise_id_number(raw)
    if not number:
        raise IdNumberError(EMPTY_MESSAGE)
    if len(number) != ID_LENGTH:
        raise IdNumberError(f"身份证号码应为18位，现为{len(number)}位")
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise IdNumberError("身份证号码只能由数字和末位的X组成")
    try:  # as ric.get_birth_date, without compacting the number again
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"身份证号码中的出生日期{number[6:14]}不是有效日期") from None
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar date in local time is intended
    if birth_date > today or birth_date.year < EARLIEST_BIRTH_YEAR:
        raise IdNumberError(f"身份证号码中的出生日期{birth_date:%Y-%m-%d}不合理")
    if number[17] != ric.calc_check_digit(number):
        raise IdNumberError("身份证号码校验位错误")
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return IdInfo(number=number, birth_date=birth_date, sex=sex)


def make_id_number(area: str, birth_date: datetime.date, sequence: int) -> str:
    """A checksum-valid ID number (used by demo data and tests). ``sequence`` 0..999; odd last digit = male."""
    body = f"{area}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
