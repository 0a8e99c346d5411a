"""Risk ranking for visits: a logistic regression learned from the registry's own history — which households
became monitoring objects (or returned to poverty) the following year — validated on a held-out year (AUC, Brier
score, a reliability table), with the top factors of each household. It only orders the visit list; it never decides anything (identification is the procedure).

Features of a household in data year Y are computed from that year's figures (``HouseholdYear`` and
``PersonYear``) and the previous year's; the label is whether a case of year Y+1 reached
identification or the household returned to poverty (返贫) in Y+1."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Count, Max
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler

from tuopin.assessment.models import ExitStatus, ExitStep
from tuopin.monitoring.elimination import LABOUR_CODES
from tuopin.monitoring.models import MonitoringCase
from tuopin.monitoring.standards import monitoring_params
from tuopin.registry.models import HouseholdYear, PersonYear, PovertyStatus

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
    ("outside_registry", "卡外农户"),
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
            "labour_share": sum(p.labor_skill in LABOUR_CODES for p in people) / size,
            "dibao": float(any(p.is_dibao for p in people)),
            "house_unsafe": float(record.house_grade in ("C", "D")),
            "outside_registry": float(record.household.status == PovertyStatus.UNREGISTERED),
            "was_object": float(record.household_id in objects_before),
        }
        rows[record.household_id] = [(-1 if name in NEGATED else 1) * values[name] for name, _ in FEATURES]
    return rows


def _objects_by_year() -> dict[int, set[int]]:
    """The households that became monitoring objects (a case of the year reached identification) or returned
    to poverty (返贫, a step of the exit procedure) in each year."""
    result: dict[int, set[int]] = defaultdict(set)
    for household_id, year in MonitoringCase.objects.filter(identified_on__isnull=False).values_list(
        "household_id", "year"
    ):
        result[year].add(household_id)
    relapses = ExitStep.objects.filter(to_status=ExitStatus.RELAPSED).values_list(
        "case__household_id", "on_date"
    )
    for household_id, on_date in relapses:
        result[on_date.year].add(household_id)
    return result


#: predicted-probability bands of the reliability table (lower bound inclusive, upper exclusive; the last
#: band includes 1)
BANDS = ((0.0, 0.05), (0.05, 0.1), (0.1, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 1.0))


@dataclass(frozen=True)
class Band:
    """One row of the reliability table: households whose predicted risk lies in ``[low, high)``, the mean
    predicted risk and the share that really became monitoring objects (or returned to poverty)."""

    low: float
    high: float
    households: int
    mean_predicted: float | None
    positives: int

    @property
    def label(self) -> str:
        return f"{self.low * 100:g}%～{self.high * 100:g}%"

    @property
    def observed_share(self) -> float | None:
        return self.positives / self.households if self.households else None

    def as_json(self) -> dict:
        return {
            "band": self.label,
            "low": self.low,
            "high": self.high,
            "households": self.households,
            "mean_predicted": None if self.mean_predicted is None else round(self.mean_predicted, 4),
            "positives": self.positives,
            "observed_share": None if self.observed_share is None else round(self.observed_share, 4),
        }


@dataclass(frozen=True)
class Validation:
    """The model's figures on the held-out year (for the whole county or the households of one area):
    AUC (None when the held-out households hold only one class), Brier score and the reliability table."""

    households: int
    positives: int
    auc: float | None
    brier: float | None
    reliability: list[Band]

    def as_json(self) -> dict:
        return {
            "auc": None if self.auc is None else round(self.auc, 3),
            "brier": None if self.brier is None else round(self.brier, 4),
            "reliability": [band.as_json() for band in self.reliability],
            "held_out_households": self.households,
            "held_out_positives": self.positives,
        }


def validation(labels: np.ndarray, probabilities: np.ndarray) -> Validation:
    """AUC, Brier score and the reliability table of ``probabilities`` against the observed ``labels``."""
    count = len(labels)
    auc = float(roc_auc_score(labels, probabilities)) if len(set(labels.tolist())) == 2 else None
    brier = float(brier_score_loss(labels, probabilities, pos_label=1)) if count else None
    bands = []
    for index, (low, high) in enumerate(BANDS):
        last = index == len(BANDS) - 1
        inside = (probabilities >= low) & ((probabilities <= high) if last else (probabilities < high))
        n = int(inside.sum())
        mean = float(probabilities[inside].mean()) if n else None
        bands.append(Band(low, high, n, mean, int(labels[inside].sum())))
    return Validation(count, int(labels.sum()), auc, brier, bands)


@dataclass
class RiskModel:
    scaler: StandardScaler
    model: LogisticRegression
    train_years: list[int]
    test_year: int
    positives: int
    #: the held-out year's households, their predicted risk and what happened (1: object or returned to poverty)
    held_out_ids: list[int]
    held_out_probabilities: np.ndarray
    held_out_labels: np.ndarray

    @property
    def held_out(self) -> Validation:
        return validation(self.held_out_labels, self.held_out_probabilities)

    @property
    def auc(self) -> float | None:
        return self.held_out.auc

    @property
    def brier(self) -> float | None:
        return self.held_out.brier

    def validation_for(self, household_ids: set[int]) -> Validation:
        """The held-out figures over the households of one area only (the model is the county's)."""
        keep = np.array([pk in household_ids for pk in self.held_out_ids], dtype=bool)
        return validation(self.held_out_labels[keep], self.held_out_probabilities[keep])

    def coefficients(self) -> list[tuple[str, float]]:
        """Each factor (Chinese) with its coefficient on the standardised feature, largest effect first."""
        pairs = [(label, float(c)) for (_, label), c in zip(FEATURES, self.model.coef_[0], strict=True)]
        return sorted(pairs, key=lambda pair: -abs(pair[1]))

    def as_json(self) -> dict:
        held_out = self.held_out
        return {
            "train_years": self.train_years,
            "held_out_year": self.test_year,
            "held_out_auc": None if held_out.auc is None else round(held_out.auc, 3),
            **held_out.as_json(),
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
    return np.array(x, dtype=float), np.array(y, dtype=int), ids


def risk_model_fit(*, test_year: int | None = None) -> RiskModel | None:
    """Fit on every labelled year before ``test_year`` (default: the last labelled year), test on it."""
    objects = _objects_by_year()
    labelled = sorted(year - 1 for year in objects if HouseholdYear.objects.filter(year=year - 1).exists())
    if len(labelled) < 2:
        return None
    test_year = test_year or labelled[-1]
    train_years = [year for year in labelled if year < test_year]
    x, y, _ = _dataset(train_years, objects)
    if len(set(y.tolist())) < 2:
        return None
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(max_iter=1000).fit(scaler.transform(x), y)
    tx, ty, ids = _dataset([test_year], objects)
    probabilities = model.predict_proba(scaler.transform(tx))[:, 1] if len(tx) else np.array([])
    return RiskModel(scaler, model, train_years, test_year, int(y.sum()), ids, probabilities, ty)


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
_SCORES: dict[tuple[int, int], list[RiskScore]] = {}


def risk_model_cached() -> RiskModel | None:
    """The fitted model, refitted only when the history (cases, returns to poverty, yearly records: how many
    and the latest change) changed."""
    years = HouseholdYear.objects.aggregate(n=Count("pk"), latest=Max("recorded_at"))
    key = (
        MonitoringCase.objects.filter(identified_on__isnull=False).count(),
        ExitStep.objects.filter(to_status=ExitStatus.RELAPSED).count(),
        years["n"],
        years["latest"],
    )
    if key not in _CACHE:
        _CACHE.clear()
        _SCORES.clear()
        _CACHE[key] = risk_model_fit()
    return _CACHE[key]


def risk_scores_cached(*, model: RiskModel, year: int) -> list[RiskScore]:
    """Every household's score for ``year`` under the cached model (recomputed when the model is refitted)."""
    key = (id(model), year)
    if key not in _SCORES:
        _SCORES[key] = risk_scores(model=model, year=year)
    return _SCORES[key]
