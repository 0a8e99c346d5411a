"""Standards as data: the value in force for a year and county, county over province, annual values carried
forward only with a warning; writes checked, refused without a change, and recorded with who set them."""

from decimal import Decimal
from typing import Any

import pytest

from tuopin.accounts.models import Role
from tuopin.accounts.permissions import console_actor
from tuopin.accounts.tests.factories import UserFactory
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.policy.models import Standard, StandardKey
from tuopin.policy.selectors import standard_rows, standards_resolve
from tuopin.policy.services import standard_set, standards_seed_county
from tuopin.regions.tests.factories import county_tree

pytestmark = pytest.mark.django_db

YEAR = 2041  # later than every seeded row, so each test states its own values


def _set(key: str, year: int, value: str, region=None, **extra) -> Standard:
    return standard_set(
        key=key,
        year=year,
        region=region,
        value=value,
        source_document="测试文件",
        by=console_actor(),
        **extra,
    )


def test_the_latest_row_not_after_the_year_wins_and_the_county_beats_the_province():
    tree = county_tree()
    village = tree["villages"][0]
    _set(StandardKey.INCOME_LINE, YEAR, "5000")
    _set(StandardKey.INCOME_LINE, YEAR + 2, "5400")
    assert standards_resolve(year=YEAR + 1, region=village)["income_line"].value == Decimal("5000")
    _set(StandardKey.INCOME_LINE, YEAR, "5100", region=tree["county"])
    resolved = standards_resolve(year=YEAR, region=village)["income_line"]
    assert (resolved.value, resolved.region_name) == (Decimal("5100"), tree["county"].name)
    # the county's own row of YEAR loses to the province's later row
    assert standards_resolve(year=YEAR + 2, region=village)["income_line"].value == Decimal("5400")
    other = county_tree("邻县")
    assert standards_resolve(year=YEAR, region=other["villages"][0])["income_line"].region_name == "省级默认"


def test_an_annual_standard_from_an_earlier_year_is_inherited_with_a_warning_others_are_not():
    _set(StandardKey.INCOME_LINE, YEAR, "5000")
    _set(StandardKey.PUBLIC_NOTICE_DAYS, YEAR, "7")
    later = standards_resolve(year=YEAR + 3)
    income, notice = later["income_line"], later["public_notice_days"]
    assert income.inherited
    assert income.warning == f"本年度未设置，沿用{YEAR}年标准，须核实确认"
    assert income.as_json()["needs_confirmation"] is True
    assert not notice.inherited
    assert notice.warning == ""
    assert not standards_resolve(year=YEAR)["income_line"].inherited


def test_a_key_never_set_is_missing_not_zero():
    Standard.objects.filter(key=StandardKey.MONITORING_STABLE_YEARS).delete()
    missing = standards_resolve(year=YEAR)["monitoring_stable_years"]
    assert missing.value is None
    assert not missing.is_set
    assert missing.warning == "未设置，相关判定结果为“数据缺失”"
    assert set(standards_resolve(year=YEAR)) == set(StandardKey.values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"key": "no_such_key"}, "key"),
        ({"year": 1999}, "year"),
        ({"value": "-1"}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": ""}, "value"),
        ({"source_document": "  "}, "source_document"),
        ({"region": "township"}, "region"),
    ],
)
def test_a_bad_standard_is_refused_naming_the_field_and_nothing_is_stored(changes, field):
    tree = county_tree()
    values: dict[str, Any] = {
        "key": StandardKey.INCOME_LINE,
        "year": YEAR,
        "value": "5000",
        "source_document": "测试文件",
    }
    values.update(changes)
    region = tree["townships"][0] if values.pop("region", None) == "township" else None
    before = Standard.objects.count()
    with pytest.raises(ApplicationError) as refused:
        standard_set(region=region, by=console_actor(), **values)
    assert refused.value.field == field
    assert Standard.objects.count() == before


def test_only_those_allowed_set_standards_and_the_setter_is_recorded():
    tree = county_tree()
    village_user = UserFactory.create(role=Role.VILLAGE, region=tree["villages"][0])
    with pytest.raises(PermissionDeniedError):
        standard_set(
            key=StandardKey.INCOME_LINE,
            year=YEAR,
            region=None,
            value="5000",
            source_document="测试文件",
            by=village_user,
        )
    assert not Standard.objects.filter(year=YEAR).exists()
    stored = _set(StandardKey.INCOME_LINE, YEAR, "5000")
    record = stored.history.latest()
    assert record.history_user == console_actor()
    assert record.history_change_reason == "设置政策标准"
    assert list(standard_rows(key=StandardKey.INCOME_LINE).filter(year=YEAR)) == [stored]


def test_the_county_seed_rows_are_written_once():
    tree = county_tree()
    first = standards_seed_county(county=tree["county"], by=console_actor())
    assert first == Standard.objects.filter(region=tree["county"]).count() > 0
    assert standards_seed_county(county=tree["county"], by=console_actor()) == 0
    dibao = standards_resolve(year=2018, region=tree["villages"][0])["dibao_monthly"]
    assert (dibao.value, dibao.region_name) == (Decimal("320"), tree["county"].name)
