"""The monitoring procedure: clues merge, no step can be skipped, the notice has a minimum length, risk
elimination only when its conditions hold; each step records who and when."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.monitoring.models import CaseStep, Clue, MonitoringCase, Stage
from tuopin.monitoring.services import case_advance, clue_raise, measure_add
from tuopin.monitoring.tests import factories as f

TODAY = timezone.localdate()
PAST_NOTICE = {
    "notice_start": (TODAY - datetime.timedelta(days=10)).isoformat(),
    "notice_end": (TODAY - datetime.timedelta(days=6)).isoformat(),
}


@pytest.fixture
def household(village):
    h = f.household(village, members=2)
    f.year(h, TODAY.year - 1)
    f.year(h, TODAY.year)
    return h


def _clue(household, by, text="因病住院，自付费用高"):
    return clue_raise(household=household, source="visit", reasons=[text], evidence="走访记录", by=by)


def _advance(case, to, by, **kwargs):
    case.refresh_from_db()
    return case_advance(case=case, to=to, by=by, version=case.version, **kwargs)


def _identified(household, village_user, township_user, county_user) -> MonitoringCase:
    case = _clue(household, village_user).case
    for stage in (Stage.VISITED, Stage.COMPARED, Stage.REVIEWED):
        _advance(case, stage, village_user)
    _advance(case, Stage.NOTICED, village_user, data=PAST_NOTICE)
    _advance(case, Stage.TOWNSHIP_CHECKED, township_user)
    return _advance(case, Stage.OBJECT, county_user, data={"category": "unstable", "risk_types": ["illness"]})


def test_clues_on_one_household_merge_into_one_case(household, village_user):
    first = _clue(household, village_user)
    second = clue_raise(
        household=household, source="self_application", reasons=["家中房屋漏雨"], by=village_user
    )
    again = _clue(household, village_user)
    assert first.case_id == second.case_id == again.case_id
    assert again.pk == first.pk  # the same report again adds nothing
    assert MonitoringCase.objects.filter(household=household).count() == 1
    assert Clue.objects.filter(case=first.case).count() == 2
    case = first.case
    assert case.stage == Stage.CLUE
    assert case.is_open
    assert case.due_on == case.opened_on + datetime.timedelta(days=15)


def test_a_skipped_step_is_refused_and_nothing_changes(household, village_user):
    case = _clue(household, village_user).case
    with pytest.raises(ApplicationError, match="不得跳过程序环节"):
        _advance(case, Stage.REVIEWED, village_user)
    case.refresh_from_db()
    assert case.stage == Stage.CLUE
    assert case.version == 1
    assert CaseStep.objects.filter(case=case).count() == 1


def test_a_notice_shorter_than_five_days_is_refused(household, village_user, township_user):
    case = _clue(household, village_user).case
    for stage in (Stage.VISITED, Stage.COMPARED, Stage.REVIEWED):
        _advance(case, stage, village_user)
    with pytest.raises(ApplicationError, match="村内公示不得少于5天"):
        _advance(
            case, Stage.NOTICED, village_user, data={"notice_start": "2026-03-01", "notice_end": "2026-03-04"}
        )
    _advance(
        case,
        Stage.NOTICED,
        village_user,
        data={
            "notice_start": TODAY.isoformat(),
            "notice_end": (TODAY + datetime.timedelta(days=4)).isoformat(),
        },
    )
    with pytest.raises(ApplicationError, match="公示期满后"):
        _advance(case, Stage.TOWNSHIP_CHECKED, township_user)


def test_the_full_procedure_records_who_and_when(household, village_user, township_user, county_user):
    case = _clue(household, village_user).case
    for stage in (Stage.VISITED, Stage.COMPARED, Stage.REVIEWED):
        _advance(case, stage, village_user)
    _advance(case, Stage.NOTICED, village_user, data=PAST_NOTICE)
    with pytest.raises(PermissionDeniedError, match="只有乡镇或县级用户可以审核"):
        _advance(case, Stage.TOWNSHIP_CHECKED, village_user)
    _advance(case, Stage.TOWNSHIP_CHECKED, township_user)
    with pytest.raises(ApplicationError, match="请选择监测对象类别"):
        _advance(case, Stage.OBJECT, county_user)
    case = _advance(case, Stage.OBJECT, county_user, data={"category": "unstable", "risk_types": ["illness"]})
    assert case.category == "unstable"
    assert case.identified_on == TODAY
    assert case.days_to_decision == 0
    steps = list(CaseStep.objects.filter(case=case).order_by("id"))
    assert [s.to_stage for s in steps] == [
        "clue",
        "visited",
        "compared",
        "reviewed",
        "noticed",
        "township_checked",
        "object",
    ]
    assert steps[-1].by == county_user
    assert steps[-1].at is not None
    assert steps[5].by == township_user


def test_elimination_refused_when_its_conditions_fail(household, village_user, township_user, county_user):
    case = _identified(household, village_user, township_user, county_user)
    with pytest.raises(ApplicationError, match="帮扶消除须已落实帮扶措施"):
        _advance(case, Stage.ELIMINATION_REVIEWED, village_user, data={"elimination_kind": "assisted"})
    record = household.years.get(year=TODAY.year)
    record.wage_income = Decimal("1000")
    record.save()
    with pytest.raises(ApplicationError, match="人均纯收入未稳定高于当年监测范围"):
        _advance(case, Stage.ELIMINATION_REVIEWED, village_user, data={"elimination_kind": "natural"})
    case.refresh_from_db()
    assert case.stage == Stage.OBJECT


def test_no_elimination_for_a_household_without_labour(village, village_user, township_user, county_user):
    h = f.household(village, members=1)
    f.year(h, TODAY.year, members={"labor_skill": "lost"})
    case = _identified(h, village_user, township_user, county_user)
    with pytest.raises(ApplicationError, match="整户无劳动能力"):
        _advance(case, Stage.ELIMINATION_REVIEWED, village_user, data={"elimination_kind": "natural"})


def test_elimination_with_the_same_steps_and_re_entry(household, village_user, township_user, county_user):
    case = _identified(household, village_user, township_user, county_user)
    measure_add(
        case=case,
        kind="health",
        description="大病救助",
        responsible="县医保局",
        carried_out_on=TODAY,
        amount="3000",
        by=village_user,
    )
    _advance(case, Stage.ELIMINATION_REVIEWED, village_user, data={"elimination_kind": "assisted"})
    _advance(case, Stage.ELIMINATION_NOTICED, village_user, data=PAST_NOTICE)
    _advance(case, Stage.ELIMINATION_CHECKED, township_user)
    with pytest.raises(PermissionDeniedError):
        _advance(case, Stage.ELIMINATED, township_user)
    case = _advance(case, Stage.ELIMINATED, county_user)
    assert not case.is_open
    assert case.elimination_kind == "assisted"
    assert case.eliminated_on == TODAY
    with pytest.raises(ApplicationError, match="已办结"):
        _advance(case, Stage.OBJECT, county_user)
    again = _clue(household, village_user, text="再次因灾受损")
    assert again.case_id != case.pk
    assert again.case.stage == Stage.CLUE


def test_other_village_cannot_raise_a_clue(household, other_village_user):
    with pytest.raises(PermissionDeniedError, match="不能为该农户报告风险线索"):
        _clue(household, other_village_user)
    assert not MonitoringCase.objects.exists()


def test_measures_need_an_identified_object(household, village_user):
    case = _clue(household, village_user).case
    with pytest.raises(ApplicationError, match="只有已认定的监测对象"):
        measure_add(
            case=case, kind="health", description="x", responsible="y", carried_out_on=TODAY, by=village_user
        )
