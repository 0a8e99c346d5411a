"""The pages of the registry, assistance, supervision, policy and dashboards show no English code: every
status, colour, cause and kind is written in Chinese, and no figure reads like ``6.00 周岁``."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.services import assessment_run
from tuopin.assistance.tests.factories import MeasureFactory, PairingFactory, VisitFactory
from tuopin.supervision.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)
CODE = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\b(blue|yellow|green|red|purple|unknown|poor|exited|relapsed|unregistered)\b"
)
TRAILING_ZEROS = re.compile(r"\b\d+\.00 ?(周岁|日|月|天|人|户)")


def visible_text(html: str) -> str:
    return HIDDEN.sub(" ", html)


@pytest.mark.parametrize("name", ["county", "village_a1"])
def test_no_english_code_on_the_pages(client, users, tree, households, name):
    household = households["a1"]
    PairingFactory.create(cadre=users["cadre"], household=household)
    VisitFactory.create(household=household, cadre=users["cadre"])
    MeasureFactory.create(household=household)
    problem = ProblemFactory.create(region=tree["village_a1"], household=household)
    assessment_run(year=timezone.localdate().year, by=console_actor())
    client.force_login(users[name])
    pages = [
        reverse("registry:list"),
        reverse("registry:list") + "?status=all",
        reverse("registry:detail", args=[household.pk]),
        reverse("assistance:household_visits", args=[household.pk]),
        reverse("assistance:structure"),
        reverse("assistance:coverage"),
        reverse("assistance:overdue"),
        reverse("assistance:presence"),
        reverse("supervision:list"),
        reverse("supervision:detail", args=[problem.pk]),
        reverse("policy:standards"),
        reverse("dashboards:region", args=[tree["village_a1"].pk]),
        reverse("dashboards:colour_households") + "?colour=red",
    ]
    if name == "county":
        pages += [
            reverse("assistance:unit_reports"),
            reverse("supervision:report"),
            reverse("supervision:create"),
            reverse("dashboards:region", args=[tree["county"].pk]),
        ]
    found = []
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        for user in users.values():  # the test users' names are their (English) user names: data, not codes
            text = text.replace(user.username, "")
        found += [(path, m.group(0)) for pattern in (CODE, TRAILING_ZEROS) for m in pattern.finditer(text)]
    assert found == []
