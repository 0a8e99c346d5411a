"""The 4类重点对象 list for rural dangerous-house renovation (建村〔2017〕192号, docs/policy-facts.md §8).

Objects are chosen among 建档立卡贫困户, 低保户, 农村分散供养特困人员 and 贫困残疾人家庭 whose house is graded C or D;
households already relocated (易地扶贫搬迁) are excluded. The registry and the departments' latest lists are
combined and deduplicated by ID number: a household counts once however many sources name it, and a person in
a department's list who is not in the registry is an object of their own (keyed by ID number) when the 住建
list grades their house C or D. Everything is computed in SQL (``Exists``/``Subquery``), never per household.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, NullIf

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may
from tuopin.imports.departments import current_lists
from tuopin.imports.models import Department, DepartmentList, DepartmentRecord, MatchStatus
from tuopin.registry.models import REGISTERED_STATUSES, Household, Person
from tuopin.registry.selectors import households_for

DANGEROUS_GRADES = ("C", "D")
CATEGORIES = {
    "registered_poor": "建档立卡贫困户",
    "dibao": "低保户",
    "tekun_dispersed": "分散供养特困人员",
    "poor_disabled": "贫困残疾人家庭",
}


@dataclass
class RenovationObject:
    key: str  # 户编号, or "身份证:<ID>" for a department person outside the registry
    head_name: str
    id_number: str
    township: str
    village: str
    grade: str
    grade_source: str
    categories: list[str]
    household_id: int | None = None


@dataclass
class TownshipCount:
    township: str
    total: int = 0
    by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))


@dataclass
class RenovationList:
    objects: list[RenovationObject]
    townships: list[TownshipCount]
    total: int
    sources: dict[str, str]  # department → "file (as of)" used


def _ids(source, **filters):
    if source is None:
        return DepartmentRecord.objects.none().values("id_number")
    return source.records.exclude(status=MatchStatus.INVALID).filter(**filters).values("id_number")


def _candidates(user: User, lists: dict) -> QuerySet[Household]:
    """The user's households not relocated whose house is graded C/D (the 住建 list's grade first) and that
    are registered poor or on a 低保 / 分散特困 / 贫困残疾人 list (or flagged so in the registry)."""
    dibao = lists.get(Department.CIVIL_AFFAIRS_DIBAO)
    tekun = lists.get(Department.CIVIL_AFFAIRS_TEKUN)
    housing = lists.get(Department.HOUSING)
    dibao_ids = _ids(dibao)
    tekun_ids = _ids(tekun)
    centralized_ids = _ids(tekun, values__support_mode="centralized")
    disabled_poor_ids = _ids(lists.get(Department.DISABLED_FEDERATION), values__is_poor_family=True)
    members = Person.objects.filter(household=OuterRef("pk"))
    dept_grade = (
        DepartmentRecord.objects.filter(
            source=housing,
            id_number__in=Person.objects.filter(household=OuterRef(OuterRef("pk"))).values("id_number"),
        )
        .annotate(grade=KT("values__house_grade"))
        .order_by("-row")
        .values("grade")[:1]
        if housing is not None
        else DepartmentRecord.objects.none().values("id")[:1]
    )
    registered = Q(status__in=REGISTERED_STATUSES)
    return (
        households_for(user)
        .filter(is_relocated=False)
        .annotate(
            has_dibao=Exists(members.filter(Q(is_dibao=True) | Q(id_number__in=dibao_ids))),
            has_tekun=Exists(
                members.filter(Q(is_tekun=True) | Q(id_number__in=tekun_ids)).exclude(
                    id_number__in=centralized_ids
                )
            ),
            has_disabled=Exists(members.filter(is_disabled=True)),
            has_disabled_poor=Exists(members.filter(id_number__in=disabled_poor_ids)),
            department_grade=Subquery(dept_grade, output_field=CharField()),
        )
        .annotate(
            grade=Coalesce("department_grade", NullIf("house_grade", Value("")), output_field=CharField())
        )
        .filter(grade__in=DANGEROUS_GRADES)
        .filter(registered | Q(has_dibao=True) | Q(has_tekun=True) | Q(has_disabled_poor=True))
        .select_related("village__parent")
        .order_by("village__parent__name", "village__name", "household_no")
    )


def _categories(household: Any) -> list[str]:
    categories = []
    if household.status in REGISTERED_STATUSES:
        categories.append("registered_poor")
    if household.has_dibao:
        categories.append("dibao")
    if household.has_tekun:
        categories.append("tekun_dispersed")
    if household.has_disabled_poor or (household.has_disabled and household.status in REGISTERED_STATUSES):
        categories.append("poor_disabled")
    return categories


def _registry_objects(households: QuerySet[Household]) -> list[RenovationObject]:
    heads = Person.objects.filter(household__in=households.values("pk"), relation="head")
    names = dict(heads.values_list("household_id", "name"))
    head_ids = dict(heads.values_list("household_id", "id_number"))
    return [
        RenovationObject(
            key=household.household_no,
            head_name=names.get(household.pk, ""),
            id_number=head_ids.get(household.pk) or "",
            township=household.village.parent.name if household.village.parent else "",
            village=household.village.name,
            grade=household.grade,  # type: ignore[attr-defined]  # annotated by _candidates
            grade_source="住建名单" if household.department_grade else "登记库",  # type: ignore[attr-defined]
            categories=_categories(household),
            household_id=household.pk,
        )
        for household in households
    ]


_SOURCE_DEPARTMENTS = (
    Department.CIVIL_AFFAIRS_DIBAO,
    Department.CIVIL_AFFAIRS_TEKUN,
    Department.DISABLED_FEDERATION,
    Department.HOUSING,
)


def renovation_objects(*, user: User) -> RenovationList:
    lists = current_lists()
    objects = _registry_objects(_candidates(user, lists))
    housing = lists.get(Department.HOUSING)
    if housing is not None and may(user, "imports.view_unmatched_records"):
        objects += _outside_registry(
            housing,
            lists.get(Department.CIVIL_AFFAIRS_DIBAO),
            lists.get(Department.CIVIL_AFFAIRS_TEKUN),
            lists.get(Department.DISABLED_FEDERATION),
        )
    counts: dict[str, TownshipCount] = {}
    for item in objects:
        count = counts.setdefault(item.township, TownshipCount(item.township))
        count.total += 1
        for category in item.categories:
            count.by_category[category] += 1
    sources = {
        str(Department(name).label): f"{source.file_name}（{source.as_of:%Y-%m-%d}）"
        for name, source in lists.items()
        if name in _SOURCE_DEPARTMENTS
    }
    return RenovationList(
        objects=objects,
        townships=sorted(counts.values(), key=lambda c: c.township),
        total=len(objects),
        sources=sources,
    )


def _outside_registry(housing, dibao, tekun, disability) -> list[RenovationObject]:
    """Department people not in the registry whose house the 住建 list grades C/D, deduplicated by ID."""
    dangerous = {
        record.id_number: record
        for record in housing.records.filter(
            status=MatchStatus.UNMATCHED, values__house_grade__in=DANGEROUS_GRADES
        )
    }
    if not dangerous:
        return []
    categories: dict[str, list[str]] = {}
    places: dict[str, tuple[str, str, str]] = {}
    sources: tuple[tuple[str, DepartmentList | None, dict[str, object]], ...] = (
        ("dibao", dibao, {}),
        ("tekun_dispersed", tekun, {}),
        ("poor_disabled", disability, {"values__is_poor_family": True}),
    )
    for category, source, filters in sources:
        if source is None:
            continue
        records = source.records.filter(
            status=MatchStatus.UNMATCHED, id_number__in=list(dangerous), **filters
        )
        if category == "tekun_dispersed":
            records = records.exclude(values__support_mode="centralized")
        for record in records:
            if category not in categories.setdefault(record.id_number, []):
                categories[record.id_number].append(category)
            places.setdefault(
                record.id_number,
                (record.name, record.values.get("township", ""), record.values.get("village", "")),
            )
    result = []
    for id_number, found in sorted(categories.items()):
        record = dangerous[id_number]
        name, township, village = places[id_number]
        result.append(
            RenovationObject(
                key=f"身份证:{id_number}",
                head_name=name or record.name,
                id_number=id_number,
                township=township or record.values.get("township", "") or "（名单未写乡镇）",
                village=village or record.values.get("village", ""),
                grade=record.values.get("house_grade", ""),
                grade_source="住建名单",
                categories=found,
            )
        )
    return result
