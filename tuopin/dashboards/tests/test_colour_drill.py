"""The colour-card pie drills to the household list of that colour: exactly the user's households whose
latest county-wide exit run stored that colour."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.selectors import run_results
from tuopin.assessment.services import assessment_run
from tuopin.dashboards.charts import chart_specs
from tuopin.dashboards.selectors import dashboard, region_households
from tuopin.registry.models import Household
from tuopin.registry.tests.factories import HouseholdFactory
from tuopin.supervision.models import ProblemStatus
from tuopin.supervision.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<a href="/households/(\d+)/">')


def _listed(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {int(pk) for pk in ROW.findall(response.content.decode())}


def test_each_colour_segment_lists_exactly_the_households_of_that_colour_in_scope(
    client, tree, users, households
):
    poorer = HouseholdFactory.create(village=tree["village_a1"], household_no="A1-0003")
    Household.objects.filter(pk=poorer.pk).update(
        wage_income=0, business_income=0, has_safe_drinking_water=False
    )
    HouseholdFactory.create(village=tree["village_b1"], household_no="B1-0002")
    run = assessment_run(year=timezone.localdate().year, by=console_actor())
    for name, region in (("county", tree["county"]), ("village_a1", tree["village_a1"])):
        user = users[name]
        client.force_login(user)
        board = dashboard(user=user, region=region)
        pie = next(spec for spec in chart_specs(board) if spec["id"] == "chart-colour")
        assert sum(pie["series"][0]["values"]) == board.households  # every registered household has a card
        stored = {r.household_id: r.colour for r in run_results(run=run, user=user)}
        in_region = set(region_households(user=user, region=region).registered().values_list("pk", flat=True))
        for row, link in zip(board.by_colour, pie["links"], strict=True):
            expected = {pk for pk, colour in stored.items() if colour == row["key"] and pk in in_region}
            assert expected, row
            assert _listed(client, link) == expected, (name, row["key"])
    assert len({r.colour for r in run_results(run=run, user=users["county"])}) >= 2  # more than one segment


def test_an_unknown_colour_falls_back_to_the_whole_list(client, users, households):
    client.force_login(users["county"])
    response = client.get(reverse("dashboards:colour_households") + "?colour=mauve&status=all")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:list") + "?status=all"


def test_the_problem_figure_links_to_exactly_the_open_problems_of_the_region(client, tree, users, households):
    ProblemFactory.create(region=tree["village_a1"])
    ProblemFactory.create(region=tree["village_a2"])
    ProblemFactory.create(region=tree["village_b1"])
    ProblemFactory.create(region=tree["village_a1"], status=ProblemStatus.CLEARED, cleared_at=timezone.now())
    client.force_login(users["county"])
    board = dashboard(user=users["county"], region=tree["town_a"])
    page = client.get(reverse("dashboards:region", args=[tree["town_a"].pk])).content.decode()
    href = re.search(r'href="([^"]+)" id="fig-problems"', page).group(1).replace("&amp;", "&")
    assert client.get(href).context["table"].count == board.problems["open"] == 2
