"""An import never discloses whether an ID number or 户编号 is registered outside the user's area."""

import pytest
from django.urls import reverse

from tuopin.accounts.models import AccessKind, AccessRecord
from tuopin.imports.services import batch_create, batch_validate, registry_import
from tuopin.imports.tests.conftest import household_rows, to_xlsx
from tuopin.registry import privacy
from tuopin.registry.models import Household, Person

HUANGTIAN = ("嵩明县", "牛栏江镇", "荒田村")
DAYING = ("嵩明县", "嵩阳街道", "大营社区")


@pytest.fixture
def registered(county_user):
    rows = household_rows("5301211040010001", 2, village=HUANGTIAN, group="大火地") + household_rows(
        "5301210010020001", 2, village=DAYING, group="黄栎山"
    )
    assert registry_import(user=county_user, file_name="county.xlsx", content=to_xlsx(rows)).committed
    return {
        "other_township": Person.objects.get(household__household_no="5301211040010001", relation="head"),
        "same_township": Person.objects.get(household__household_no="5301210010020001", relation="head"),
    }


def _errors_for(village_user, id_number: str):
    rows = household_rows("5301210010010009", 2)
    rows[0]["证件号码"] = id_number
    outcome = registry_import(user=village_user, file_name="v.xlsx", content=to_xlsx(rows))
    assert not outcome.committed
    return [(e.row, e.column, e.message) for e in outcome.result.errors]


def test_village_import_of_a_foreign_id_gets_no_hint_that_it_exists(village_user, registered):
    foreign = _errors_for(village_user, registered["other_township"].id_number)
    assert foreign == [(2, "证件号码", str(privacy.ID_NOT_USABLE))]
    # an ID held in another village of the same township: the identical refusal, nothing names where
    assert _errors_for(village_user, registered["same_township"].id_number) == foreign
    for hint in ("5301211040010001", "荒田", "牛栏江", "大营", "另一户", "已登记", "辖区"):
        assert all(hint not in message for _row, _column, message in foreign)
    assert Household.objects.filter(household_no="5301210010010009").count() == 0


def test_county_import_still_names_the_household_holding_the_id(county_user, registered):
    rows = household_rows("5301210010010009", 2)
    rows[0]["证件号码"] = registered["other_township"].id_number
    outcome = registry_import(user=county_user, file_name="c.xlsx", content=to_xlsx(rows))
    assert any("5301211040010001" in e.message for e in outcome.result.errors)


def test_import_report_page_and_download_carry_no_hint_are_not_cached_and_the_download_is_logged(
    client, village_user, registered
):
    rows = household_rows("5301210010010009", 2)
    rows[0]["证件号码"] = registered["other_township"].id_number
    batch = batch_create(user=village_user, file_name="v.xlsx", content=to_xlsx(rows))
    batch_validate(batch=batch)
    client.force_login(village_user)
    response = client.get(reverse("imports:batch", args=[batch.pk]))
    body = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert str(privacy.ID_NOT_USABLE) in body
    assert "5301211040010001" not in body
    assert "荒田" not in body
    report = client.get(reverse("imports:report", args=[batch.pk]))
    assert "no-store" in report["Cache-Control"]
    record = AccessRecord.objects.get(kind=AccessKind.EXPORT)
    assert record.user == village_user
    assert record.what == "导入校验报告"
