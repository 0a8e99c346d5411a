"""The /reports/mpi/ page: figures from the stored run, scoped, what-if parameters parsed safely."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuopin.assessment.services import assessment_run
from tuopin.assessment.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_data(village, other_village, users):
    """匡郎: 2 people deprived in housing and water (2/6: poor), 3 people not deprived.
    荒田: 1 person deprived in food only (1/6: not poor)."""
    factories.household(village, members=2, house_grade="C", has_safe_drinking_water=False)
    factories.household(village, members=3)
    factories.household(other_village, members=1, has_food_security=False)
    return assessment_run(year=2018, by=users["county"])


def test_county_figures_match_the_hand_computation(as_user, users, county_data):
    response = as_user(users["county"]).get("/reports/mpi/")
    assert response.status_code == 200
    total = response.context["result"].total
    assert (total.people, total.poor_people) == (6, 2)
    assert round(total.headcount_ratio, 4) == 0.3333
    assert round(total.intensity, 4) == 0.3333
    assert round(total.adjusted_headcount_ratio, 4) == 0.1111
    assert round(total.contributions["housing"], 4) == 0.5
    assert round(total.raw_headcount_ratios["food_clothing"], 4) == 0.1667
    assert total.income_headcount_ratio == 0
    html = response.content.decode()
    assert "33.33%" in html
    assert "0.1111" in html
    assert "荒田村委会" in html
    villages = response.context["result"].villages
    weighted = sum(g.population_share * g.measures.adjusted_headcount_ratio for g in villages)
    assert weighted == pytest.approx(total.adjusted_headcount_ratio)


def test_village_user_sees_only_their_village(as_user, users, county_data):
    response = as_user(users["village"]).get("/reports/mpi/")
    result = response.context["result"]
    assert result.total.people == 5
    assert round(result.total.headcount_ratio, 4) == 0.4
    assert [g.name for g in result.villages] == ["匡郎村委会"]
    assert "荒田村委会" not in response.content.decode()


def test_what_if_cutoff_and_weights(as_user, users, county_data):
    client = as_user(users["county"])
    lower = client.get("/reports/mpi/", {"k": "1/6"}).context["result"]
    assert lower.total.poor_people == 3
    assert lower.settings.cutoff == pytest.approx(1 / 6)
    only_food = client.get(
        "/reports/mpi/", {f"w_{c}": "0" for c in ("income", "education", "medical", "housing", "water")}
    ).context["result"]
    assert only_food.settings.weights["food_clothing"] == 1
    assert only_food.total.poor_people == 1


@pytest.mark.parametrize(
    "query",
    [
        {"k": "abc", "w_income": "-1", "w_water": "1e999", "year": "zzz"},
        {"k": "0", "w_housing": "NaN", "missing": "<script>"},
        {"k": "1/0", "w_income": "9" * 40, "population": "everything"},
        {f"w_{c}": "0" for c in ("income", "food_clothing", "education", "medical", "housing", "water")},
    ],
)
def test_bad_parameters_fall_back_to_defaults(as_user, users, county_data, query):
    response = as_user(users["county"]).get("/reports/mpi/", query)
    assert response.status_code == 200
    settings = response.context["result"].settings
    assert settings.cutoff == pytest.approx(1 / 3)
    assert settings.weights["water"] == pytest.approx(1 / 6)
    assert settings.missing == "exclude"


def test_missing_value_is_excluded_and_shown(as_user, users, village, county_data):
    factories.household(village, members=4, has_safe_drinking_water=None)
    assessment_run(year=2018, by=users["county"])
    response = as_user(users["county"]).get("/reports/mpi/")
    result = response.context["result"]
    assert (result.excluded_households, result.excluded_people) == (1, 4)
    assert result.total.people == 6
    assert "数据不全未计入 1 户 4 人" in response.content.decode()
    deprived = as_user(users["county"]).get("/reports/mpi/", {"missing": "deprived"}).context["result"]
    assert deprived.total.people == 10


def test_one_query_for_the_indicators_whatever_the_number_of_households(as_user, users, village, county_data):
    client = as_user(users["county"])
    client.get("/reports/mpi/")
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/mpi/")
    for _ in range(5):
        factories.household(village, members=2, house_grade="D")
    assessment_run(year=2018, by=users["county"])
    with CaptureQueriesContext(connection) as many:
        client.get("/reports/mpi/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_no_run_yet_says_so(as_user, users):
    response = as_user(users["county"]).get("/reports/mpi/")
    assert response.status_code == 200
    assert "还没有正式评估结果" in response.content.decode()


def test_cadre_is_refused(as_user, users, county_data):
    assert as_user(users["cadre"]).get("/reports/mpi/").status_code == 403
