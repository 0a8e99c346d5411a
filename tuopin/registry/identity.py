"""Checks of Chinese resident ID numbers (GB 11643) with python-stdnum: checksum and birth date.

The area code is not checked against stdnum's table (it rejects codes retired or added after its data was
compiled); a wrong area code is a data-quality finding, not a refusal.
"""

import datetime
from dataclasses import dataclass

from stdnum.cn import ric


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: datetime.date
    sex: str  # "male" / "female", from the 17th digit


class IdNumberError(ValueError):
    """The ID number is not valid; the message is Chinese text for the user."""


def check_id_number(raw: str, *, today: datetime.date | None = None) -> IdInfo:
    raw = raw or ""
    # Fast path for the usual, already compact number (imports check 10^5 of them); else stdnum's compact.
    number = raw.upper() if len(raw) == 18 and raw.isascii() and raw.isalnum() else ric.compact(raw)
    if not number:
        raise IdNumberError("证件号码不能为空")
    if len(number) != 18:
        raise IdNumberError(f"身份证号码应为18位，现为{len(number)}位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("身份证号码只能由数字和末位的X组成")
    try:  # as ric.get_birth_date, without compacting the number again
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"身份证号码中的出生日期{number[6:14]}不是有效日期") from None
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar date in local time is intended
    if birth_date > today or birth_date.year < 1900:
        raise IdNumberError(f"身份证号码中的出生日期{birth_date:%Y-%m-%d}不合理")
    if number[17] != ric.calc_check_digit(number):
        raise IdNumberError("身份证号码校验位错误")
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number=number, birth_date=birth_date, sex=sex)


def make_id_number(area: str, birth_date: datetime.date, sequence: int) -> str:
    """A checksum-valid ID number (used by demo data and tests). ``sequence`` 0..999; odd last digit = male."""
    body = f"{area}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
