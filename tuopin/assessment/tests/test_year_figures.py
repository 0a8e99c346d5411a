"""The assessment of a year reads that year's figures (ADR 0080): later years do not change an old year's run."""

from decimal import Decimal

import pytest

from tuopin.assessment.engine.rules import Outcome
from tuopin.assessment.tests import factories
from tuopin.assessment.tests.test_boundaries import ADULT, _both, income
from tuopin.registry.models import HouseholdYear


@pytest.fixture
def seeded(db):
    factories.county()
    return 2018


def _year(household, year: int, per_capita: str) -> HouseholdYear:
    return HouseholdYear.objects.create(household=household, year=year, **income(per_capita))


def test_2018_run_uses_2018_figures_and_ignores_later_years(seeded):
    # the current registration carries a later (failing) income; 2018's own figures pass
    h = factories.household(members=[ADULT] * 2, **income("3199"))
    _year(h, 2018, "5000")
    later = _year(h, 2020, "3199")
    first = _both(seeded, h)
    assert first["income_per_capita"] == Outcome.PASS

    later.wage_income = Decimal("1")
    later.save()
    assert _both(seeded, h) == first


def test_a_year_without_its_row_falls_back_to_the_registration(seeded):
    h = factories.household(members=[ADULT] * 2, **income("3199"))
    _year(h, 2020, "5000")  # another year's figures are never borrowed
    assert _both(seeded, h)["income_per_capita"] == Outcome.FAIL
