import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.engine.batch import unpack
from tuopin.assessment.engine.rules import EXIT_RULESET, Outcome
from tuopin.assessment.models import AssessmentRun, HouseholdResult
from tuopin.assessment.selectors import run_diff
from tuopin.assessment.services import assessment_run, what_if
from tuopin.assessment.tests import factories
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.registry.models import PovertyStatus

pytestmark = pytest.mark.django_db


def test_run_stores_snapshot_versions_and_one_row_per_household(village):
    factories.household(village, planned_exit_year=2018)
    factories.household(village, house_grade="C")
    run = assessment_run(year=2018, by=console_actor())
    assert HouseholdResult.objects.filter(run=run).count() == 2
    assert run.standards["income_line"]["value"] == "3200.00"
    assert run.standards["income_line"]["inherited"] is True  # 2018 line inherited from 2017
    assert run.standards["reference_date"]["value"] == "2018-08-31"
    assert set(run.rule_versions) == {r.code for r in EXIT_RULESET.rules}
    assert run.summary["eligible_to_exit"] == 1
    assert run.summary["criteria"]["housing"] == {"pass": 1, "fail": 1, "missing": 0}


def test_run_refuses_bad_year_and_writes_nothing(village):
    factories.household(village)
    with pytest.raises(ApplicationError):
        assessment_run(year=1900, by=console_actor())
    assert AssessmentRun.objects.count() == 0


def test_village_user_cannot_run_the_whole_county(village_user, village):
    factories.household(village)
    with pytest.raises(PermissionDeniedError, match="只有县级用户可以发起全县评估"):
        assessment_run(year=2018, by=village_user)
    assert AssessmentRun.objects.count() == 0
    assert HouseholdResult.objects.count() == 0


def test_village_user_may_run_own_village(village_user, village, other_village):
    factories.household(village)
    factories.household(other_village)
    run = assessment_run(year=2018, by=village_user, region=village)
    assert HouseholdResult.objects.filter(run=run).count() == 1


def test_run_diff_names_the_rule_that_changed(village):
    h = factories.household(village)
    first = assessment_run(year=2018, by=console_actor())
    h.house_grade = "D"
    h.save()
    second = assessment_run(year=2018, by=console_actor())
    rows = run_diff(old=first, new=second)
    assert len(rows) == 1
    assert rows[0].old_eligible is True
    assert rows[0].new_eligible is False
    assert rows[0].changed_rules == ["不住C、D级危房：达标 → 未达标"]


def test_what_if_lists_changes_and_saves_nothing(village):
    rich = factories.household(village, wage_income=Decimal("12000"))  # net 14000 / 2 = 7000 per head
    factories.household(village, wage_income=Decimal("20000"))  # 11000 per head
    base = assessment_run(year=2018, by=console_actor())
    runs, results = AssessmentRun.objects.count(), HouseholdResult.objects.count()
    result = what_if(year=2018, overrides={"income_line": Decimal("8000")}, base_run=base, by=console_actor())
    assert [c.household_id for c in result.changes] == [rich.pk]
    assert unpack(result.changes[0].new_outcomes, EXIT_RULESET)["income_per_capita"] == Outcome.FAIL
    assert (result.eligible_before, result.eligible_after) == (2, 1)
    assert (AssessmentRun.objects.count(), HouseholdResult.objects.count()) == (runs, results)


def test_assess_command_json_lists_the_exit_plan(village):
    factories.household(village, planned_exit_year=2018)
    failing = factories.household(village, planned_exit_year=2018, has_safe_drinking_water=None)
    factories.household(village, status=PovertyStatus.EXITED, exit_year=2017)
    out = StringIO()
    call_command("assess", year=2018, json=True, stdout=out)
    report = json.loads(out.getvalue())
    assert report["households_assessed"] == 3
    assert report["eligible_to_exit"] == 1
    assert report["criteria_among_not_exited"]["water"]["missing"] == 1
    assert report["exit_plan"]["households"] == 2
    assert report["exit_plan"]["eligible"] == 1
    [still] = report["exit_plan"]["still_failing"]
    assert still["household_no"] == failing.household_no
    assert still["failing"] == ["饮水安全：饮水安全达标（数据缺失）"]
    assert report["villages"][0]["not_exited"] == 2
