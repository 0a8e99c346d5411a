"""Every write to households and people. Each runs in one transaction and leaves its history row
(django-simple-history, with the acting user attached explicitly)."""

from typing import Any

from django.db import IntegrityError, transaction

from tuopin.accounts.jurisdiction import scope_for
from tuopin.accounts.models import User
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.core.history import with_actor
from tuopin.regions.models import Level, Region
from tuopin.registry import privacy
from tuopin.registry.codes import clear_cache, load_rows
from tuopin.registry.models import CodeValue, Household, Person
from tuopin.registry.selectors import households_for, persons_for
from tuopin.registry.validation import Errors, household_errors, person_errors


def _raise(errors: Errors) -> None:
    if errors:
        first_field, messages = next(iter(errors.by_field.items()))
        raise ApplicationError(messages[0], field=first_field, errors=errors.by_field)


def _require_editor(user: User) -> None:
    if not user.can_edit_registry:
        raise PermissionDeniedError("您的角色只能查看，不能修改登记信息")


def _require_household_access(user: User, household: Household) -> None:
    _require_editor(user)
    if not households_for(user).filter(pk=household.pk).exists():
        raise PermissionDeniedError("该农户不在您的辖区内")


def _require_village_access(user: User, village: Region | None) -> None:
    scope = scope_for(user)
    if village is None or village.level != Level.VILLAGE:
        raise ApplicationError("请选择行政村", field="village")
    if scope.cadre_id is not None:
        raise PermissionDeniedError("帮扶责任人不能新建农户")
    if scope.region_path is None or not (scope.everything or village.path.startswith(scope.region_path)):
        raise PermissionDeniedError(f"“{village.name}”不在您的辖区内", field="village")


@transaction.atomic
def household_create(*, by: User, data: dict[str, Any]) -> Household:
    _require_editor(by)
    _require_village_access(by, data.get("village"))
    errors = household_errors(data)
    _household_no_clash(by, data.get("household_no"), errors)
    _raise(errors)
    household = Household(**data)
    with_actor(household, by).save()
    return household


@transaction.atomic
def household_update(*, household: Household, by: User, data: dict[str, Any]) -> Household:
    _require_household_access(by, household)
    if "village" in data and data["village"] != household.village:
        _require_village_access(by, data["village"])
    merged = {field.name: getattr(household, field.name) for field in Household._meta.concrete_fields}
    merged.update({name: value for name, value in data.items() if name != "village_id"})
    merged["village"] = data.get("village", household.village)
    merged["group"] = data.get("group", household.group)
    errors = household_errors(merged)
    _household_no_clash(by, merged["household_no"], errors, exclude_pk=household.pk)
    _raise(errors)
    for name, value in data.items():
        setattr(household, name, value)
    with_actor(household, by).save()
    return household


def _household_no_clash(by: User, number: str | None, errors: Errors, exclude_pk=None) -> None:
    """A 户编号 already used: named when the clash is in the user's area, else the one undisclosing refusal."""
    clash = Household.objects.filter(household_no=number).exclude(pk=exclude_pk)
    if not number or not clash.exists():
        return
    if households_for(by).filter(pk__in=clash.values("pk")).exists():
        errors.add("household_no", f"户编号“{number}”已存在")
    else:
        errors.add("household_no", str(privacy.HOUSEHOLD_NO_NOT_USABLE))


def _person_business_errors(
    household: Household, values: dict[str, Any], errors: Errors, exclude_pk=None, *, by: User
) -> None:
    others = household.members.exclude(pk=exclude_pk) if exclude_pk else household.members.all()
    relation = values.get("relation")
    if relation == "head" and others.filter(relation="head").exists():
        errors.add("relation", "一户只能有一名户主")
    if relation == "spouse":
        if others.filter(relation="spouse").exists():
            errors.add("relation", "一户最多只能有一名配偶")
        head = others.filter(relation="head").first()
        if head and values.get("sex") and head.sex == values.get("sex"):
            errors.add("sex", "配偶与户主的性别应不同")
    if relation == "head":
        spouse = others.filter(relation="spouse").first()
        if spouse and values.get("sex") and spouse.sex == values.get("sex"):
            errors.add("sex", "户主与配偶的性别应不同")
    number = values.get("id_number")
    clash = Person.objects.filter(id_number=number).exclude(pk=exclude_pk) if number else None
    if clash is not None and clash.exists():
        # Within the user's area the clash is named; outside it, nothing about the record is disclosed.
        if persons_for(by).filter(pk__in=clash.values("pk")).exists():
            errors.add("id_number", "该证件号码已在其他成员中登记，同一人不能重复登记")
        else:
            errors.add("id_number", str(privacy.ID_NOT_USABLE))


@transaction.atomic
def person_create(*, household: Household, by: User, data: dict[str, Any]) -> Person:
    _require_household_access(by, household)
    values, errors = person_errors(data, year=household.data_year)
    _person_business_errors(household, values, errors, by=by)
    _raise(errors)
    person = Person(household=household, **values)
    try:
        with transaction.atomic():
            with_actor(person, by).save()
    except IntegrityError as exc:  # a concurrent write won the race for head/spouse/ID
        raise ApplicationError("保存失败：户主、配偶或证件号码与已有记录冲突，请刷新后重试") from exc
    return person


@transaction.atomic
def person_update(*, person: Person, by: User, data: dict[str, Any]) -> Person:
    _require_household_access(by, person.household)
    merged = {field.name: getattr(person, field.name) for field in Person._meta.concrete_fields}
    merged.update(data)
    values, errors = person_errors(merged, year=person.household.data_year)
    _person_business_errors(person.household, values, errors, exclude_pk=person.pk, by=by)
    _raise(errors)
    for name in data:
        setattr(person, name, values[name])
    for derived in ("birth_date", "sex", "id_number"):
        setattr(person, derived, values[derived])
    with_actor(person, by).save()
    return person


@transaction.atomic
def person_delete(*, person: Person, by: User, reason: str) -> None:
    _require_household_access(by, person.household)
    if not reason.strip():
        raise ApplicationError("请填写删除原因（如死亡、婚出、户籍迁出）", field="reason")
    if person.relation == "head" and person.household.members.count() > 1:
        raise ApplicationError("请先将其他成员设为户主，再删除原户主", field="relation")
    with_actor(person, by, reason).delete()


@transaction.atomic
def code_lists_reload() -> int:
    """Upsert the shipped code lists (data/codelists.json) into ``CodeValue``; returns the number of values."""
    rows = load_rows()
    for row in rows:
        CodeValue.objects.update_or_create(
            list_name=row["list_name"],
            code=row["code"],
            defaults={k: v for k, v in row.items() if k not in {"list_name", "code"}},
        )
    clear_cache()
    return len(rows)
