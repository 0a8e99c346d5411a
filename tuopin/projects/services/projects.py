"""Writes of the project library: creating and editing projects, their status and beneficiary households,
and the actual figures of the plan's targets."""

from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import transaction

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may, refusal, require
from tuopin.core.concurrency import bump, lock_current
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.core.history import with_actor
from tuopin.projects.models import STATUS_TRANSITIONS, Programme, Project, ProjectStatus, Target, TargetActual
from tuopin.regions.models import Level, Region
from tuopin.registry.selectors import households_for


@dataclass(frozen=True)
class ProjectData:
    programme: Programme
    name: str
    region: Region | None
    year_from: int
    year_to: int
    investment: Decimal
    place_text: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    unit_cost: Decimal | None = None
    beneficiary_households: int | None = None
    beneficiary_people: int | None = None
    beneficiary_poor_households: int | None = None
    beneficiary_poor_people: int | None = None
    responsible_unit: str = ""
    is_per_household: bool = False

    def errors(self) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if not self.name.strip():
            errors["name"] = ["请填写项目名称"]
        if self.year_to < self.year_from:
            errors["year_to"] = ["完成年度不能早于起始年度"]
        if self.investment < 0:
            errors["investment"] = ["总投资不能为负数"]
        if self.quantity is not None and self.quantity < 0:
            errors["quantity"] = ["建设规模不能为负数"]
        if self.region is None and not self.place_text.strip():
            errors["region"] = ["请选择实施地点或填写地点说明"]
        return errors


def _check_place(by: User, name: str, region: Region | None) -> None:
    if not may(by, name, region):
        raise PermissionDeniedError(refusal(name), field="region")


@transaction.atomic
def project_create(*, data: ProjectData, by: User) -> Project:
    _check_place(by, "projects.create_project", data.region)
    errors = data.errors()
    if errors:
        field, messages = next(iter(errors.items()))
        raise ApplicationError(messages[0], field=field, errors=errors)
    project = Project(**{f.name: getattr(data, f.name) for f in fields(data)})
    with_actor(project, by, "新建项目")
    project.save()
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    data: ProjectData,
    by: User,
    version: int | None,
    seen: dict | None = None,
    changed: set[str] | None = None,
    reason: str = "",
) -> Project:
    """Write the project opened at ``version``: only the ``changed`` fields (all that differ if not given).
    A stale version is refused with ``StaleEditError`` listing what changed since ``seen``."""
    require(by, "projects.edit_project", project)
    project = lock_current(project, version, seen=seen)
    require(by, "projects.edit_project", project)
    if data.region is not None:
        _check_place(by, "projects.edit_project", data.region)
    errors = data.errors()
    if errors:
        field, messages = next(iter(errors.items()))
        raise ApplicationError(messages[0], field=field, errors=errors)
    names = [f.name for f in fields(data) if changed is None or f.name in changed]
    names = [n for n in names if getattr(project, n) != getattr(data, n)]
    for name in names:
        setattr(project, name, getattr(data, name))
    if names:
        bump(project)
        with_actor(project, by, reason or "修改项目")
        project.save(update_fields=[*names, "version", "updated_at"])
    return project


@transaction.atomic
def project_status_change(*, project: Project, status: str, by: User, reason: str = "") -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(by, "projects.change_status", project)
    if status not in STATUS_TRANSITIONS.get(project.status, set()):
        raise ApplicationError(
            f"项目状态不能从“{ProjectStatus(project.status).label}”改为“{ProjectStatus(status).label}”",
            field="status",
        )
    project.status = status
    with_actor(project, by, reason or "变更项目状态")
    project.save()
    return project


@transaction.atomic
def project_households_set(*, project: Project, household_ids: list[int], by: User) -> Project:
    """Link the registry households a per-household project benefits. Only households the user may see."""
    require(by, "projects.link_households", project)
    visible = set(households_for(by).filter(pk__in=household_ids).values_list("pk", flat=True))
    missing = sorted(set(household_ids) - visible)
    if missing:
        raise ApplicationError(f"有{len(missing)}户不在您的辖区或不存在，未做任何更改", field="households")
    project.households.set(visible)
    project.beneficiary_households = len(visible)
    with_actor(project, by, "更新受益农户")
    project.save()
    return project


@transaction.atomic
def target_actual_record(
    *, target: Target, region: Region, year: int, value: Decimal, by: User, note: str = ""
) -> TargetActual:
    """Record (or correct) the actual figure of a target for a township (or the county) and a year."""
    _check_place(by, "projects.record_target_actual", region)
    if region.level > Level.TOWNSHIP:
        raise ApplicationError("完成情况按县或乡镇（街道）填报", field="region")
    if not target.year_from <= year <= target.year_to:
        raise ApplicationError(f"年度应在{target.year_from}—{target.year_to}之间", field="year")
    if value < 0:
        raise ApplicationError("完成值不能为负数", field="value")
    actual = TargetActual.objects.filter(target=target, region=region, year=year).first()
    if actual is None:
        actual = TargetActual(target=target, region=region, year=year)
    actual.value = value
    actual.note = note
    actual.recorded_by = by
    with_actor(actual, by, "填报完成情况")
    actual.save()
    return actual
