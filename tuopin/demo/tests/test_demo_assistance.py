"""The demo county's assistance structure reproduces the plan's pairing counts, computed from the records."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Sum

from tuopin.assistance.models import CadrePairing, Contribution, ContributionKind, SubCommand
from tuopin.assistance.selectors import structure_figures
from tuopin.registry.models import Household


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("demo")

EXPECTED = {
    "paired_units": 72,
    "paired_villages": 41,
    "paired_groups": 192,
    "leaders": 43,
    "leader_natural_villages": 45,
    "cadres": 642,
    "cadre_households": 987,
    "work_teams": 33,
    "work_team_members": 68,
    "work_team_villages": 41,
    "liaison_officers": 8,
    "sub_commands": 13,
}


@pytest.mark.django_db
def test_structure_figures_from_the_records_equal_the_plan():
    assert structure_figures() == EXPECTED


@pytest.mark.django_db
def test_stats_json_prints_the_pairing_counts_under_named_keys():
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert {key: figures[f"assistance.{key}"] for key in EXPECTED} == EXPECTED


@pytest.mark.django_db
def test_every_registered_household_has_one_current_pairing_in_step_with_the_registry():
    registered = Household.objects.registered()
    current = CadrePairing.objects.filter(end_date__isnull=True)
    assert current.count() == registered.count() == 987
    mismatched = current.exclude(cadre_id=F("household__responsible_cadre_id"))
    assert not mismatched.exists()


@pytest.mark.django_db
def test_contributions_add_up_to_the_plans_totals_in_yuan():
    totals = {
        row["kind"]: row["total"] for row in Contribution.objects.values("kind").annotate(total=Sum("amount"))
    }
    assert totals == {
        ContributionKind.DIRECT: Decimal("2150000.00"),
        ContributionKind.COORDINATED: Decimal("2494700.00"),
        ContributionKind.SOCIAL: Decimal("1202000.00"),
        ContributionKind.GOODS: Decimal("275000.00"),
    }


@pytest.mark.django_db
def test_every_sub_command_has_a_lead_unit_and_the_plan_named_ones_are_not_demo():
    assert not SubCommand.objects.filter(lead_unit__isnull=True).exists()
    named = set(SubCommand.objects.filter(is_demo=False).values_list("name", flat=True))
    assert {"产业发展分指挥部", "宣传发动分指挥部", "社会兜底保障分指挥部"} <= named
