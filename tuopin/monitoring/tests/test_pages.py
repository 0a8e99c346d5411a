"""The monitoring pages read as a clerk wants: figures of each area with drill links, 户 and 人, the work list
most severe and most overdue first (sortable, numbered pages, filters kept), Chinese labels only, no form for
a role that cannot use it, and the visit ranking that says it decides nothing."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tuopin.accounts.models import Role, User
from tuopin.monitoring.models import MonitoringCase, Stage
from tuopin.monitoring.services import clue_raise
from tuopin.monitoring.tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CODES = re.compile(
    r"\b(unstable|marginal|sudden|illness|township_checked|income_below_line|[a-z]+_[a-z_]+)\b"
)


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def visible(response) -> str:
    parser = Text()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def _case(village, *, level="medium", due_days=5, stage=Stage.CLUE, **fields) -> MonitoringCase:
    household = f.household(village, members=2)
    return MonitoringCase.objects.create(
        household=household,
        village=village,
        year=TODAY.year,
        risk_level=level,
        stage=stage,
        opened_on=TODAY - datetime.timedelta(days=10),
        due_on=TODAY + datetime.timedelta(days=due_days),
        **fields,
    )


def test_county_page_drills_to_townships_with_households_and_people(
    as_user, county_user, village, other_village
):
    _case(village, stage=Stage.OBJECT, category="unstable", risk_types=["illness"], identified_on=TODAY)
    _case(other_village, due_days=-3)
    page = as_user(county_user).get(reverse("monitoring:index"))
    text = visible(page)
    assert page.context["overview"].objects == 1
    assert "1 户、2 人" in text
    assert "脱贫不稳定户" in text
    assert "因病" in text
    assert not CODES.findall(text)
    rows = {row.region.name: row for row in page.context["areas"]}
    assert rows[village.parent.name].objects == 1
    assert rows[other_village.parent.name].overdue == 1
    html = page.content.decode()
    assert f'href="?region={village.parent.pk}&amp;objects=1"' in html
    assert "objects=1&amp;category=unstable" in html
    township = as_user(county_user).get(reverse("monitoring:index"), {"region": village.parent.pk})
    assert [row.region.name for row in township.context["areas"]] == [village.name]
    assert f'href="?region={village.parent.parent.pk}"' in township.content.decode()  # back up to the county


def test_work_list_most_severe_then_most_overdue_first(as_user, county_user, village):
    low = _case(village, level="low", due_days=-30)
    late = _case(village, level="high", due_days=-9)
    later = _case(village, level="high", due_days=-2)
    medium = _case(village, level="medium", due_days=-20)
    page = as_user(county_user).get(reverse("monitoring:index"))
    assert [c.pk for c in page.context["table"].rows] == [late.pk, later.pk, medium.pk, low.pk]
    by_due = as_user(county_user).get(reverse("monitoring:index"), {"sort": "due"})
    assert next(iter(by_due.context["table"].rows)).pk == low.pk
    overdue = as_user(county_user).get(reverse("monitoring:index"), {"overdue": "1", "category": "nonsense"})
    assert overdue.context["table"].count == 4


def test_work_list_pages_keep_the_filters(as_user, county_user, village):
    for _ in range(22):
        _case(village, level="high")
    _case(village, level="low")
    client = as_user(county_user)
    page = client.get(reverse("monitoring:index"), {"stage": "clue", "size": "20"})
    table = page.context["table"]
    assert table.count == 23
    assert table.page.paginator.num_pages == 2
    html = page.content.decode()
    assert "stage=clue&amp;size=20&amp;page=2" in html
    second = client.get(reverse("monitoring:index"), {"stage": "clue", "size": "20", "page": "2"})
    assert len(second.context["table"].rows) == 3
    assert list(second.context["table"].rows)[-1].risk_level == "low"


def test_filters_by_source_risk_type_and_eliminated_this_year(as_user, county_user, village_user, village):
    own = f.household(village, members=1)
    clue_raise(household=own, source="hotline", reasons=["12317反映"], by=village_user)
    _case(village, stage=Stage.OBJECT, category="marginal", risk_types=["accident"], identified_on=TODAY)
    _case(village, stage=Stage.ELIMINATED, is_open=False, eliminated_on=TODAY, elimination_kind="natural")
    client = as_user(county_user)
    assert client.get(reverse("monitoring:index"), {"source": "hotline"}).context["table"].count == 1
    by_risk = client.get(reverse("monitoring:index"), {"objects": "1", "risk_type": "accident"})
    assert by_risk.context["table"].count == 1
    eliminated = client.get(reverse("monitoring:index"), {"eliminated": str(TODAY.year)})
    assert eliminated.context["table"].count == 1
    assert eliminated.context["overview"].eliminated_this_year == 1


def test_inspector_is_shown_no_form(as_user, county_user, village):
    inspector = User.objects.create_user(
        username="inspector", password="pass-12345", role=Role.INSPECTOR, region=county_user.region
    )
    case = _case(village)
    client = as_user(inspector)
    page = client.get(reverse("monitoring:case", args=[case.pk]))
    assert page.status_code == 200
    assert page.context["next_stages"] == []
    assert 'id="step-form"' not in page.content.decode()
    tab = client.get(reverse("monitoring:household", args=[case.household_id]))
    assert 'id="clue-form"' not in tab.content.decode()
    county = as_user(county_user).get(reverse("monitoring:case", args=[case.pk]))
    assert 'id="step-form"' in county.content.decode()  # the county office may record steps


def test_risk_page_states_that_the_ranking_decides_nothing(as_user, county_user, village):
    page = as_user(county_user).get(reverse("monitoring:risk"))
    assert page.status_code == 200
    assert "不决定任何事项" in visible(page)
