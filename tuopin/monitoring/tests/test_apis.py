"""The monitoring API (one scoped base for list and detail): filters validated, scope kept, 401 and 404."""

import pytest
from django.urls import reverse

from tuopin.monitoring.services import clue_raise
from tuopin.monitoring.tests import factories as f

pytestmark = pytest.mark.django_db


def test_clue_source_filter_scope_and_errors(
    as_user, village_user, other_village_user, village, other_village
):
    own = f.household(village, members=1)
    clue = clue_raise(household=own, source="hotline", reasons=["12317反映"], by=village_user)
    foreign = clue_raise(
        household=f.household(other_village, members=1),
        source="visit",
        reasons=["外村"],
        by=other_village_user,
    )
    client = as_user(village_user)
    url = reverse("monitoring_api:clues")
    assert [row["id"] for row in client.get(url, {"source": "hotline"}).json()["results"]] == [clue.pk]
    assert client.get(url, {"source": "visit"}).json()["count"] == 0
    bad = client.get(url, {"source": "nonsense"})
    assert bad.status_code == 400
    assert "source" in bad.json()["fields"]
    assert client.get(reverse("monitoring_api:clue", args=[foreign.pk])).status_code == 404
    detail = client.get(reverse("monitoring_api:case", args=[clue.case_id])).json()
    assert [c["id"] for c in detail["clues"]] == [clue.pk]
    client.logout()
    assert client.get(url).status_code == 401
