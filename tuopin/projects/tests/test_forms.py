"""Form rendering that the browser depends on."""

from datetime import date

from django.utils import translation

from tuopin.projects.forms import FundEntryForm


def test_the_fund_entry_date_is_pre_filled_in_iso_format_for_the_date_input():
    with translation.override("zh-hans"):
        html = str(FundEntryForm(initial={"entry_date": date(2018, 7, 25)})["entry_date"])
    assert 'type="date"' in html
    assert 'value="2018-07-25"' in html
