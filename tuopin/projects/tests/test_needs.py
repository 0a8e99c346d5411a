"""The need-driven plan: failing criteria priced by the cost table, summed by village, township and
programme, and compared with the plan's per-household projects."""

from decimal import Decimal

import pytest

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.services import assessment_run
from tuopin.projects.models import CostItem, Project
from tuopin.projects.needs import FailingCount, assessment_failing_counts, need_proposal
from tuopin.projects.services import project_households_set, projects_load_seed_plan
from tuopin.registry.models import PovertyStatus

from .conftest import make_household, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(county):
    return projects_load_seed_plan(by=console_actor())


def test_proposal_prices_each_failing_criterion_and_sums_by_area(seed, county_user):
    huangtian, daqing, kuanglang = region("荒田村委会"), region("大箐村委会"), region("匡郎村委会")

    def source(user, year):
        return [
            FailingCount(huangtian.pk, "housing", 3, 10),
            FailingCount(daqing.pk, "housing", 1, 4),
            FailingCount(kuanglang.pk, "income", 2, 7),
            FailingCount(kuanglang.pk, "education", 5, 5),  # no unit cost configured
        ], "测试来源"

    proposal = need_proposal(user=county_user, plan=seed.plan, year=2018, source=source)
    assert proposal.source == "测试来源"
    villages = {a.region.name: a.amount for a in proposal.villages}
    assert villages == {
        "荒田村委会": Decimal(63000),
        "大箐村委会": Decimal(21000),
        "匡郎村委会": Decimal(2250),
    }
    townships = {a.region.name: a.amount for a in proposal.townships}
    assert townships == {"牛栏江镇": Decimal(84000), "小街镇": Decimal(2250)}
    assert proposal.total == Decimal(86250)
    assert proposal.uncosted == {"义务教育有保障": 5}
    housing = next(c for c in proposal.programmes if c.programme_code == "housing")
    assert (housing.proposed, housing.failing_households) == (Decimal(84000), 4)
    # the plan's per-household housing projects (三(三)1, 三(三)2) are 9380.7万元
    assert housing.planned == Decimal("93807000.00")


def test_the_cost_table_is_configurable(seed, county_user):
    item = CostItem.objects.get(code="house_renovation")
    item.unit_cost = Decimal(30000)
    item.save()
    proposal = need_proposal(
        user=county_user,
        plan=seed.plan,
        source=lambda user, year: ([FailingCount(region("荒田村委会").pk, "housing", 2, 5)], "x"),
    )
    assert proposal.total == Decimal(60000)


def test_stored_results_are_the_source_scoped_and_without_exited_households(seed, niulanjiang_user):
    make_household(region("荒田村委会"), house_grade="D", members=[{}, {"relation": "spouse"}])
    make_household(region("荒田村委会"), house_grade="C", status=PovertyStatus.EXITED)
    make_household(region("匡郎村委会"), house_grade="C")
    make_household(
        region("大箐村委会"), has_safe_drinking_water=False, members=[{"has_medical_insurance": False}]
    )
    run = assessment_run(year=2018, by=console_actor())
    rows, label = assessment_failing_counts(niulanjiang_user, 2018)
    assert label == f"退出评估结果（2018年第{run.pk}次评估）"
    failing = {(r.village_id, r.criterion): (r.households, r.people) for r in rows if r.households}
    assert failing[(region("荒田村委会").pk, "housing")] == (1, 2)  # the exited household is not a need
    assert failing[(region("大箐村委会").pk, "water")] == (1, 1)
    assert failing[(region("大箐村委会").pk, "medical")] == (1, 1)
    assert region("匡郎村委会").pk not in {r.village_id for r in rows}  # outside 牛栏江镇


def test_unknown_water_safety_and_insurance_are_never_counted_as_met(seed, county_user):
    """Missing is never a pass: unknown 饮水安全 and unknown 医保 are counted as lacking data, and a household
    lacking data is not among those a project reaches "without need"."""
    unknown = make_household(region("荒田村委会"), house_grade="A", members=[{"has_medical_insurance": None}])
    assert unknown.has_safe_drinking_water is None
    assessment_run(year=2018, by=county_user)
    rows, _ = assessment_failing_counts(county_user, 2018)
    by_criterion = {r.criterion: r for r in rows if r.village_id == region("荒田村委会").pk}
    for criterion in ("water", "medical"):
        row = by_criterion[criterion]
        assert (row.households, row.missing_households, row.missing_people) == (0, 1, 1)
    assert "housing" not in by_criterion  # grade A, not relocated: met
    proposal = need_proposal(user=county_user, plan=seed.plan, year=2018)
    assert proposal.missing["饮水安全"] == 1
    assert proposal.missing["基本医疗有保障"] == 1
    assert proposal.total == Decimal(0)  # nothing priced for data still to be verified
    housing_project = Project.objects.filter(programme__code="housing", is_per_household=True).first()
    assert housing_project is not None
    project_households_set(project=housing_project, household_ids=[unknown.pk], by=county_user)
    housing = next(
        c
        for c in need_proposal(user=county_user, plan=seed.plan, year=2018).programmes
        if c.programme_code == "housing"
    )
    assert (housing.covered_households, housing.linked_not_failing) == (0, 1)


def test_without_a_stored_run_nothing_is_proposed_and_the_page_says_why(seed, county_user):
    make_household(region("荒田村委会"), house_grade="D")
    proposal = need_proposal(user=county_user, plan=seed.plan, year=2018)
    assert proposal.total == Decimal(0)
    assert "请先运行退出评估" in proposal.source


def test_comparison_shows_coverage_and_over_coverage(seed, county_user):
    failing = make_household(region("荒田村委会"), house_grade="D")
    safe = make_household(region("荒田村委会"), house_grade="A")
    unknown = make_household(region("荒田村委会"), house_grade="")  # 危房等级 not recorded
    housing_project = Project.objects.get(seed_key="三(三)1")
    project_households_set(
        project=housing_project, household_ids=[failing.pk, safe.pk, unknown.pk], by=county_user
    )
    assessment_run(year=2018, by=county_user)
    proposal = need_proposal(user=county_user, plan=seed.plan, year=2018)
    housing = next(c for c in proposal.programmes if c.programme_code == "housing")
    # the household without a 危房等级 is reached as a need to verify, never as "linked without need"
    assert (housing.failing_households, housing.covered_households, housing.linked_not_failing) == (1, 2, 1)


def test_the_latest_assessment_run_is_the_source_when_there_is_one(seed, county_user):
    make_household(region("荒田村委会"), house_grade="D", members=[{}, {"relation": "spouse"}])
    make_household(region("匡郎村委会"), house_grade="A")
    run = assessment_run(year=2018, by=county_user)
    proposal = need_proposal(user=county_user, plan=seed.plan, year=2018)
    assert proposal.source.startswith("退出评估结果")
    assert str(run.pk) in proposal.source
    villages = {a.region.name: a.lines["house_renovation"].households for a in proposal.villages if a.lines}
    assert villages == {"荒田村委会": 1}
    assert proposal.total >= Decimal(21000)
