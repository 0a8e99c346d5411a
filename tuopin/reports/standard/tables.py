"""The seven standard reports. Each starts from a jurisdiction-scoped selector (registry, assessment,
monitoring, projects, assistance, supervision), narrows to the chosen area and year, and returns a
``workbook.Report``; ID numbers and phones are shown in full only to roles that may export them."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may
from tuopin.assessment.models import ExitCase, ExitStatus
from tuopin.assistance.models import CadrePairing, Visit
from tuopin.monitoring.models import Category, RiskLevel, RiskType
from tuopin.monitoring.selectors import OBJECT_STAGES, cases_for
from tuopin.projects.models import Channel, ProjectFunding
from tuopin.projects.selectors import projects_for
from tuopin.regions.models import Region
from tuopin.registry import codes
from tuopin.registry.models import REGISTERED_STATUSES, CodeList, Household, Person, PovertyStatus, Sex
from tuopin.registry.privacy import shown_id_number, shown_phone
from tuopin.registry.selectors import households_for, persons_for
from tuopin.reports.standard.workbook import Column, Report
from tuopin.supervision.models import ProblemStatus
from tuopin.supervision.selectors import problems_for


@dataclass(frozen=True)
class Scope:
    """Who asks, for which area (None: all the user may see) and year."""

    user: User
    area: Region | None
    area_name: str
    year: int

    def households(self) -> QuerySet[Household]:
        qs = households_for(self.user)
        return qs.filter(village__path__startswith=self.area.path) if self.area else qs

    @property
    def full_personal_data(self) -> bool:
        return may(self.user, "registry.export_personal_data")


def _heads(household_ids) -> dict[int, str]:
    rows = Person.objects.filter(household_id__in=household_ids, relation="head")
    return dict(rows.values_list("household_id", "name"))


def household_list(scope: Scope) -> Report:
    households = list(
        scope.households()
        .select_related("village__parent")
        .annotate(people=Count("members"))
        .order_by("village__path", "household_no")
    )
    heads = _heads([h.pk for h in households])
    full = scope.full_personal_data
    rows = [
        [
            h.household_no,
            h.village.parent.name if h.village.parent else "",
            h.village.name,
            heads.get(h.pk, ""),
            shown_phone(h.phone, full=full),
            h.people,
            str(PovertyStatus(h.status).label) if h.status in PovertyStatus.values else h.status,
            codes.label(CodeList.CAUSE, h.main_cause),
            h.net_income,
        ]
        for h in households
    ]
    columns = [
        Column("户编号", 22),
        Column("乡镇（街道）", 14),
        Column("行政村", 14),
        Column("户主姓名", 10),
        Column("联系电话", 14),
        Column("家庭人口（人）", 10, summed=True),
        Column("脱贫状态", 10),
        Column("主要致贫原因", 14),
        Column("家庭纯收入（元）", 16, summed=True),
    ]
    notes = "" if full else "联系电话已脱敏"
    return Report("农户花名册", scope.area_name, scope.year, "户、人、元", columns, rows, notes)


def person_list(scope: Scope) -> Report:
    people = (
        persons_for(scope.user)
        .filter(household__in=scope.households().values("pk"))
        .select_related("household__village")
        .order_by("household__village__path", "household__household_no", "pk")
    )
    full = scope.full_personal_data
    rows = [
        [
            p.household.household_no,
            p.household.village.name,
            p.name,
            str(Sex(p.sex).label) if p.sex in Sex.values else p.sex,
            p.birth_date.isoformat() if p.birth_date else "",
            shown_id_number(p.id_number, full=full),
            codes.label(CodeList.RELATION, p.relation) or p.relation,
            1,
        ]
        for p in people
    ]
    columns = [
        Column("户编号", 22),
        Column("行政村", 14),
        Column("姓名", 10),
        Column("性别", 6),
        Column("出生日期", 12),
        Column("证件号码", 22),
        Column("与户主关系", 12),
        Column("人数（人）", 8, summed=True),
    ]
    notes = "" if full else "证件号码已脱敏；不含健康信息"
    return Report("贫困人口花名册", scope.area_name, scope.year, "人", columns, rows, notes, row_unit="人")


def exit_results(scope: Scope) -> Report:
    cases = (
        ExitCase.objects.filter(year=scope.year, household__in=scope.households().values("pk"))
        .values("household__village__parent__name", "household__village__name", "household__village__path")
        .annotate(
            proposed=Count("pk", distinct=True),
            exits=Count("pk", filter=Q(status=ExitStatus.EXITED), distinct=True),
            people=Count("household__members", distinct=True),
        )
        .order_by("household__village__path")
    )
    rows = [
        [
            c["household__village__parent__name"] or "",
            c["household__village__name"],
            c["proposed"],
            c["exits"],
            c["proposed"] - c["exits"],
            c["people"],
        ]
        for c in cases
    ]
    columns = [
        Column("乡镇（街道）", 14),
        Column("行政村", 14),
        Column("拟退出户数（户）", 12, summed=True),
        Column("已退出户数（户）", 12, summed=True),
        Column("未完成退出（户）", 12, summed=True),
        Column("涉及人口（人）", 12, summed=True),
    ]
    notes = "按村汇总当年退出程序中的农户"
    return Report("贫困户退出结果统计表", scope.area_name, scope.year, "户、人", columns, rows, notes, "个村")


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def monitoring_objects(scope: Scope) -> Report:
    found = (
        cases_for(scope.user)
        .filter(is_open=True, stage__in=OBJECT_STAGES, year=scope.year)
        .filter(household__in=scope.households().values("pk"))
        .select_related("household", "village")
        .annotate(people=Count("household__members"))
        .order_by("village__path", "household__household_no")
    )
    cases = list(found)
    heads = _heads([c.household_id for c in cases])
    rows = [
        [
            c.household.household_no,
            c.village.name,
            heads.get(c.household_id, ""),
            c.people,
            _label(Category, c.category),
            _label(RiskLevel, c.risk_level),
            "、".join(_label(RiskType, t) for t in c.risk_types),
            c.identified_on.isoformat() if c.identified_on else "",
        ]
        for c in cases
    ]
    columns = [
        Column("户编号", 22),
        Column("行政村", 14),
        Column("户主姓名", 10),
        Column("家庭人口（人）", 10, summed=True),
        Column("监测对象类别", 14),
        Column("风险等级", 8),
        Column("致贫返贫风险", 24),
        Column("识别认定日期", 12),
    ]
    return Report("防返贫监测对象名册", scope.area_name, scope.year, "户、人", columns, rows)


CHANNELS = list(Channel)


def investment_summary(scope: Scope) -> Report:
    projects = projects_for(scope.user).filter(year_from__lte=scope.year, year_to__gte=scope.year)
    if scope.area:
        projects = projects.filter(region__path__startswith=scope.area.path)
    by_programme: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    counts: dict[str, int] = defaultdict(int)
    order: dict[str, tuple] = {}
    for p in projects.select_related("programme"):
        counts[p.programme.name] += 1
        by_programme[p.programme.name]["investment"] += p.investment
        order[p.programme.name] = (p.programme.order, p.programme.code)
    fundings = ProjectFunding.objects.filter(project__in=projects.values("pk")).values_list(
        "project__programme__name", "channel", "amount"
    )
    for programme, channel, amount in fundings:
        by_programme[programme][channel] += amount
    rows = []
    for name in sorted(by_programme, key=lambda n: order.get(n, (0, n))):
        money = by_programme[name]
        funded = sum((money[c.value] for c in CHANNELS), Decimal(0))
        rows.append(
            [
                name,
                counts[name],
                money["investment"],
                *(money[c.value] for c in CHANNELS),
                money["investment"] - funded,
            ]
        )
    columns = [
        Column("工程（项目类别）", 24),
        Column("项目数（个）", 10, summed=True),
        Column("总投资（元）", 16, summed=True),
        *(Column(f"{c.label}（元）", 16, summed=True) for c in CHANNELS),
        Column("资金缺口（元）", 16, summed=True),
    ]
    notes = "资金缺口 = 总投资 − 已落实各来源资金"
    return Report("扶贫项目投资汇总表", scope.area_name, scope.year, "个、元", columns, rows, notes, "类")


def pairing_visits(scope: Scope) -> Report:
    households = scope.households().filter(status__in=REGISTERED_STATUSES)
    per_village = {
        row["village_id"]: row
        for row in households.values("village_id", "village__name", "village__parent__name", "village__path")
        .annotate(n=Count("pk"))
        .order_by("village__path")
    }
    paired = _count_by_village(
        CadrePairing.objects.filter(household__in=households.values("pk"), end_date__isnull=True),
        "household__village_id",
        "household_id",
    )
    visits = Visit.objects.filter(household__in=households.values("pk"), visited_on__year=scope.year)
    visited = _count_by_village(visits, "household__village_id", "household_id")
    visit_count = _count_by_village(visits, "household__village_id", "pk")
    rows = [
        [
            row["village__parent__name"] or "",
            row["village__name"],
            row["n"],
            paired.get(vid, 0),
            row["n"] - paired.get(vid, 0),
            visited.get(vid, 0),
            visit_count.get(vid, 0),
        ]
        for vid, row in per_village.items()
    ]
    columns = [
        Column("乡镇（街道）", 14),
        Column("行政村", 14),
        Column("建档立卡户（户）", 12, summed=True),
        Column("已结对户（户）", 12, summed=True),
        Column("未结对户（户）", 12, summed=True),
        Column("当年已走访户（户）", 14, summed=True),
        Column("当年走访次数（次）", 14, summed=True),
    ]
    return Report("结对帮扶与走访统计表", scope.area_name, scope.year, "户、次", columns, rows, "", "个村")


def _count_by_village(qs: QuerySet, village_field: str, counted: str) -> dict[int, int]:
    return dict(
        qs.values(village_field).annotate(n=Count(counted, distinct=True)).values_list(village_field, "n")
    )


def problem_ledger(scope: Scope) -> Report:
    problems = problems_for(scope.user).filter(inspection__held_on__year=scope.year)
    if scope.area:
        problems = problems.filter(region__path__startswith=scope.area.path)
    rows = [
        [
            p.pk,
            p.inspection.title,
            p.title,
            p.region.name if p.region else "县直单位",
            p.responsible_unit.name,
            p.responsible_person,
            p.deadline.isoformat(),
            _label(ProblemStatus, p.status),
        ]
        for p in problems.order_by("inspection__held_on", "pk")
    ]
    columns = [
        Column("编号", 8),
        Column("督查名称", 24),
        Column("问题", 32),
        Column("地区", 14),
        Column("责任单位", 18),
        Column("责任人", 10),
        Column("整改期限", 12),
        Column("整改状态", 10),
    ]
    return Report("督查问题整改台账", scope.area_name, scope.year, "件", columns, rows, "", "件")


@dataclass(frozen=True)
class Kind:
    slug: str
    name: str
    build: Callable[[Scope], Report]
    personal: bool  # holds names, ID numbers or phones: recorded in the access log


REPORTS = {
    k.slug: k
    for k in (
        Kind("households", "农户花名册", household_list, True),
        Kind("persons", "贫困人口花名册", person_list, True),
        Kind("exit-results", "贫困户退出结果统计表（按村）", exit_results, False),
        Kind("monitoring-objects", "防返贫监测对象名册", monitoring_objects, True),
        Kind("investment", "扶贫项目投资汇总表（按工程和资金来源）", investment_summary, False),
        Kind("pairing-visits", "结对帮扶与走访统计表", pairing_visits, False),
        Kind("problems", "督查问题整改台账", problem_ledger, False),
    )
}
