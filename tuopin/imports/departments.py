"""Other departments' lists as versioned sources: import (kept as received), matching to registry people by ID
number, the differences per village, and accepting a department's value into the registry.

Matching is set-based: one ``IN`` query per 5,000 ID numbers, statuses written with ``bulk_create``/``update``.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may, require
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.imports.files import read_upload
from tuopin.imports.models import Department, DepartmentList, DepartmentRecord, MatchStatus
from tuopin.imports.parsing.departments import IN_SCHOOL_EXCLUDED, DepartmentRow, compare, read_department
from tuopin.imports.parsing.reader import UnreadableFileError
from tuopin.imports.services import code_map
from tuopin.registry import codes
from tuopin.registry import services as registry_services
from tuopin.registry.identity import IdNumberError, check_id_number, normalise_id_number
from tuopin.registry.models import Household, Person
from tuopin.registry.selectors import persons_for

CHUNK = 5000
PERSON_FIELDS = (
    "is_dibao",
    "is_tekun",
    "is_disabled",
    "disability_category",
    "has_medical_insurance",
    "schooling",
)
# For "registry says yes, department list lacks the person": the registry flag each presence list confirms.
PRESENCE_FLAGS: dict[str, tuple[str, str]] = {
    Department.CIVIL_AFFAIRS_DIBAO: ("is_dibao", "享受低保"),
    Department.CIVIL_AFFAIRS_TEKUN: ("is_tekun", "特困供养人员"),
    Department.DISABLED_FEDERATION: ("is_disabled", "残疾"),
}


def _check_may_load(user: User) -> None:
    require(user, "imports.load_department_list")


def current_lists() -> dict[str, DepartmentList]:
    """The latest list of each department (by data date, then upload order)."""
    latest: dict[str, DepartmentList] = {}
    for item in DepartmentList.objects.order_by("department", "-as_of", "-id"):
        latest.setdefault(item.department, item)
    return latest


def _people_by_id(ids: list[str]) -> dict[str, dict]:
    """Registry people by ID number, with the date their record (and their household's) was last edited."""
    found: dict[str, dict] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = Person.objects.filter(id_number__in=chunk).values(
            "pk", "id_number", "household_id", "household__house_grade", *PERSON_FIELDS
        )
        edited = dict(
            Person.history.filter(id_number__in=chunk, history_type="~")
            .values("id")
            .annotate(last=Max("history_date"))
            .values_list("id", "last")
        )
        rows = list(rows)
        household_edited = dict(
            Household.history.filter(id__in={row["household_id"] for row in rows}, history_type="~")
            .values("id")
            .annotate(last=Max("history_date"))
            .values_list("id", "last")
        )
        for row in rows:
            row["household.house_grade"] = row.pop("household__house_grade") or None
            row["edited_at"] = edited.get(row["pk"])
            row["household_edited_at"] = household_edited.get(row["household_id"])
            found[row["id_number"]] = row
    return found


def _status(
    department: str, values: dict, person: dict | None, as_of: datetime.date
) -> tuple[MatchStatus, list]:
    if person is None:
        return MatchStatus.UNMATCHED, []
    differences = compare(department, values, person)
    if not differences:
        return MatchStatus.MATCHED, []
    # Stale: the registry was edited after the department's list was drawn up (creation does not count).
    changed = person["household_edited_at"] if department == "housing" else person["edited_at"]
    status = MatchStatus.STALE if changed and timezone.localdate(changed) > as_of else MatchStatus.CONFLICTING
    return status, [
        {"field": d.field, "label": d.label, "registry": _json(d.registry), "department": _json(d.department)}
        for d in differences
    ]


def _id_problem(number: str) -> str:
    if not number:
        return "缺少证件号码"
    try:
        check_id_number(number)
    except IdNumberError as error:
        return str(error)
    return ""


def _json(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def _records(
    source: DepartmentList, department: str, rows: list[DepartmentRow], as_of: datetime.date
) -> list[DepartmentRecord]:
    """Each row of a department's list as a record, matched to the registry by ID number."""
    for row in rows:  # the registry's own spelling of an ID number (full-width digits, spaces, lowercase x)
        row.id_number = normalise_id_number(row.id_number)
    people = _people_by_id(sorted({row.id_number for row in rows if row.id_number}))
    records = []
    for row in rows:
        message = _id_problem(row.id_number)
        values = {key: _json(value) for key, value in row.values.items()}
        if message:
            status, differences = (
                MatchStatus.INVALID,
                [{"field": "id_number", "label": "证件号码", "problem": message}],
            )
            person = None
        else:
            person = people.get(row.id_number)
            status, differences = _status(department, row.values, person, as_of)
        if row.problems:
            differences.append({"field": "", "label": "读取", "problem": "；".join(row.problems)})
        records.append(
            DepartmentRecord(
                source=source,
                row=row.row,
                raw=row.raw,
                id_number=row.id_number[:20],
                name=row.name[:50],
                values=values,
                person_id=person["pk"] if person else None,
                status=status,
                differences=differences,
            )
        )
    return records


@transaction.atomic
def department_list_import(
    *, user: User, department: str, as_of: datetime.date, file_name: str, content: bytes
) -> DepartmentList:
    """Keep a department's list as received and match every record to the registry by ID number.

    A record is ``matched`` (agrees), ``conflicting`` (disagrees), ``stale`` (disagrees, but the registry
    record was changed after the list's date, or a newer list of the department has arrived), ``unmatched``
    (no such person in the registry) or ``invalid`` (the ID number itself is wrong)."""
    _check_may_load(user)
    if department not in Department.values:
        raise ApplicationError("请选择来源部门", field="department")
    try:
        table = read_upload(content, file_name)
        headers, rows = read_department(table, department, code_map)
    except UnreadableFileError as problem:
        raise ApplicationError(problem.message, field="file") from problem
    if not rows:
        raise ApplicationError("名单中没有数据行", field="file")
    source = DepartmentList.objects.create(
        department=department,
        as_of=as_of,
        file_name=file_name[:200],
        headers=headers,
        uploaded_by=user,
        record_count=len(rows),
    )
    records = _records(source, department, rows, as_of)
    DepartmentRecord.objects.bulk_create(records, batch_size=2000)
    latest = current_lists()[department]
    DepartmentRecord.objects.filter(source__department=department).exclude(source=latest).exclude(
        status__in=(MatchStatus.UNMATCHED, MatchStatus.INVALID)
    ).update(status=MatchStatus.STALE)
    return source


@transaction.atomic
def department_record_accept(*, record: DepartmentRecord, by: User) -> None:
    """Write the department's values of one conflicting record into the registry (through the registry's own
    services, so jurisdiction, validation and the history row apply)."""
    if record.status not in (MatchStatus.CONFLICTING, MatchStatus.STALE) or record.person_id is None:
        raise ApplicationError("该记录与登记库一致或未匹配到人员，无需采纳")
    if record.source_id != current_lists()[record.source.department].pk:
        raise ApplicationError("该名单已有更新的版本，请采纳最新名单中的记录")
    person = persons_for(by).filter(pk=record.person_id).select_related("household__village").first()
    if person is None:
        raise PermissionDeniedError("该人员不在您的辖区内")
    require(by, "imports.accept_difference", person)
    person_data, household_data = {}, {}
    for difference in record.differences:
        name = difference.get("field", "")
        if name.startswith("household."):
            household_data[name.split(".", 1)[1]] = difference["department"]
        elif name in PERSON_FIELDS:
            value = difference["department"]
            if name == "schooling" and value == "在校":
                raise ApplicationError("教育部门名单未写明年级，请在成员信息中手工填写在校生状况")
            person_data[name] = value
    if person_data.get("schooling"):
        person_data["education"] = ""
    if person_data.get("disability_category") or person_data.get("is_disabled"):
        person_data["is_disabled"] = True
        person_data["is_healthy"] = False
    # not an edit from a form: the values are applied to the record as it is now (its current version)
    if person_data:
        registry_services.person_update(person=person, by=by, data=person_data, version=person.version)
    if household_data:
        household = person.household
        registry_services.household_update(
            household=household, by=by, data=household_data, version=household.version
        )
    record.status = MatchStatus.MATCHED
    record.accepted_at = timezone.now()
    record.accepted_by = by
    record.save(update_fields=["status", "accepted_at", "accepted_by"])


@transaction.atomic
def registry_flag_withdraw(*, person: Person, department: str, by: User) -> None:
    """The department's latest list lacks a person the registry marks (e.g. 享受低保): accept the department's
    view and clear the registry flag (history recorded by the registry service)."""
    require(by, "imports.accept_difference", person)
    flag, _ = PRESENCE_FLAGS[department]
    data: dict[str, object] = {flag: False}
    if flag == "is_disabled":
        data["disability_category"] = ""
        if not (person.has_chronic_disease or person.has_serious_disease):
            data["is_healthy"] = True
    registry_services.person_update(person=person, by=by, data=data, version=person.version)


# --- reads --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DifferenceRow:
    kind: str  # "conflict" | "missing" | "unmatched"
    department: str
    department_label: str
    person: Person | None
    record: DepartmentRecord | None
    sentence: str


def _village_filter(qs: QuerySet[Person], village_path: str | None) -> QuerySet[Person]:
    return qs.filter(household__village__path__startswith=village_path) if village_path else qs


def department_differences(*, user: User, village_path: str | None = None) -> list[DifferenceRow]:
    """Where the latest department lists and the registry disagree, for the people the user may see."""
    lists = current_lists()
    visible = _village_filter(persons_for(user), village_path)
    rows: list[DifferenceRow] = []
    for department, source in lists.items():
        label = str(Department(department).label)
        records = (
            source.records.filter(status__in=(MatchStatus.CONFLICTING, MatchStatus.STALE), person__in=visible)
            .select_related("person__household__village")
            .order_by("person__household__household_no", "row")
        )
        for record in records:
            parts = [
                f"{d['label']}：登记库为“{_show(d['registry'])}”，{label}为“{_show(d['department'])}”"
                for d in record.differences
                if "registry" in d
            ]
            rows.append(DifferenceRow("conflict", department, label, record.person, record, "；".join(parts)))
        if department in PRESENCE_FLAGS:
            flag, flag_label = PRESENCE_FLAGS[department]
            listed = source.records.values("id_number")
            missing = (
                visible.filter(**{flag: True})
                .exclude(id_number__in=listed)
                .select_related("household__village")
                .order_by("household__household_no", "pk")
            )
            for person in missing:
                sentence = f"登记库标为“{flag_label}”，但{label}名单（{source.as_of:%Y-%m-%d}）中没有此人"
                rows.append(DifferenceRow("missing", department, label, person, None, sentence))
        if department == Department.EDUCATION:
            listed = source.records.values("id_number")
            missing = (
                visible.exclude(schooling="")
                .exclude(schooling__in=IN_SCHOOL_EXCLUDED)
                .exclude(id_number__in=listed)
                .select_related("household__village")
                .order_by("household__household_no", "pk")
            )
            for person in missing:
                sentence = f"登记库记为在校（{codes.label('schooling', person.schooling)}），但{label}名单（{source.as_of:%Y-%m-%d}）中没有此人"
                rows.append(DifferenceRow("missing", department, label, person, None, sentence))
    if may(user, "imports.view_unmatched_records"):
        for department, source in lists.items():
            label = str(Department(department).label)
            for record in source.records.filter(status=MatchStatus.UNMATCHED).order_by("row")[:500]:
                sentence = f"{label}名单第 {record.row} 行的“{record.name}”（{record.id_number}）不在登记库中"
                rows.append(DifferenceRow("unmatched", department, label, None, record, sentence))
    return rows


def _show(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "空" if value in (None, "") else str(value)


def department_status_counts(*, user: User) -> list[dict]:
    """Each list with its records counted by match status. Users who do not read the whole county count only
    the records matched to people in their jurisdiction (records outside the registry are not theirs)."""

    records = DepartmentRecord.objects.all()
    whole = may(user, "imports.view_unmatched_records")
    if not whole:
        records = records.filter(person__in=persons_for(user).values("pk"))
    counts = records.values("source_id", "status").annotate(n=Count("id")).order_by("source_id", "status")
    by_source: dict[int, dict[str, int]] = {}
    for row in counts:
        by_source.setdefault(row["source_id"], {})[row["status"]] = row["n"]
    latest = {item.pk for item in current_lists().values()}
    return [
        {
            "list": item,
            "counts": by_source.get(item.pk, {}),
            "records": item.record_count if whole else sum(by_source.get(item.pk, {}).values()),
            "is_current": item.pk in latest,
        }
        for item in DepartmentList.objects.select_related("uploaded_by")
    ]
