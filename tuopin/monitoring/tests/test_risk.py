"""The risk ranking learns from the registry's history and is tested on a held-out year."""

import datetime
from decimal import Decimal

import pytest

from tuopin.monitoring.models import MonitoringCase
from tuopin.monitoring.risk import risk_model_fit, risk_scores
from tuopin.monitoring.tests import factories as f


@pytest.mark.django_db
def test_model_ranks_poor_households_first_on_a_held_out_year(village):
    poor: list = []
    rich: list = []
    for index in range(24):
        low = index % 2 == 0
        h = f.household(village, members=2)
        for year in (2021, 2022, 2023, 2024):
            wage = Decimal(3000 + index * 10) if low else Decimal(40000 + index * 100)
            f.year(h, year, wage_income=wage)
            if low and (index + year) % 3 != 0:  # most (not all) poor households became objects the next year
                MonitoringCase.objects.create(
                    household=h,
                    village=village,
                    year=year + 1,
                    risk_level="high",
                    stage="object",
                    is_open=False,
                    opened_on=datetime.date(year + 1, 3, 1),
                    due_on=datetime.date(year + 1, 3, 16),
                    identified_on=datetime.date(year + 1, 3, 10),
                    category="unstable",
                )
        (poor if low else rich).append(h.pk)
    model = risk_model_fit()
    assert model is not None
    assert model.test_year == 2024
    assert model.train_years == [2021, 2022, 2023]
    assert model.auc is not None
    assert model.auc > 0.8
    assert model.calibration
    scores = risk_scores(model=model, year=2024)
    top = {s.household_id for s in scores[:12]}
    assert top == set(poor)
    assert "人均纯收入与监测范围之比低" in scores[0].factors
