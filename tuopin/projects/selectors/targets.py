"""The plan's targets against their actuals for a year: computed from the registry where a target names a
metric, otherwise the figures the responsible units recorded."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.projects.models import Direction, Plan, Target, TargetActual
from tuopin.projects.selectors.metrics import METRICS, MetricTable, metric_table
from tuopin.projects.selectors.projects import regions_for
from tuopin.regions.models import Level, Region

ZERO = Decimal(0)
RECORDED = "责任单位填报"


def completion_rate(goal: Decimal | None, actual: Decimal | None, direction: str) -> Decimal | None:
    """完成率 in percent, or None when it means nothing: no actual, no goal, a goal of 0, or an upper limit
    (零辍学: see ``limit_met``)."""
    if actual is None or goal is None or direction == Direction.AT_MOST or goal == 0:
        return None
    return (actual * 100 / goal).quantize(Decimal("0.1"))


@dataclass
class TargetProgress:
    target: Target
    source: str
    actual: Decimal | None
    by_township: dict[int, Decimal | None]
    township_targets: dict[int, Decimal]
    goal: Decimal | None  # the part of the target that applies to the user's area (None: not broken down)

    @property
    def rate(self) -> Decimal | None:
        return completion_rate(self.goal, self.actual, self.target.direction)

    @property
    def limit_met(self) -> bool | None:
        """For an upper limit (不高于): whether the actual stays at or below it (None: not comparable)."""
        if not self.target.is_upper_limit or self.goal is None or self.actual is None:
            return None
        return self.actual <= self.goal

    def township_rate(self, township_id: int) -> Decimal | None:
        goal = self.township_targets.get(township_id)
        return completion_rate(goal, self.by_township.get(township_id), self.target.direction)


def _recorded(user: User, targets: list[Target], year: int) -> dict[int, dict[int, Decimal]]:
    """target id → region id → the value the responsible unit recorded, within the user's area."""
    scope = scope_for(user)
    rows = TargetActual.objects.filter(target__in=targets, year=year).select_related("region")
    if scope.region_path is None:
        rows = rows.none()
    elif not scope.everything and scope.region_path:
        rows = rows.filter(region__path__startswith=scope.region_path)
    recorded: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        recorded[row.target_id][row.region_id] = row.value
    return recorded


def _recorded_actual(values: dict[int, Decimal], county_ids: set[int]) -> Decimal | None:
    """The county's own figure when recorded, otherwise the sum of the townships' (None: nothing recorded)."""
    county_value = next((v for k, v in values.items() if k in county_ids), None)
    if county_value is not None:
        return county_value
    township_values = [v for k, v in values.items() if k not in county_ids]
    return sum(township_values, ZERO) if township_values else None


def _is_whole_county(user: User) -> bool:
    scope = scope_for(user)
    return (
        scope.everything
        or scope.region_path == ""
        or (user.region is not None and user.region.level == Level.COUNTY)
    )


@dataclass(frozen=True)
class _Sources:
    townships: list[Region]
    metrics: MetricTable
    recorded: dict[int, dict[int, Decimal]]
    county_ids: set[int]
    whole_county: bool


def _progress(target: Target, sources: _Sources) -> TargetProgress:
    townships = sources.townships
    township_targets = {
        part.region_id: part.value for part in target.parts.all() if part.region_id is not None
    }
    by_township: dict[int, Decimal | None]
    if target.metric:
        metric = sources.metrics.get(target.metric, {})
        by_township = {t.pk: metric.get(t.pk, ZERO) for t in townships}
        actual: Decimal | None = metric.get(None, ZERO)
        source = METRICS.get(target.metric, target.metric)
    else:
        values = sources.recorded.get(target.pk, {})
        by_township = {t.pk: values.get(t.pk) for t in townships}
        actual = _recorded_actual(values, sources.county_ids)
        source = RECORDED
    if sources.whole_county:
        goal: Decimal | None = target.value
    elif len(townships) == 1 and townships[0].pk in township_targets:
        goal = township_targets[townships[0].pk]
    else:
        goal = None  # a county-wide target is not compared with one township's figure
    return TargetProgress(target, source, actual, by_township, township_targets, goal)


def target_progress(*, user: User, plan: Plan, year: int) -> tuple[list[TargetProgress], list[Region]]:
    """Each target of the plan with its actual for the year: computed from the registry where the target
    names a metric, otherwise the figures the responsible units recorded (summed over townships)."""
    targets = list(
        plan.targets.filter(parent__isnull=True, year_from__lte=year, year_to__gte=year)
        .select_related("programme", "figure")
        .prefetch_related("parts__region")
        .order_by("programme__order", "id")
    )
    sources = _Sources(
        townships=list(regions_for(user, level=Level.TOWNSHIP)),
        metrics=metric_table(user=user, year=year) if any(t.metric for t in targets) else {},
        recorded=_recorded(user, targets, year),
        county_ids=set(Region.objects.filter(level=Level.COUNTY).values_list("pk", flat=True)),
        whole_county=_is_whole_county(user),
    )
    return [_progress(target, sources) for target in targets], sources.townships
