"""The data-quality rule 脱贫状态有办结的程序记录: a household whose status was set without a procedure is flagged,
in the batch run and in the household's own findings alike; one that went through the exit procedure is not."""

from datetime import date

import pytest

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.engine.batch import unpack
from tuopin.assessment.engine.rules import INDICATOR_RULESET, Outcome
from tuopin.assessment.models import ExitStatus, HouseholdResult
from tuopin.assessment.selectors import household_indicators
from tuopin.assessment.services import assessment_run, exit_case_advance, exit_case_propose
from tuopin.assessment.tests import factories
from tuopin.registry.models import Household, PovertyStatus

pytestmark = pytest.mark.django_db
RULE = "dq_status_by_procedure"


def _flag(run, household) -> Outcome:
    result = HouseholdResult.objects.get(run=run, household=household)
    return unpack(result.flags, INDICATOR_RULESET)[RULE]


def test_a_status_set_without_a_procedure_is_flagged(village, county_user, village_user, township_user):
    clean = factories.household(village)
    bypassed = factories.household(village)
    # the bypass: the status is written straight into the table, no procedure recorded
    Household.objects.filter(pk=bypassed.pk).update(status=PovertyStatus.EXITED, exit_year=2018)
    exited = factories.household(village, planned_exit_year=2018)
    case = exit_case_propose(household=exited, year=2018, by=village_user, on_date=date(2018, 9, 1))
    for to_status, who, on in (
        (ExitStatus.REVIEWED, village_user, date(2018, 9, 2)),
        (ExitStatus.NOTICE, village_user, date(2018, 9, 3)),
        (ExitStatus.TOWNSHIP_CHECKED, township_user, date(2018, 9, 10)),
        (ExitStatus.COUNTY_APPROVED, county_user, date(2018, 9, 11)),
        (ExitStatus.EXITED, county_user, date(2018, 9, 12)),
    ):
        case = exit_case_advance(case=case, to_status=to_status, by=who, on_date=on)
    run = assessment_run(year=2018, by=console_actor())
    assert _flag(run, clean) == Outcome.PASS
    assert _flag(run, exited) == Outcome.PASS
    assert _flag(run, bypassed) == Outcome.FAIL
    findings = household_indicators(user=county_user, household=bypassed, year=2018).findings
    assert [f.code for f in findings if f.code == RULE] == [RULE]
    assert not [
        f
        for f in household_indicators(user=county_user, household=exited, year=2018).findings
        if f.code == RULE
    ]
