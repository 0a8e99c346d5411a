"""Every write to households and people. Each runs in one transaction and leaves its history row
(django-simple-history, with the acting user attached explicitly)."""

from typing import Any

from django.db import transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may, require
from tuopin.core.concurrency import bump, lock_current
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.core.history import with_actor
from tuopin.regions.models import Level, Region
from tuopin.registry import privacy
from tuopin.registry.codes import clear_cache, load_rows
from tuopin.registry.models import CodeValue, Household, Person, PovertyStatus
from tuopin.registry.models_years import copy_birth_dates
from tuopin.registry.procedures import PROCEDURE_FIELDS
from tuopin.registry.selectors import households_for, persons_for
from tuopin.registry.validation import Errors, household_errors, person_errors


def _raise(errors: Errors) -> None:
    if errors:
        first_field, messages = next(iter(errors.by_field.items()))
        raise ApplicationError(messages[0], field=first_field, errors=errors.by_field)


def _require_village_access(user: User, village: Region | None) -> None:
    if village is None or village.level != Level.VILLAGE:
        raise ApplicationError("请选择行政村", field="village")
    if not may(user, "registry.create_household", village):
        raise PermissionDeniedError(f"您不能在“{village.name}”新建或迁入农户", field="village")


@transaction.atomic
def household_create(*, by: User, data: dict[str, Any]) -> Household:
    """A new household is 卡外 (unregistered); it enters the registry only through 纳入 (or a county import)."""
    _require_village_access(by, data.get("village"))
    data = {name: value for name, value in data.items() if name not in PROCEDURE_FIELDS}
    data["status"] = data["status_by_procedure"] = PovertyStatus.UNREGISTERED
    errors = household_errors(data)
    _household_no_clash(by, data.get("household_no"), errors)
    _raise(errors)
    household = Household(**data)
    with_actor(household, by).save()
    return household


def _refuse_procedure_fields(household: Household, data: dict[str, Any]) -> None:
    for name in sorted(PROCEDURE_FIELDS & set(data)):
        if data[name] != getattr(household, name):
            label = getattr(Household._meta.get_field(name), "verbose_name", name)
            raise ApplicationError(
                f"“{label}”只能通过纳入、退出或返贫程序改变，不能在登记表中修改", field=name
            )


@transaction.atomic
def household_update(
    *,
    household: Household,
    by: User,
    data: dict[str, Any],
    version: int | None,
    seen: dict[str, Any] | None = None,
) -> Household:
    """Write the fields the user changed (``data``) to the household opened at ``version``.

    Refuses a stale version (``StaleEditError`` listing what changed since ``seen``) and any change of a
    procedure-owned field (脱贫状态, 识别年度, 脱贫年度)."""
    require(by, "registry.edit_household", household)
    household = lock_current(household, version, seen=seen)
    _refuse_procedure_fields(household, data)
    data = {name: value for name, value in data.items() if name not in PROCEDURE_FIELDS}
    if "village" in data and data["village"] != household.village:
        _require_village_access(by, data["village"])
    merged = {field.name: getattr(household, field.name) for field in Household._meta.concrete_fields}
    merged.update({name: value for name, value in data.items() if name != "village_id"})
    merged["village"] = data.get("village", household.village)
    merged["group"] = data.get("group", household.group)
    errors = household_errors(merged)
    _household_no_clash(by, merged["household_no"], errors, exclude_pk=household.pk)
    _raise(errors)
    changed = [name for name, value in data.items() if getattr(household, name) != value]
    for name in changed:
        setattr(household, name, data[name])
    if changed:
        bump(household)
        with_actor(household, by).save(update_fields=[*changed, "version", "updated_at"])
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
def person_update(
    *,
    person: Person,
    by: User,
    data: dict[str, Any],
    version: int | None,
    seen: dict[str, Any] | None = None,
) -> Person:
    """Write the fields the user changed (``data``) to the member opened at ``version`` (stale: refused)."""
    require(by, "registry.edit_member", person)
    household = person.household
    person = lock_current(person, version, seen=seen)
    merged = {field.name: getattr(person, field.name) for field in Person._meta.concrete_fields}
    merged.update(data)
    values, errors = person_errors(merged, year=household.data_year)
    _person_business_errors(household, values, errors, exclude_pk=person.pk, by=by)
    _raise(errors)
    changed = [
        name for name in {*data, "birth_date", "sex", "id_number"} if getattr(person, name) != values[name]
    ]
    for name in changed:
        setattr(person, name, values[name])
    if changed:
        bump(person)
        with_actor(person, by).save(update_fields=[*sorted(changed), "version", "updated_at"])
    if "birth_date" in changed:
        copy_birth_dates([person.pk])
    return person


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
