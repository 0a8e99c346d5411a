"""Reads for the printed documents: the household file (扶贫手册) and the village exit notice (退出公示).

Both start from the scoped registry selectors; the views check the named permissions first."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may
from tuopin.assessment.models import AssessmentRun, Colour, ExitCase, ExitStatus, ExitStep, RunKind
from tuopin.assessment.selectors import exit_cases, household_latest_result, result_rule_lines
from tuopin.monitoring.models import Stage
from tuopin.monitoring.selectors import notice_cases
from tuopin.policy.selectors import standards_resolve
from tuopin.regions.models import Region
from tuopin.registry import codes
from tuopin.registry.models import CodeList, Household, Person
from tuopin.registry.privacy import shown_id_number
from tuopin.registry.selectors import household_members, households_for

#: exit cases that appear on the village notice: past the villagers' review, not withdrawn or relapsed
NOTICE_STATUSES = (
    ExitStatus.REVIEWED,
    ExitStatus.NOTICE,
    ExitStatus.TOWNSHIP_CHECKED,
    ExitStatus.COUNTY_APPROVED,
    ExitStatus.EXITED,
)


def per_capita(total: Decimal | None, people: int) -> Decimal | None:
    if total is None or not people:
        return None
    return (total / people).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class IncomeYear:
    year: int
    wage: Decimal | None
    business: Decimal | None
    property: Decimal | None
    transfer: Decimal | None
    business_expense: Decimal | None
    net: Decimal | None
    per_capita: Decimal | None


def income_by_year(household: Household, people: int) -> list[IncomeYear]:
    """The household's income, one row per year, oldest first.

    The registry holds one set of income figures per household (those of ``data_year``); this is the one
    place to read yearly figures from when the registry keeps them per year — return one row per stored year
    here and the document prints them all."""
    h = household
    return [
        IncomeYear(
            h.data_year,
            h.wage_income,
            h.business_income,
            h.property_income,
            h.transfer_income,
            h.business_expense,
            h.net_income,
            per_capita(h.net_income, people),
        )
    ]


@dataclass(frozen=True)
class MemberLine:
    person: Person
    id_number: str


@dataclass(frozen=True)
class RuleLine:
    criterion: str
    title: str
    outcome: str
    passed: bool


@dataclass(frozen=True)
class StoredAssessment:
    run: AssessmentRun
    colour: str
    lines: list[RuleLine]
    all_pass: bool
    income_line: str


def latest_assessment(household: Household) -> StoredAssessment | None:
    """The household's result in the latest stored assessment (the latest year that has a run)."""
    year = AssessmentRun.objects.filter(kind=RunKind.ASSESSMENT).aggregate(y=Max("year"))["y"]
    result = household_latest_result(household=household, year=year) if year else None
    if result is None:
        return None
    lines = [RuleLine(s.criterion, s.rule, s.label, s.is_met) for s in result_rule_lines(result)]
    colour = str(Colour(result.colour).label) if result.colour in Colour.values else ""
    income_line = (result.run.standards.get("income_line") or {}).get("value") or ""
    return StoredAssessment(result.run, colour, lines, result.outcomes == 0, str(income_line))


def household_file(*, user: User, household: Household) -> dict:
    """Everything the 扶贫手册 prints. ID numbers in full only for users who may print them."""
    members = household_members(household=household)
    full_ids = may(user, "reports.print_full_id_number", household)
    lines = [MemberLine(p, shown_id_number(p.id_number, full=full_ids)) for p in members]
    head = next((p for p in members if p.is_head), None)
    return {
        "household": household,
        "head": head,
        "members": lines,
        "full_ids": full_ids,
        "incomes": income_by_year(household, len(members)),
        "assessment": latest_assessment(household),
        "exit_cases": list(exit_cases(household=household)),
    }


@dataclass(frozen=True)
class NoticeLine:
    number: int
    head_name: str
    group: str
    people: int
    main_cause: str
    per_capita: Decimal | None
    status: str


def exit_notice_years(*, user: User, village: Region) -> list[int]:
    households = households_for(user).filter(village=village).values("pk")
    years = ExitCase.objects.filter(household__in=households).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def exit_notice(*, user: User, village: Region, year: int) -> dict:
    """The village's 退出公示: households of ``year`` past the villagers' review. No ID numbers, phones or
    health: only what the notice states (head of household, group, size, main cause, per-capita income)."""

    households = households_for(user).filter(village=village)
    cases = list(
        ExitCase.objects.filter(year=year, status__in=NOTICE_STATUSES, household__in=households.values("pk"))
        .select_related("household__group")
        .annotate(people=Count("household__members"))
        .order_by("household__group__code", "household__household_no")
    )
    ids = [c.household_id for c in cases]
    heads = dict(
        Person.objects.filter(household_id__in=ids, relation="head").values_list("household_id", "name")
    )
    notice_dates = sorted(
        ExitStep.objects.filter(case__in=cases, to_status=ExitStatus.NOTICE).values_list("on_date", flat=True)
    )
    lines = [
        NoticeLine(
            number=index,
            head_name=heads.get(case.household_id, ""),
            group=case.household.group.name if case.household.group else "",
            people=case.people,
            main_cause=codes.label(CodeList.CAUSE, case.household.main_cause),
            per_capita=per_capita(case.household.net_income, case.people),
            status=str(ExitStatus(case.status).label),
        )
        for index, case in enumerate(cases, start=1)
    ]
    days = standards_resolve(year=year, region=village)["public_notice_days"].value
    return {
        "village": village,
        "year": year,
        "notice_days": int(days) if days is not None else None,
        "lines": lines,
        "households": len(lines),
        "people": sum(line.people for line in lines),
        "notice_from": notice_dates[0] if notice_dates else None,
    }


@dataclass(frozen=True)
class MonitoringNoticeLine:
    case: object
    head: str
    group: str
    matter: str
    category: str


def monitoring_notice(*, user: User, village: Region) -> dict:
    """The village's 防止返贫监测对象公示: households in a notice stage, with head of household, group, matter,
    category and notice period only — never an ID number, phone, bank account or health detail."""

    cases = list(notice_cases(user=user, village_id=village.pk).select_related("household__group"))
    heads = dict(
        Person.objects.filter(household_id__in=[c.household_id for c in cases], relation="head").values_list(
            "household_id", "name"
        )
    )
    lines = [
        MonitoringNoticeLine(
            case=case,
            head=heads.get(case.household_id, "（未登记户主）"),
            group=case.household.group.name if case.household.group else "",
            matter=(
                f"风险消除（{case.get_elimination_kind_display()}）"
                if case.stage == Stage.ELIMINATION_NOTICED
                else "纳入监测"
            ),
            category=case.get_category_display(),
        )
        for case in cases
    ]
    return {"village": village, "lines": lines}
