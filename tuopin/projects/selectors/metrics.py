"""The registry metrics the plan's targets name (当年脱贫户数, 义务教育阶段在校生 …), computed for a year over
the user's households and people, by township (``None`` = the whole scope)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.projects.models import ProjectStatus
from tuopin.regions.models import Level, Region
from tuopin.registry.models import NOT_EXITED_STATUSES, REGISTERED_STATUSES, Household, PovertyStatus
from tuopin.registry.selectors import households_for, persons_for

ZERO = Decimal(0)
CENT = Decimal("0.01")

COMPULSORY = ("primary", "grade7", "grade8", "grade9")
SENIOR = ("senior1", "senior2", "senior3")
SECONDARY_VOCATIONAL = (
    "secondary_vocational1",
    "secondary_vocational2",
    "secondary_vocational3",
    "technician1",
    "technician2",
    "technician3",
    "technician4",
)
HIGHER = (
    "higher_vocational1",
    "higher_vocational2",
    "higher_vocational3",
    "college_plus",
    "undergraduate1",
    "undergraduate2",
    "undergraduate3",
    "undergraduate4",
    "undergraduate5",
    "postgraduate",
)
IN_PROVINCE = "in_province"
OUT_OF_PROVINCE = "out_of_province"
IN_COUNTY = ("in_township", "in_county")
EMPLOYED = (*IN_COUNTY, IN_PROVINCE, OUT_OF_PROVINCE)
#: the programme whose completed projects count as renovated houses
HOUSING = "housing"

# metric → what the registry computation counts (shown as the source of the actual figure)
METRICS = {
    "exited_households": "登记数据：当年脱贫户数",
    "exited_people": "登记数据：当年脱贫人数",
    "exited_villages": "区划数据：当年出列贫困村数",
    "relocated_households": "登记数据：当年易地扶贫搬迁户数",
    "renovated_households": "项目数据：当年完工的危房改造项目受益户数",
    "students_compulsory": "登记数据：义务教育阶段在校生",
    "students_senior": "登记数据：高中在校生",
    "students_secondary_vocational": "登记数据：中职（含技师学院）在校生",
    "students_higher": "登记数据：高职、大专及以上在校生",
    "insured_rate": "登记数据：参加基本医保人数占比（%）",
    "employed_people": "登记数据：务工人数",
    "employed_in_county": "登记数据：县内务工人数",
    "employed_in_province": "登记数据：县外省内务工人数",
    "employed_out_of_province": "登记数据：省外务工人数",
    "dibao_people": "登记数据：享受低保人数",
    "tekun_people": "登记数据：特困供养人数",
    "returned_farmland_area": "登记数据：退耕还林面积（亩）",
    "returned_farmland_households": "登记数据：有退耕还林的户数",
}

PERSON_METRICS = {
    "students_compulsory": Q(schooling__in=COMPULSORY),
    "students_senior": Q(schooling__in=SENIOR),
    "students_secondary_vocational": Q(schooling__in=SECONDARY_VOCATIONAL),
    "students_higher": Q(schooling__in=HIGHER),
    "employed_people": Q(work_status__in=EMPLOYED),
    "employed_in_county": Q(work_status__in=IN_COUNTY),
    "employed_in_province": Q(work_status=IN_PROVINCE),
    "employed_out_of_province": Q(work_status=OUT_OF_PROVINCE),
    "dibao_people": Q(is_dibao=True),
    "tekun_people": Q(is_tekun=True),
}
HOUSEHOLD_METRICS = (
    "exited_households",
    "relocated_households",
    "returned_farmland_area",
    "returned_farmland_households",
)

MetricTable = dict[str, dict[int | None, Decimal]]


def _village_townships() -> dict[int, int]:
    """village id → township id, for grouping registry counts by township (villages are few)."""
    townships = {r.path: r.pk for r in Region.objects.filter(level=Level.TOWNSHIP)}
    result = {}
    for pk, path in Region.objects.filter(level__gte=Level.VILLAGE).values_list("pk", "path"):
        for tpath, tid in townships.items():
            if path.startswith(tpath):
                result[pk] = tid
                break
    return result


class _Table:
    """Values summed by township of the village they were counted in, and over the whole scope."""

    def __init__(self) -> None:
        self.townships = _village_townships()
        self.values: dict[str, dict[int | None, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))

    def add(self, metric: str, village_id: int, value: object) -> None:
        number = Decimal(str(value or 0))
        self.values[metric][self.townships.get(village_id)] += number
        self.values[metric][None] += number


def _household_metrics(table: _Table, households: QuerySet[Household], year: int) -> None:
    rows = households.values("village_id").annotate(
        exited_households=Count("id", filter=Q(status=PovertyStatus.EXITED, exit_year=year)),
        relocated_households=Count("id", filter=Q(is_relocated=True, relocation_year=year)),
        returned_farmland_area=Sum("returned_farmland", filter=Q(data_year=year)),
        returned_farmland_households=Count("id", filter=Q(data_year=year, returned_farmland__gt=0)),
    )
    for row in rows:
        for metric in HOUSEHOLD_METRICS:
            table.add(metric, row["village_id"], row[metric])  # type: ignore[literal-required]  # keys above
    area = table.values["returned_farmland_area"]
    for key, value in area.items():
        area[key] = value.quantize(CENT)
    renovated = (
        households.filter(
            projects__programme__code=HOUSING,
            projects__status__in=(ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED),
            projects__year_to=year,
        )
        .values("village_id")
        .annotate(n=Count("id", distinct=True))
    )
    for renovated_row in renovated:
        table.add("renovated_households", renovated_row["village_id"], renovated_row["n"])


def _person_metrics(table: _Table, user: User, year: int) -> None:
    people = persons_for(user).filter(household__status__in=REGISTERED_STATUSES)
    exited_people = Q(household__status=PovertyStatus.EXITED, household__exit_year=year)
    # the plan's person targets (转移就业 325人, 低保 292人 …) concern the people still to be lifted out of
    # poverty in the year, not every household ever registered: households exited in an earlier year are
    # not counted (counting them compared the whole registered stock with the year's cohort: 22900 %)
    cohort = Q(household__status__in=NOT_EXITED_STATUSES) | Q(
        household__status=PovertyStatus.EXITED, household__exit_year__gte=year
    )
    current = Q(household__data_year=year) & cohort
    rows = people.values("household__village_id").annotate(
        exited_people=Count("id", filter=exited_people),
        persons=Count("id", filter=current),
        insured=Count("id", filter=current & Q(has_medical_insurance=True)),
        **{metric: Count("id", filter=current & condition) for metric, condition in PERSON_METRICS.items()},
    )
    insured_totals: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        village_id = row["household__village_id"]
        table.add("exited_people", village_id, row["exited_people"])
        for metric in PERSON_METRICS:
            table.add(metric, village_id, row[metric])  # type: ignore[literal-required]  # annotated above
        for key in (table.townships.get(village_id), None):
            insured_totals[key][0] += row["persons"]
            insured_totals[key][1] += row["insured"]
    table.values["insured_rate"] = {
        key: (Decimal(insured) * 100 / Decimal(n)).quantize(CENT)
        for key, (n, insured) in insured_totals.items()
        if n
    }


def _exited_villages(table: _Table, user: User, year: int) -> None:
    scope = scope_for(user)
    villages = Region.objects.filter(level=Level.VILLAGE, is_poor_village=True, poor_village_exit_year=year)
    if scope.region_path is None:
        villages = villages.none()
    elif not scope.everything and scope.region_path:
        villages = villages.filter(path__startswith=scope.region_path)
    for pk in villages.values_list("pk", flat=True):
        table.add("exited_villages", pk, 1)


def metric_table(*, user: User, year: int) -> MetricTable:
    """Every registry metric for a year, by township id (None = the whole scope): one GROUP BY village over
    the user's households and one over their people, with conditional counts (set-based)."""
    table = _Table()
    _household_metrics(table, households_for(user).filter(status__in=REGISTERED_STATUSES), year)
    _person_metrics(table, user, year)
    _exited_villages(table, user, year)
    return {metric: dict(values) for metric, values in table.values.items()}


def metric_values(*, user: User, metric: str, year: int) -> dict[int | None, Decimal]:
    """One registry metric for a year, by township id (None = the whole scope)."""
    return metric_table(user=user, year=year).get(metric, {})
