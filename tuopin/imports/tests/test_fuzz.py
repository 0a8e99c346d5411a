"""Generated rows through the real parser and validator (hypothesis, bounded): no server error, and nothing
stored that later breaks a page."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuopin.core.data_check import data_check
from tuopin.imports.parsing.layout import HEADERS
from tuopin.imports.services import registry_import
from tuopin.imports.tests.conftest import household_rows, to_csv, to_xlsx
from tuopin.registry.models import Household

BOUNDED = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
CELL = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(
        ["1e20", "NaN", "Infinity", "-1", "9" * 30, "9" * 500, "=1+1", "@x", "非在校生", "无", " "]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)


@BOUNDED
@given(
    changes=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(HEADERS), CELL), max_size=8),
    as_csv=st.booleans(),
)
def test_generated_rows_import_or_are_refused_and_never_store_a_breaking_value(
    county, county_user, client, changes, as_csv
):
    rows = household_rows("5301210010010001", 3)
    for row_index, header, value in changes:
        rows[row_index][header] = value.replace("\x00", "")
    content = to_csv(rows) if as_csv else to_xlsx(rows)
    outcome = registry_import(
        user=county_user, file_name="fuzz.csv" if as_csv else "fuzz.xlsx", content=content, commit_valid=True
    )
    assert outcome.batch.status in ("committed", "validated", "rejected", "refused")
    assert data_check() == []
    client.force_login(county_user)
    for household in Household.objects.all():
        assert client.get(reverse("registry:detail", args=[household.pk])).status_code == 200
    assert client.get(reverse("registry:list")).status_code == 200
