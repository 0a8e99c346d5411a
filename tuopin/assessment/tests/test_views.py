from decimal import Decimal

import pytest
from django.urls import reverse

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.models import AssessmentRun
from tuopin.assessment.services import assessment_run
from tuopin.assessment.tests import factories
from tuopin.registry.models import PovertyStatus

pytestmark = pytest.mark.django_db


def test_household_page_shows_value_threshold_and_sentence(as_user, village_user, village):
    h = factories.household(
        village,
        members=[{"birth_date": "1980-01-01"}, {"birth_date": "1985-01-01"}],
        wage_income=Decimal("4399"),
    )  # 4399 + 2000 + 1000 − 1000 = 6399 net / 2 = 3199.50
    response = as_user(village_user).get(reverse("assessment:household", args=[h.pk]), {"year": 2018})
    assert response.status_code == 200
    html = response.content.decode()
    assert "家庭人均纯收入 3,199.50 元，低于 2018 年脱贫标准 3,200.00 元" in html
    assert 'id="rule-income_per_capita" class="outcome-fail"' in html
    assert "沿用2017年标准，须核实确认" in html


def test_household_fragment_for_htmx(as_user, village_user, village):
    h = factories.household(village)
    response = as_user(village_user).get(reverse("assessment:household", args=[h.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "criteria-table" in response.content.decode()


def test_household_page_refuses_other_village(as_user, other_village_user, village):
    h = factories.household(village)
    response = as_user(other_village_user).get(reverse("assessment:household", args=[h.pk]))
    assert response.status_code == 404


def test_village_page_shows_exit_status_with_formula(as_user, village_user, village):
    village.is_poor_village = True
    village.save()
    factories.household(village)
    factories.household(village, house_grade="D")
    assessment_run(year=2018, by=console_actor())
    response = as_user(village_user).get(reverse("assessment:village", args=[village.pk]), {"year": 2018})
    html = response.content.decode()
    assert response.status_code == 200
    assert "综合贫困发生率" in html
    assert "÷ 农村户籍人口（4 人）" in html  # 2 of 4 people remain poor: 50%
    assert "50.00%" in html
    assert "未达到出列标准" in html


def test_village_page_refuses_other_village(as_user, other_village_user, village):
    factories.household(village)
    response = as_user(other_village_user).get(reverse("assessment:village", args=[village.pk]))
    assert response.status_code == 404


def test_county_user_runs_from_the_page(as_user, county_user, village):
    factories.household(village)
    response = as_user(county_user).post(reverse("assessment:run_create"), {"year": "2018"})
    run = AssessmentRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assessment:run", args=[run.pk])
    page = as_user(county_user).get(response.url)
    assert "各项标准" in page.content.decode()


def test_run_page_refused_to_village_user_and_bad_year_reported(as_user, village_user, county_user, village):
    assert as_user(village_user).post(reverse("assessment:run_create"), {"year": "2018"}).status_code == 404
    response = as_user(county_user).post(reverse("assessment:run_create"), {"year": "abc"}, follow=True)
    assert "评估年度" in response.content.decode()
    assert AssessmentRun.objects.count() == 0


def test_what_if_page(as_user, county_user, village):
    factories.household(village, wage_income=Decimal("12000"))
    assessment_run(year=2018, by=console_actor())
    client = as_user(county_user)
    bad = client.post(reverse("assessment:what_if"), {"year": "2018", "income_line": "很多"})
    assert bad.status_code == 400
    assert "应为数字" in bad.content.decode()
    good = client.post(reverse("assessment:what_if"), {"year": "2018", "income_line": "8000"})
    assert "达到退出标准：1 户 → <strong>0</strong> 户" in good.content.decode()
    assert AssessmentRun.objects.count() == 1


def test_compare_page(as_user, county_user, village):
    h = factories.household(village)
    first = assessment_run(year=2018, by=console_actor())
    h.has_food_security = False
    h.save()
    second = assessment_run(year=2018, by=console_actor())
    html = (
        as_user(county_user)
        .get(reverse("assessment:run_compare", args=[second.pk, first.pk]))
        .content.decode()
    )
    assert h.household_no in html
    assert "不愁吃（有必须的口粮）：达标 → 未达标" in html


def test_standards_page_set_and_refuse(as_user, county_user, village_user):
    client = as_user(county_user)
    bad = client.post(
        reverse("policy:standards"),
        {
            "year": "2018",
            "key": "medical_self_paid_limit",
            "value": "-1",
            "source_document": "x",
            "scope": "county",
        },
    )
    assert bad.status_code == 400
    ok = client.post(
        reverse("policy:standards"),
        {
            "year": "2018",
            "key": "medical_self_paid_limit",
            "value": "12000",
            "source_document": "测试文件",
            "scope": "county",
        },
    )
    assert ok.status_code == 302
    page = client.get(reverse("policy:standards"), {"year": 2018}).content.decode()
    assert "12,000 元" in page
    refused = as_user(village_user).post(
        reverse("policy:standards"),
        {"year": "2018", "key": "income_line", "value": "1", "source_document": "x"},
    )
    assert refused.status_code == 400
    assert "只有县级用户" in refused.content.decode()


def test_household_page_shows_colour_findings_and_exit_form(as_user, village_user, village):
    h = factories.household(village, wage_income=None)  # income incomplete: a critical data-quality finding
    html = (
        as_user(village_user)
        .get(reverse("assessment:household", args=[h.pk]), {"year": 2018})
        .content.decode()
    )
    assert '<span id="colour" class="tag card-red">红卡</span>' in html
    assert "收入和生产经营性支出填写完整" in html
    assert "入户核实后补填四项收入" in html
    assert 'id="exit-form"' in html


def test_exit_step_through_the_page(as_user, village_user, village):
    from tuopin.assessment.models import ExitCase

    good = factories.household(village)
    bad = factories.household(village, house_grade="D")
    client = as_user(village_user)
    url = reverse("assessment:exit_step", args=[good.pk])
    client.post(url, {"year": "2018", "to_status": "proposed", "on_date": "2018-09-01", "document": "申请书"})
    assert ExitCase.objects.get(household=good).status == "proposed"
    skipped = client.post(
        url, {"year": "2018", "to_status": PovertyStatus.EXITED, "on_date": "2018-09-02"}, follow=True
    )
    assert "不能直接办理" in skipped.content.decode()
    refused = client.post(
        reverse("assessment:exit_step", args=[bad.pk]),
        {"year": "2018", "to_status": "proposed", "on_date": "2018-09-01"},
        follow=True,
    )
    assert "不能拟退出" in refused.content.decode()
    assert not ExitCase.objects.filter(household=bad).exists()


def test_village_scorecard_and_worklist(as_user, village_user, village):
    factories.household(village)
    missing = factories.household(village, has_food_security=None)
    assessment_run(year=2018, by=console_actor())
    html = (
        as_user(village_user)
        .get(reverse("assessment:village", args=[village.pk]), {"year": 2018})
        .content.decode()
    )
    assert 'id="dq-scorecard"' in html
    assert missing.household_no in html.split('id="dq-worklist"')[1]


def test_village_records_make_the_village_decidable(as_user, township_user, village_user, village):
    from tuopin.assessment.models import SamplingCheck, VillageRecord

    village.is_poor_village = True
    village.save()
    for _ in range(60):  # 120 people, nobody left poor
        factories.household(village)
    assessment_run(year=2018, by=console_actor())
    url = reverse("assessment:village_records", args=[village.pk])
    client = as_user(township_user)
    client.post(
        url,
        {
            "year": "2018",
            "kind": "village_record",
            "collective_income": "52500",
            "has_work_team": "yes",
            "has_first_secretary": "yes",
        },
    )
    bad = client.post(
        url,
        {
            "year": "2018",
            "kind": "sampling",
            "on_date": "2018-10-01",
            "registered_checked": "10",
            "mis_included": "11",
        },
        follow=True,
    )
    assert "错评人口数不能多于" in bad.content.decode()
    assert SamplingCheck.objects.count() == 0
    client.post(
        url,
        {
            "year": "2018",
            "kind": "sampling",
            "on_date": "2018-10-01",
            "registered_checked": "100",
            "mis_included": "0",
            "unregistered_checked": "200",
            "missed": "1",
            "exited_checked": "50",
            "mis_exited": "0",
        },
    )
    html = client.get(reverse("assessment:village", args=[village.pk]), {"year": 2018}).content.decode()
    assert VillageRecord.objects.get().collective_income == Decimal("52500")
    assert "达到出列标准" in html  # incidence 0 %, income ≥ 20000, team, 错评 0 %, 漏评 0.5 % ≤ 1 %
    refused = as_user(village_user).post(
        url,
        {"year": "2018", "kind": "survey", "on_date": "2018-10-01", "surveyed": "10", "satisfied": "9"},
        follow=True,
    )
    assert "只有县、乡镇用户" in refused.content.decode()


def test_county_indicators_with_formulas(as_user, county_user, village_user, village):
    from datetime import date

    from tuopin.assessment.services import satisfaction_survey_record

    factories.household(village)
    assessment_run(year=2018, by=console_actor())
    satisfaction_survey_record(
        village=village, year=2018, by=county_user, surveyed_on=date(2018, 11, 1), surveyed=40, satisfied=35
    )
    html = as_user(county_user).get(reverse("assessment:county"), {"year": 2018}).content.decode()
    assert "满意户数 ÷ 调查户数 × 100%" in html
    assert "87.50%" in html  # 35/40 < 90 %: not met
    assert "错退率" in html
    assert as_user(village_user).get(reverse("assessment:county")).status_code == 404
