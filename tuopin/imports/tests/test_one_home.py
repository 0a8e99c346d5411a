"""The edit page, the import and the registry service (what a write API calls) accept and refuse exactly the
same ID numbers and person records, with the same Chinese messages: the registry's checks are the only ones
(docs/adr/0108). Numbers are normalised in one place (``registry.identity``: NFKC, spaces, upper case)."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from stdnum.cn import ric

from tuopin.core.errors import ApplicationError
from tuopin.imports.services import registry_import
from tuopin.imports.tests.conftest import household_rows, make_id, to_csv
from tuopin.registry import procedures
from tuopin.registry.models import Household
from tuopin.registry.validation import person_errors

BIRTH = date(2008, 1, 15)


def _id(seq: int, *, male: bool = True, area: str = "530121") -> str:
    return make_id(100 + seq, birth=BIRTH, male=male, area=area)


def _id_with_date(digits: str, seq: int) -> str:
    body = f"530121{digits}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _bad_checksum(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
X_ID, X_ID_2 = [number for seq in range(200, 500) if (number := make_id(seq, birth=BIRTH)).endswith("X")][:2]

# (case, ID number as typed, sex, birth date as typed, accepted?) — every case has its own number
CASES = [
    ("valid", _id(1), "male", BIRTH.isoformat(), True),
    ("unknown area code is accepted", _id(2, area="990000"), "male", BIRTH.isoformat(), True),
    ("lowercase x", X_ID.lower(), "male", BIRTH.isoformat(), True),
    ("full-width digits", _id(3)[:17].translate(FULL_WIDTH) + _id(3)[17], "male", BIRTH.isoformat(), True),
    ("full-width digits and x", X_ID_2.lower().translate(FULL_WIDTH), "male", BIRTH.isoformat(), True),
    ("spaces inside", f"{_id(4)[:6]} {_id(4)[6:14]} {_id(4)[14:]}", "male", BIRTH.isoformat(), True),
    ("ideographic spaces around", f"\u3000{_id(10)}\u3000", "male", BIRTH.isoformat(), True),
    ("bad checksum", _bad_checksum(_id(5)), "male", BIRTH.isoformat(), False),
    ("bad date", _id_with_date("20080231", 11), "male", "", False),
    ("too old", _id_with_date("18890101", 13), "male", "", False),
    ("born in the future", _id_with_date("20990101", 15), "male", "", False),
    ("too short", _id(6)[:17], "male", BIRTH.isoformat(), False),
    ("letters", _id(7)[:10] + "AB" + _id(7)[12:], "male", BIRTH.isoformat(), False),
    ("sex mismatch", _id(8, male=False), "male", BIRTH.isoformat(), False),
    ("birth date mismatch", _id(9), "male", "2008-01-16", False),
    ("empty", "", "male", BIRTH.isoformat(), False),
    ("only spaces", "   ", "male", BIRTH.isoformat(), False),
    ("full-width letters inside", _id(12)[:10] + "ＡＢ" + _id(12)[12:], "male", BIRTH.isoformat(), False),
]
SEX_LABEL = {"male": "男", "female": "女"}


def _import_messages(user) -> list[set[str]]:
    """One real csv file with a household per case; the messages on each case's member row."""
    rows = []
    for index, (_, id_number, sex, birth, _) in enumerate(CASES):
        household = household_rows(f"53012100100200{index:02d}", 3)
        household[2].update({"证件号码": id_number, "性别": SEX_LABEL[sex], "出生日期": birth})
        rows += household
    outcome = registry_import(user=user, file_name="登记.csv", content=to_csv(rows), dry_run=True)
    assert outcome.result is not None
    by_row: dict[int, set[str]] = {}
    for error in outcome.result.errors:
        by_row.setdefault(error.row, set()).add(error.message)
    return [by_row.get(2 + 3 * index + 2, set()) for index in range(len(CASES))]


def _page_messages(client, household, id_number, sex, birth):
    data = {
        "name": "新成员",
        "id_type": "resident_id",
        "id_number": id_number,
        "sex": sex,
        "birth_date": birth,
        "relation": "son",
        "ethnicity": "01",
        "schooling": "primary",
        "health": ["is_healthy"],
        "labor_skill": "ordinary",
        "has_medical_insurance": "true",
        "change-reason": "birth",
        "change-on_date": "2018-09-01",
    }
    response = client.post(reverse("registry:person_create", args=[household.pk]), data)
    if response.status_code == 302:
        return set()
    form = response.context["form"]
    return {str(message) for messages in form.errors.values() for message in messages}


def _service_messages(household, by, id_number, sex, birth):
    data = {
        "name": "新成员",
        "id_type": "resident_id",
        "id_number": id_number,
        "sex": sex,
        "birth_date": date.fromisoformat(birth) if birth else None,
        "relation": "son",
        "ethnicity": "01",
        "schooling": "primary",
        "is_healthy": True,
        "labor_skill": "ordinary",
    }
    try:
        with transaction.atomic():
            procedures.member_add(
                household=household, by=by, data=data, reason="birth", on_date=date(2018, 9, 1)
            )
            transaction.set_rollback(True)  # the next case may use the same person
    except ApplicationError as refused:
        return {message for messages in refused.errors.values() for message in messages}
    return set()


@pytest.fixture
def registered(county_user):
    outcome = registry_import(
        user=county_user, file_name="登记.csv", content=to_csv(household_rows("5301210010010002", 2))
    )
    assert outcome.committed
    return Household.objects.get(household_no="5301210010010002")


def test_page_import_and_service_agree(client, county_user, registered):
    client.force_login(county_user)
    from_import = _import_messages(county_user)
    for (case, id_number, sex, birth, accepted), from_csv in zip(CASES, from_import, strict=True):
        from_service = _service_messages(registered, county_user, id_number, sex, birth)  # rolled back
        from_page = _page_messages(client, registered, id_number, sex, birth)
        assert from_csv == from_page == from_service, case
        assert (not from_page) is accepted, (case, from_page)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("empty", "证件号码不能为空"),
        ("only spaces", "证件号码不能为空"),
        ("bad checksum", "身份证号码校验位错误"),
        ("bad date", "身份证号码中的出生日期20080231不是有效日期"),
        ("too old", "身份证号码中的出生日期1889-01-01不合理"),
        ("full-width letters inside", "身份证号码只能由数字和末位的X组成"),
    ],
)
def test_the_one_message_of_each_refusal(db, case, message):
    """The shared message is the registry's own wording (not a file-specific "“证件号码”不能为空")."""
    _, id_number, sex, birth, _ = next(c for c in CASES if c[0] == case)
    assert _checked_messages(id_number, sex, birth) == {message}


def _checked_messages(id_number, sex, birth):
    data = {
        "name": "新成员",
        "id_number": id_number,
        "sex": sex,
        "birth_date": date.fromisoformat(birth) if birth else None,
        "relation": "son",
        "schooling": "primary",
        "is_healthy": True,
    }
    _, errors = person_errors(data)
    return {message for messages in errors.by_field.values() for message in messages}
