"""Fixtures of the API tests over monitoring, assistance and supervision records (this app sits above the
others, so its tests may build all of their records)."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tuopin.accounts.permissions import console_actor
from tuopin.assistance.tests.factories import CadreFactory, PairingFactory, VisitFactory
from tuopin.monitoring.services import clue_raise
from tuopin.supervision.tests.factories import ProblemFactory


@pytest.fixture
def token(users):
    """``token("village_a1")`` → the HTTP header value for that user's token."""

    def make(name: str) -> str:
        return f"Token {Token.objects.get_or_create(user=users[name])[0].key}"

    return make


@pytest.fixture
def records(households, users, tree):
    """Monitoring cases and clues, a pairing and visits, and problems, in village A1 and village B1.

    The cadre is paired with A1-0001 only (A1-0002 has a visit by another cadre)."""

    console = console_actor()
    out: dict[str, object] = {}
    for key, no in (("a1", "a1"), ("a1b", "a1_exited"), ("b1", "b1")):
        clue = clue_raise(
            household=households[no], source="visit", reasons=["患大病，医疗支出大"], by=console
        )
        out[f"clue_{key}"] = clue
        out[f"case_{key}"] = clue.case
    other = CadreFactory.create()
    out["pairing_a1"] = PairingFactory.create(cadre=users["cadre"], household=households["a1"])
    out["pairing_b1"] = PairingFactory.create(cadre=other, household=households["b1"])
    out["visit_a1"] = VisitFactory.create(
        household=households["a1"], cadre=users["cadre"], raises_clue=True, clue_reason="患病"
    )
    out["visit_a1b"] = VisitFactory.create(household=households["a1_exited"], cadre=other)
    out["visit_b1"] = VisitFactory.create(household=households["b1"], cadre=other)
    out["problem_a1"] = ProblemFactory.create(region=tree["village_a1"], household=households["a1"])
    out["problem_b1"] = ProblemFactory.create(
        region=tree["village_b1"], status="cleared", cleared_at=timezone.now()
    )
    return out
