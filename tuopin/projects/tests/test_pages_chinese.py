"""Every project page a county user reaches speaks Chinese: no English codes, numbers with separators and 万元
with two decimals."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tuopin.projects.models import Channel, EntryKind, Project
from tuopin.projects.services import fund_entry_add

from .conftest import region

pytestmark = pytest.mark.django_db

#: codes of the projects app that must never reach a Chinese page (programme, status, channel, metric codes)
CODES = ("employment", "housing", "seed", "planned", "special", "unspecified", "at_most", "exited_households")
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(?:" + "|".join(CODES) + r")\b")
FOUR_DECIMALS = re.compile(r"\d\.\d{4}")
NO_SEPARATOR = re.compile(r"(?<![\d,.])\d{5,}(?:\.\d+)?(?![\d,])")


def _visible_text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_project_pages_show_no_codes_and_format_their_numbers(client, seed, county_user):
    project = Project.objects.get(seed_key="三(八)18")
    fund_entry_add(
        project=project,
        channel=Channel.SPECIAL,
        kind=EntryKind.ALLOCATION,
        amount=Decimal("1234567"),
        by=county_user,
    )
    client.force_login(county_user)
    pages = [
        reverse("projects:list"),
        reverse("projects:detail", args=[project.pk]),
        reverse("projects:budget"),
        reverse("projects:roadmaps"),
        reverse("projects:roadmap", args=[region("牛栏江镇").pk]),
        reverse("projects:construction", args=[region("荒田村委会").pk]),
        reverse("projects:publicity", args=[region("荒田村委会").pk]),
        reverse("projects:targets"),
        reverse("projects:needs"),
        reverse("projects:costs"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        assert not IDENTIFIER.findall(text), (url, IDENTIFIER.findall(text)[:5])
        assert not FOUR_DECIMALS.findall(text), (url, FOUR_DECIMALS.findall(text)[:5])
        assert not NO_SEPARATOR.findall(text), (url, NO_SEPARATOR.findall(text)[:5])
    budget = _visible_text(client.get(reverse("projects:budget")).content.decode())
    assert "15,375.17" in budget  # the plan's projects in 万元, two decimals and a separator
    detail = _visible_text(client.get(reverse("projects:detail", args=[project.pk])).content.decode())
    assert "1,234,567.00" in detail  # the ledger in yuan
