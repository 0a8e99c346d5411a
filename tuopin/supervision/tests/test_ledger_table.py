"""The problem ledger as a clerk's table: sortable columns, page numbers, filters kept in every link."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tuopin.supervision.models import ProblemStatus
from tuopin.supervision.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return re.findall(r'<a href="/supervision/\d+/">([^<]+)</a>', response.content.decode())


def test_the_ledger_sorts_pages_and_keeps_its_filters(client, users, tree):
    for day in range(1, 26):
        ProblemFactory.create(
            region=tree["village_a1"], title=f"甲一{day:02d}", deadline=datetime.date(2018, 7, day)
        )
    ProblemFactory.create(region=tree["village_b1"], title="乙一", deadline=datetime.date(2018, 6, 1))
    ProblemFactory.create(
        region=tree["village_a1"], title="已销号", status=ProblemStatus.CLEARED, cleared_at=timezone.now()
    )
    client.force_login(users["county"])
    url = reverse("supervision:list")

    response = client.get(
        url, {"status": "still_open", "region": tree["village_a1"].pk, "sort": "-deadline", "size": 20}
    )
    table = response.context["table"]
    assert table.count == 25
    assert _titles(response)[:2] == ["甲一25", "甲一24"]
    page = response.content.decode()
    assert 'aria-current="page">1<' in page
    second = re.search(r'href="\?([^"]*page=2)"', page).group(1).replace("&amp;", "&")
    assert {"status=still_open", f"region={tree['village_a1'].pk}", "sort=-deadline", "size=20"} <= set(
        second.split("&")
    )
    assert _titles(client.get(f"{url}?{second}")) == ["甲一05", "甲一04", "甲一03", "甲一02", "甲一01"]

    everything = client.get(url, {"sort": "deadline"})
    assert everything.context["table"].count == 27
    assert _titles(everything)[0] == "乙一"
