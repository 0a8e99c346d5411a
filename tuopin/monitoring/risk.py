"""Risk ranking for visits: a logistic regression learned from the registry's own history — which households
became monitoring objects the following year — validated on a held-out year, with the top factors of each
household. It only orders the visit list; it never decides anything (identification is the procedure).

Features of a household in data year Y are computed from that year's figures (``HouseholdYear`` and
``PersonYear``) and the previous year's; the label is whether a case of year Y+1 reached identification."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler

from tuopin.monitoring.models import MonitoringCase
from tuopin.monitoring.standards import monitoring_params
from tuopin.registry.models import HouseholdYear, PersonYear

FEATURES = (
    ("income_ratio", "人均纯收入与监测范围之比低"),
    ("income_change", "收入比上年下降"),
    ("medical_share", "医疗自付占收入比重高"),
    ("had_disaster", "遭受灾害或事故"),
    ("ill_members", "患大病成员多"),
    ("disabled_members", "残疾成员多"),
    ("labour_share", "劳动力占比低"),
    ("dibao", "享受低保"),
    ("house_unsafe", "住房为C、D级危房"),
    ("unregistered", "卡外农户"),
    ("was_object", "曾为监测对象"),
)
#: features whose *low* values mean higher risk are negated so that every factor reads "higher is riskier"
NEGATED = {"income_ratio", "income_change", "labour_share"}


def _year_features(year: int, objects_before: set[int]) -> dict[int, list[float]]:
    line = monitoring_params(year)[0].get("monitoring_line") or Decimal(1)
    prev = {r.household_id: r.net_income for r in HouseholdYear.objects.filter(year=year - 1)}
    members: dict[int, list[PersonYear]] = defaultdict(list)
    for person in PersonYear.objects.filter(year=year, is_deceased=False):
        members[person.household_id].append(person)
    rows = {}
    for record in HouseholdYear.objects.filter(year=year).select_related("household"):
        people = members.get(record.household_id, [])
        net = record.net_income or Decimal(0)
        size = max(len(people), 1)
        before = prev.get(record.household_id)
        change = float(net / before - 1) if before and before > 0 else 0.0
        medical = float((record.medical_self_paid or 0) / max(net, Decimal(1)))
        values = {
            "income_ratio": min(float(net / size / line), 5.0),
            "income_change": max(min(change, 2.0), -1.0),
            "medical_share": min(medical, 5.0),
            "had_disaster": float(record.had_disaster),
            "ill_members": float(sum(p.has_serious_disease for p in people)),
            "disabled_members": float(sum(p.is_disabled for p in people)),
            "labour_share": sum(p.labor_skill in ("ordinary", "skilled") for p in people) / size,
            "dibao": float(any(p.is_dibao for p in people)),
            "house_unsafe": float(record.house_grade in ("C", "D")),
            "unregistered": float(record.household.status == "unregistered"),
            "was_object": float(record.household_id in objects_before),
        }
        rows[record.household_id] = [(-1 if name in NEGATED else 1) * values[name] for name, _ in FEATURES]
    return rows


def _objects_by_year() -> dict[int, set[int]]:
    result: dict[int, set[int]] = defaultdict(set)
    for household_id, year in MonitoringCase.objects.filter(identified_on__isnull=False).values_list(
        "household_id", "year"
    ):
        result[year].add(household_id)
    return result


@dataclass
class RiskModel:
    scaler: StandardScaler
    model: LogisticRegression
    train_years: list[int]
    test_year: int
    auc: float | None
    brier: float | None
    calibration: list[tuple[float, float]]
    positives: int

    def as_json(self) -> dict:
        return {
            "train_years": self.train_years,
            "held_out_year": self.test_year,
            "held_out_auc": None if self.auc is None else round(self.auc, 3),
            "held_out_brier": None if self.brier is None else round(self.brier, 4),
            "calibration": [{"predicted": round(p, 3), "observed": round(o, 3)} for p, o in self.calibration],
            "training_positives": self.positives,
            "coefficients": {
                name: round(float(c), 3) for (name, _), c in zip(FEATURES, self.model.coef_[0], strict=True)
            },
        }


def _dataset(years: list[int], objects: dict[int, set[int]]):
    x, y, ids = [], [], []
    for year in years:
        before = set().union(*(objects[v] for v in objects if v <= year))
        for household_id, features in _year_features(year, before).items():
            x.append(features)
            y.append(int(household_id in objects.get(year + 1, set())))
            ids.append(household_id)
    return np.array(x, dtype=float), np.array(y), ids


def risk_model_fit(*, test_year: int | None = None) -> RiskModel | None:
    """Fit on every labelled year before ``test_year`` (default: the last labelled year), test on it."""
    objects = _objects_by_year()
    labelled = sorted(year - 1 for year in objects if HouseholdYear.objects.filter(year=year - 1).exists())
    if len(labelled) < 2:
        return None
    test_year = test_year or labelled[-1]
    train_years = [year for year in labelled if year < test_year]
    x, y, _ = _dataset(train_years, objects)
    if len(set(y)) < 2:
        return None
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(max_iter=1000).fit(scaler.transform(x), y)
    tx, ty, _ = _dataset([test_year], objects)
    probabilities = model.predict_proba(scaler.transform(tx))[:, 1] if len(tx) else np.array([])
    auc = float(roc_auc_score(ty, probabilities)) if len(set(ty)) == 2 else None
    brier = float(brier_score_loss(ty, probabilities)) if len(ty) else None
    calibration = []
    if auc is not None:
        observed, predicted = calibration_curve(ty, probabilities, n_bins=5, strategy="quantile")
        calibration = list(zip(predicted.tolist(), observed.tolist(), strict=True))
    return RiskModel(scaler, model, train_years, test_year, auc, brier, calibration, int(y.sum()))


@dataclass(frozen=True)
class RiskScore:
    household_id: int
    probability: float
    factors: list[str]


def risk_scores(*, model: RiskModel, year: int, household_ids: set[int] | None = None) -> list[RiskScore]:
    """Every household's predicted risk for the year after ``year`` with its top three factors, highest first."""
    objects = _objects_by_year()
    before = set().union(*(objects[v] for v in objects if v <= year)) if objects else set()
    rows = _year_features(year, before)
    if household_ids is not None:
        rows = {pk: value for pk, value in rows.items() if pk in household_ids}
    if not rows:
        return []
    ids = list(rows)
    scaled = model.scaler.transform(np.array([rows[pk] for pk in ids], dtype=float))
    probabilities = model.model.predict_proba(scaled)[:, 1]
    contributions = scaled * model.model.coef_[0]
    result = []
    for index, pk in enumerate(ids):
        order = np.argsort(-contributions[index])[:3]
        factors = [FEATURES[i][1] for i in order if contributions[index][i] > 0]
        result.append(RiskScore(pk, float(probabilities[index]), factors))
    return sorted(result, key=lambda s: (-s.probability, s.household_id))


_CACHE: dict[tuple, RiskModel | None] = {}


def risk_model_cached() -> RiskModel | None:
    """The fitted model, refitted only when the history (cases, yearly records) changed."""
    key = (
        MonitoringCase.objects.filter(identified_on__isnull=False).count(),
        HouseholdYear.objects.count(),
    )
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = risk_model_fit()
    return _CACHE[key]
