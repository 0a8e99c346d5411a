"""A stored run reproduces: editing a standard after a run leaves that run's village and county indicators
as they were (they are judged by the run's own stored standards), and a new run uses the new standard."""

from datetime import date
from decimal import Decimal

import pytest

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.engine.rules import Outcome
from tuopin.assessment.models import AssessmentRun
from tuopin.assessment.selectors import county_indicators, village_status
from tuopin.assessment.services import assessment_run, satisfaction_survey_record, village_record_set
from tuopin.assessment.tests import factories
from tuopin.policy.services import standard_set

pytestmark = pytest.mark.django_db


def _shown(indicators) -> dict:
    return {i.code: (i.outcome, i.value, i.threshold, i.formula) for i in indicators}


def _set(key: str, value: str) -> None:
    standard_set(
        key=key, year=2018, region=None, value=value, source_document="测试：改标准", by=console_actor()
    )


def test_editing_a_standard_after_a_run_leaves_the_runs_indicators_unchanged():
    village = factories.village(is_poor_village=True)
    factories.household(village)
    factories.household(village, house_grade="D")  # 2 people still poor
    by = console_actor()
    village_record_set(
        village=village,
        year=2018,
        by=by,
        collective_income=Decimal("25000"),
        has_work_team=True,
        has_first_secretary=True,
        rural_population=200,  # incidence 2 / 200 = 1.00 %
    )
    satisfaction_survey_record(
        village=village, year=2018, by=by, surveyed_on=date(2018, 11, 1), surveyed=40, satisfied=35
    )
    old = assessment_run(year=2018, by=by)
    village_before = _shown(village_status(run=old, village=village).indicators)
    county_before = _shown(county_indicators(run=old))
    assert village_before["incidence"][:2] == (Outcome.PASS, "1.00%")
    assert village_before["collective_income"][0] == Outcome.PASS
    assert county_before["satisfaction"][:2] == (Outcome.FAIL, "87.50%")

    _set("village_incidence_max", "0.5")
    _set("village_collective_income_min", "30000")
    _set("county_satisfaction_min", "85")

    old = AssessmentRun.objects.get(pk=old.pk)
    assert _shown(village_status(run=old, village=village).indicators) == village_before
    assert _shown(county_indicators(run=old)) == county_before

    new = assessment_run(year=2018, by=by)
    village_after = _shown(village_status(run=new, village=village).indicators)
    county_after = _shown(county_indicators(run=new))
    assert village_after["incidence"][0] == Outcome.FAIL  # 1.00 % > 0.5 %
    assert village_after["incidence"][2].startswith("≤ 0.5")
    assert village_after["collective_income"][0] == Outcome.FAIL  # 25 000 < 30 000
    assert county_after["satisfaction"][0] == Outcome.PASS  # 87.5 % ≥ 85 %
    assert village_after["work_team"] == village_before["work_team"]
