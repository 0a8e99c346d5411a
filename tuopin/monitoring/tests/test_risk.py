"""The risk ranking learns from the registry's history (monitoring objects, returns to poverty), is tested on a
held-out year (AUC, Brier score, reliability table) and reaches ``tuopin monitor --json``."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

from tuopin.accounts.permissions import console_actor
from tuopin.assessment.models import ExitCase, ExitStatus, ExitStep
from tuopin.monitoring.models import MonitoringCase
from tuopin.monitoring.risk import BANDS, risk_model_fit, risk_scores, validation
from tuopin.monitoring.tests import factories as f

YEARS = (2021, 2022, 2023, 2024)


def _object(household, village, year: int) -> None:
    MonitoringCase.objects.create(
        household=household,
        village=village,
        year=year,
        risk_level="high",
        stage="object",
        is_open=False,
        opened_on=datetime.date(year, 3, 1),
        due_on=datetime.date(year, 3, 16),
        identified_on=datetime.date(year, 3, 10),
        category="unstable",
    )


def _relapse(household, year: int) -> None:
    case = ExitCase.objects.create(household=household, year=year - 2, status=ExitStatus.RELAPSED)
    ExitStep.objects.create(
        case=case,
        from_status=ExitStatus.EXITED,
        to_status=ExitStatus.RELAPSED,
        on_date=datetime.date(year, 6, 1),
        by=console_actor(),
    )


@pytest.fixture
def history(village):
    """24 households: the low-income half mostly became objects (or returned to poverty) the next year."""
    poor: list[int] = []
    rich: list[int] = []
    for index in range(24):
        low = index % 2 == 0
        h = f.household(village, members=2)
        for year in YEARS:
            wage = Decimal(3000 + index * 10) if low else Decimal(40000 + index * 100)
            f.year(h, year, wage_income=wage)
            if low and (index + year) % 3 != 0:  # most (not all) poor households
                if index % 4 == 0 and year == 2023:
                    _relapse(h, year + 1)  # a return to poverty counts as well
                else:
                    _object(h, village, year + 1)
        (poor if low else rich).append(h.pk)
    return poor, rich


@pytest.mark.django_db
def test_model_ranks_poor_households_first_on_a_held_out_year(history):
    poor, _ = history
    model = risk_model_fit()
    assert model is not None
    assert model.test_year == 2024
    assert model.train_years == [2021, 2022, 2023]
    assert model.auc is not None
    assert model.auc > 0.5
    assert model.brier is not None
    assert 0 <= model.brier <= 1
    held_out = model.held_out
    assert sum(band.households for band in held_out.reliability) == held_out.households == 24
    assert sum(band.positives for band in held_out.reliability) == held_out.positives
    assert len(held_out.reliability) == len(BANDS)
    scores = risk_scores(model=model, year=2024)
    assert {s.household_id for s in scores[:12]} == set(poor)
    assert "人均纯收入与监测范围之比低" in scores[0].factors


@pytest.mark.django_db
def test_a_return_to_poverty_is_a_positive_label(history):
    poor, _ = history
    relapsed = poor[0]  # index 0: relapsed in 2024 instead of becoming an object
    assert not MonitoringCase.objects.filter(household_id=relapsed, year=2024).exists()
    model = risk_model_fit(test_year=2023)
    assert model is not None
    position = model.held_out_ids.index(relapsed)
    assert model.held_out_labels[position] == 1


@pytest.mark.django_db
def test_figures_of_one_area_cover_only_its_held_out_households(history):
    _, rich = history
    model = risk_model_fit()
    assert model is not None
    area = model.validation_for(set(rich[:5]))
    assert area.households == 5
    assert area.positives == 0
    assert area.auc is None  # one class only: no AUC, said so on the page
    assert sum(band.households for band in area.reliability) == 5
    assert model.validation_for(set()).households == 0


def test_reliability_table_counts_and_observed_shares():
    labels = np.array([0, 0, 1, 1, 1])
    probabilities = np.array([0.01, 0.07, 0.07, 0.5, 1.0])
    result = validation(labels, probabilities)
    rows = {band.label: band for band in result.reliability}
    assert rows["5%～10%"].households == 2
    assert rows["5%～10%"].observed_share == 0.5
    assert rows["60%～100%"].households == 1  # 1.0 falls in the last band
    assert rows["20%～40%"].observed_share is None
    assert result.brier == pytest.approx((0.01**2 + 0.07**2 + 0.93**2 + 0.5**2 + 0) / 5)
    assert result.auc == pytest.approx(1.0 - 0.5 / 6)  # one tie (0.07) between a positive and a negative


@pytest.mark.django_db
def test_monitor_json_reports_auc_brier_and_reliability(history):
    out = StringIO()
    call_command("monitor", "--year", "2024", "--json", stdout=out)
    model = json.loads(out.getvalue())["risk_model"]
    assert model["auc"] > 0.5
    assert 0 <= model["brier"] <= 1
    assert sum(row["households"] for row in model["reliability"]) == model["held_out_households"] == 24
    assert {"band", "mean_predicted", "observed_share", "positives"} <= set(model["reliability"][0])


@pytest.mark.django_db
def test_risk_page_shows_scoped_figures_and_chinese_factors(
    history, as_user, county_user, other_village_user
):
    page = as_user(county_user).get(reverse("monitoring:risk"))
    ranking = page.context["ranking"]
    assert ranking.validation.households == 24
    assert sum(band.households for band in ranking.validation.reliability) == 24
    text = page.content.decode()
    assert 'id="reliability"' in text
    assert "人均纯收入与监测范围之比低" in text
    assert "不决定任何事项" in text
    elsewhere = as_user(other_village_user).get(reverse("monitoring:risk")).context["ranking"]
    assert elsewhere.validation.households == 0  # another village: none of these households
    assert elsewhere.rows == []
