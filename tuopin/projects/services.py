"""Writes of the projects app: loading a plan, editing projects, recording target actuals, the fund ledger."""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may, refusal, require
from tuopin.core.concurrency import bump, lock_current
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.core.history import with_actor
from tuopin.projects.audit import normalize
from tuopin.projects.models import (
    STATUS_TRANSITIONS,
    Channel,
    CostItem,
    Direction,
    EntryKind,
    FundEntry,
    Plan,
    PlanCheck,
    PlanFigure,
    Programme,
    Project,
    ProjectFunding,
    ProjectStatus,
    Target,
    TargetActual,
    Tier,
)
from tuopin.regions.models import Level, Region

SEED_PLAN = Path(__file__).resolve().parent / "data" / "seed_plan.json"
DEFAULT_COSTS = Path(__file__).resolve().parent / "data" / "cost_table.json"
WAN = Decimal(10_000)


# --- places -------------------------------------------------------------------------------------------


class PlaceIndex:
    """The region tree in memory, for resolving the places a plan names (one query per load)."""

    def __init__(self) -> None:
        self.regions = list(Region.objects.order_by("path"))
        self.by_path = {r.path: r for r in self.regions}

    @staticmethod
    def _match(candidates: list[Region], name: str) -> list[Region]:
        exact = [r for r in candidates if r.name == name]
        found = exact or [r for r in candidates if r.name.startswith(name)]
        if len(found) > 1:
            top = min(r.level for r in found)
            found = [r for r in found if r.level == top]
        return found

    def resolve(self, spec: str) -> Region | None:
        """The region a place written as the plan names it ("牛栏江镇/荒田/大麦地", "杨家村") stands for,
        or None when it is not in the tree or not unique. Names match exactly or as the start of the
        region's name (荒田 → 荒田村委会); an ambiguous name prefers the higher level."""
        names = [n for n in spec.split("/") if n]
        if not names:
            return None
        found = self._match(self.regions, names[0])
        for name in names[1:]:
            if len(found) != 1:
                return None
            node = found[0]
            below = [r for r in self.regions if r.path.startswith(node.path) and r.pk != node.pk]
            found = self._match(below, name)
        return found[0] if len(found) == 1 else None

    def resolve_all(self, specs: list[str]) -> Region | None:
        """Several places (the two ends of a road) resolve to their lowest common ancestor."""
        regions = [self.resolve(spec) for spec in specs]
        if not regions or any(r is None for r in regions):
            return None
        prefix = regions[0].path  # type: ignore[union-attr]
        for region in regions[1:]:
            while not region.path.startswith(prefix):  # type: ignore[union-attr]
                prefix = prefix[: prefix[:-1].rfind("/") + 1]
                if not prefix:
                    return None
        return self.by_path.get(prefix)


# --- loading a plan -----------------------------------------------------------------------------------


def _decimal(text: str, where: str) -> Decimal:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        raise ApplicationError(f"{where}：“{text}”不是有效数字", field=where) from None


@dataclass(frozen=True)
class LoadResult:
    plan: Plan
    programmes: int
    projects: int
    figures: int
    checks: int
    targets: int
    unplaced: tuple[str, ...]


REQUIRED = {
    "plan": ("version", "title", "period"),
    "programmes": ("code", "name"),
    "projects": ("key", "programme", "name", "years", "investment", "quote"),
    "figures": ("key", "ref", "value", "unit", "quote"),
    "checks": ("kind",),
}
FIGURE_FIELDS = [
    "ref",
    "quote",
    "stated_value",
    "stated_unit",
    "value",
    "unit",
    "measure",
    "parts",
    "items",
    "is_approx",
    "is_derived",
    "programme_total",
    "is_grand_total",
    "region",
]
TARGET_FIELDS = [
    "programme",
    "name",
    "value",
    "unit",
    "metric",
    "direction",
    "year_from",
    "year_to",
    "region",
    "responsible_unit",
    "parent",
]
SECTION_LABELS = {
    "plan": "规划",
    "programmes": "工程",
    "projects": "项目",
    "figures": "数字",
    "checks": "核对项",
}


def plan_data_validate(data: dict) -> None:
    """Refuse a plan file with a missing section or field, naming the section, the row and the field."""
    if not isinstance(data, dict):
        raise ApplicationError("规划数据应为 JSON 对象")
    for section, fields in REQUIRED.items():
        label = SECTION_LABELS[section]
        if section not in data:
            if section == "checks":
                continue
            raise ApplicationError(f"规划数据缺少“{label}”部分（{section}）", field=section)
        rows = [data[section]] if section == "plan" else data[section]
        for n, row in enumerate(rows, start=1):
            missing = [f for f in fields if f not in row]
            if missing:
                where = f"{label}第{n}条" + (f"（{row['key']}）" if "key" in row else "")
                raise ApplicationError(f"{where}缺少字段：{'、'.join(missing)}", field=section)


@transaction.atomic
def plan_load(*, data: dict, by: User, is_demo: bool = True) -> LoadResult:
    """Load (or reload) a plan from its data file. Idempotent: rows are matched by their keys; projects keep
    their ledger and links; a project's changed fields leave a history row."""
    require(by, "projects.load_plan")
    plan_data_validate(data)
    head = data["plan"]
    plan, _ = Plan.objects.update_or_create(
        version=head["version"],
        defaults={
            "title": head["title"],
            "issuer": head.get("issuer", ""),
            "issued_on": date.fromisoformat(head["date"]) if head.get("date") else None,
            "year_from": head["period"][0],
            "year_to": head["period"][1],
            "source_file": head.get("source_file", ""),
        },
    )
    programmes = {}
    for row in data["programmes"]:
        programmes[row["code"]], _ = Programme.objects.update_or_create(
            plan=plan,
            code=row["code"],
            defaults={
                "name": row["name"],
                "order": row.get("order", 0),
                "ref": row.get("ref", ""),
                "quote": row.get("quote", ""),
                "responsible_unit": row.get("responsible_unit", ""),
            },
        )

    places = PlaceIndex()
    unplaced: list[str] = []
    projects: dict[str, Project] = {}
    existing_projects = {
        (p.programme_id, p.seed_key): p
        for p in Project.objects.filter(programme__plan=plan).exclude(seed_key="")
    }
    ProjectFunding.objects.filter(project__programme__plan=plan).delete()
    fundings: list[ProjectFunding] = []
    for row in data["projects"]:
        where = f"项目{row['key']}"
        if row["programme"] not in programmes:
            raise ApplicationError(f"{where}：未知的工程“{row['programme']}”", field="programme")
        region = places.resolve_all(row.get("place", []))
        if region is None:
            unplaced.append(row["key"])
        unit_cost = None
        if row.get("unit_cost"):
            unit_cost, _ = normalize(_decimal(row["unit_cost"], where), row.get("unit_cost_unit", "元"))
        fields = {
            "name": row["name"],
            "region": region,
            "place_text": row.get("place_text", "" if region else "、".join(row.get("place", []))),
            "year_from": row["years"][0],
            "year_to": row["years"][1],
            "quantity": _decimal(row["quantity"], where) if row.get("quantity") else None,
            "unit": row.get("unit", ""),
            "unit_cost": unit_cost,
            "unit_cost_unit": row.get("unit_cost_unit", ""),
            "investment": _decimal(row["investment"], where) * WAN,
            "is_investment_approx": bool(row.get("approx")),
            "beneficiary_households": row.get("households"),
            "beneficiary_people": row.get("people"),
            "is_per_household": bool(row.get("per_household")),
            "responsible_unit": row.get("responsible_unit", programmes[row["programme"]].responsible_unit),
            "status": row.get("status", ProjectStatus.PLANNED),
            "ref": row["key"],
            "quote": row.get("quote", ""),
            "is_demo": is_demo,
        }
        project = existing_projects.get((programmes[row["programme"]].pk, row["key"]))
        if project is None:
            project = Project(programme=programmes[row["programme"]], seed_key=row["key"])
        changed = project.pk is None or any(getattr(project, k) != v for k, v in fields.items())
        if changed:
            for name, value in fields.items():
                setattr(project, name, value)
            with_actor(project, by, "载入规划数据")
            project.full_clean(exclude=["households", "same_as"])
            project.save()
        projects[row["key"]] = project
        fundings.extend(
            ProjectFunding(
                project=project,
                channel=funding.get("channel", Channel.UNSPECIFIED),
                tier=funding.get("tier", Tier.UNSPECIFIED),
                amount=_decimal(funding["amount"], where) * WAN,
                note=funding.get("note", ""),
            )
            for funding in row.get("funding", [])
        )
    bulk_create_with_history(fundings, ProjectFunding, default_user=by)
    for row in data["projects"]:
        if row.get("same_as"):
            Project.objects.filter(pk=projects[row["key"]].pk).update(same_as=projects[row["same_as"]])

    existing_figures = {f.key: f for f in plan.figures.all()}
    figures: dict[str, PlanFigure] = {}
    to_create: list[PlanFigure] = []
    to_update: list[PlanFigure] = []
    for row in data["figures"]:
        where = f"数字{row['key']}"
        stated = _decimal(row["value"], where)
        value, unit = normalize(stated, row["unit"])
        fields = {
            "ref": row["ref"],
            "quote": row["quote"],
            "stated_value": stated,
            "stated_unit": row["unit"],
            "value": value,
            "unit": unit,
            "measure": row.get("measure", ""),
            "parts": row.get("parts", {}),
            "items": row.get("list", []),
            "is_approx": bool(row.get("approx")),
            "is_derived": bool(row.get("derived")),
            "programme_total": programmes.get(row.get("programme_total", "")),
            "is_grand_total": bool(row.get("grand_total")),
            "region": places.resolve(row["place"]) if row.get("place") else None,
        }
        figure = existing_figures.get(row["key"])
        if figure is None:
            figure = PlanFigure(plan=plan, key=row["key"], **fields)
            to_create.append(figure)
        elif any(getattr(figure, k) != v for k, v in fields.items()):
            for name, field_value in fields.items():
                setattr(figure, name, field_value)
            to_update.append(figure)
        figures[row["key"]] = figure
    PlanFigure.objects.bulk_create(to_create)
    if to_update:
        PlanFigure.objects.bulk_update(to_update, FIGURE_FIELDS)
    known = set(figures)
    for row in data["figures"]:
        for group, keys in row.get("parts", {}).items():
            missing = [k for k in keys if k not in known]
            if missing:
                raise ApplicationError(
                    f"数字{row['key']}的分项“{group}”引用了不存在的数字：{'、'.join(missing)}"
                )

    plan.checks.all().delete()
    PlanCheck.objects.bulk_create(
        PlanCheck(plan=plan, kind=row["kind"], label=row.get("label", ""), spec=row)
        for row in data.get("checks", [])
    )

    existing_targets = {t.figure_id: t for t in Target.objects.filter(plan=plan)}
    targets: dict[str, Target] = {}
    new_targets: list[Target] = []
    changed_targets: list[Target] = []
    for row in data["figures"]:
        spec = row.get("target")
        if not spec:
            continue
        figure = figures[row["key"]]
        target_fields = {
            "programme": programmes.get(spec.get("programme", "")),
            "name": _target_name(row),
            "value": figure.stated_value,
            "unit": figure.stated_unit,
            "metric": spec.get("metric", ""),
            "direction": spec.get("direction", Direction.AT_LEAST),
            "year_from": spec["years"][0],
            "year_to": spec["years"][1],
            "region": figure.region,
            "responsible_unit": spec.get("responsible_unit", ""),
            "parent": None,
        }
        target = existing_targets.get(figure.pk)
        if target is None:
            target = Target(plan=plan, figure=figure, **target_fields)
            new_targets.append(target)
        else:
            for name, field_value in target_fields.items():
                setattr(target, name, field_value)
            changed_targets.append(target)
        targets[row["key"]] = target
    Target.objects.bulk_create(new_targets)
    for row in data["figures"]:
        part_of = (row.get("target") or {}).get("part_of")
        if part_of:
            targets[row["key"]].parent = targets[part_of]
    with_parent = [t for t in targets.values() if t.parent is not None]
    to_save = {id(t): t for t in [*changed_targets, *with_parent]}
    if to_save:
        Target.objects.bulk_update(list(to_save.values()), TARGET_FIELDS)

    return LoadResult(
        plan=plan,
        programmes=len(programmes),
        projects=len(projects),
        figures=len(figures),
        checks=plan.checks.count(),
        targets=len(targets),
        unplaced=tuple(unplaced),
    )


def _target_name(row: dict) -> str:
    label = row["key"].split(":", 1)[-1]
    return f"{label}（{row['ref']}）"


def projects_load_seed_plan(*, by: User) -> LoadResult:
    """The seed's plan as data, for ``tuopin demo`` (also ``tuopin plan load``). Also installs the default
    cost table of the need-driven plan when it is empty."""
    data = json.loads(SEED_PLAN.read_text(encoding="utf-8"))
    result = plan_load(data=data, by=by, is_demo=True)
    cost_items_load_defaults()
    return result


@transaction.atomic
def cost_items_load_defaults() -> int:
    if CostItem.objects.exists():
        return 0
    rows = json.loads(DEFAULT_COSTS.read_text(encoding="utf-8"))["items"]
    for row in rows:
        unit_cost, _ = normalize(Decimal(row["unit_cost"]), row["unit_cost_unit"])
        CostItem.objects.create(
            code=row["code"],
            name=row["name"],
            criterion=row["criterion"],
            programme_code=row["programme"],
            unit=row.get("unit", "户"),
            unit_cost=unit_cost,
            per_person=bool(row.get("per_person")),
            source=row.get("source", ""),
        )
    return len(rows)


@transaction.atomic
def cost_item_update(*, item: CostItem, unit_cost: Decimal, by: User) -> CostItem:
    require(by, "projects.edit_cost_table")
    if unit_cost < 0:
        raise ApplicationError("单价不能为负数", field="unit_cost")
    item.unit_cost = unit_cost
    with_actor(item, by, "修改措施单价")
    item.save()
    return item


# --- projects -----------------------------------------------------------------------------------------


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
    project = Project(**{k: getattr(data, k) for k in data.__dataclass_fields__})
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
    names = [n for n in data.__dataclass_fields__ if changed is None or n in changed]
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
    from tuopin.registry.selectors import households_for

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


# --- targets ------------------------------------------------------------------------------------------


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


# --- fund ledger --------------------------------------------------------------------------------------


def _balance(project: Project, channel: str) -> tuple[Decimal, Decimal]:
    sums = {
        row["kind"]: row["total"]
        for row in FundEntry.objects.filter(project=project, channel=channel)
        .values("kind")
        .annotate(total=Sum("amount"))
    }
    # SQLite sums decimals as floats: bring the totals back to fen.
    return (
        _fen(sums.get(EntryKind.ALLOCATION) or Decimal(0)),
        _fen(sums.get(EntryKind.DISBURSEMENT) or Decimal(0)),
    )


def _fen(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


def _check_allocation(project: Project, amount: Decimal) -> None:
    """资金下达 may not exceed what the project still lacks: its investment minus what all channels have
    already allocated (the one home of this rule: the fund form and any import call ``fund_entry_add``)."""
    total = FundEntry.objects.filter(project=project, kind=EntryKind.ALLOCATION).aggregate(t=Sum("amount"))
    allocated = _fen(total["t"] or Decimal(0))
    lacking = _fen(project.investment) - allocated
    if amount > lacking:
        raise ApplicationError(
            f"下达金额{_money(amount)}超过该项目尚缺资金{_money(max(lacking, Decimal(0)))}"
            f"（总投资{_money(_fen(project.investment))}，已下达{_money(allocated)}），不予登记",
            field="amount",
        )


@transaction.atomic
def fund_entry_add(
    *,
    project: Project,
    channel: str,
    kind: str,
    amount: Decimal,
    by: User,
    entry_date: date | None = None,
    document_no: str = "",
    note: str = "",
) -> FundEntry:
    """Append an allocation (资金下达) or a disbursement (资金拨付). An allocation above what the project
    still lacks, and a disbursement above what is still allocated and unspent for the project and channel,
    are refused."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(by, "projects.record_fund_entry", project)
    if channel not in Channel.values or channel == Channel.UNSPECIFIED:
        raise ApplicationError("请选择资金渠道（专项、行业或社会扶贫资金）", field="channel")
    if kind not in EntryKind.values:
        raise ApplicationError("请选择资金下达或资金拨付", field="kind")
    if amount is None or amount <= 0:
        raise ApplicationError("金额必须大于零", field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError("金额最多保留两位小数（分）", field="amount")
    if kind == EntryKind.ALLOCATION:
        _check_allocation(project, amount)
    if kind == EntryKind.DISBURSEMENT:
        allocated, disbursed = _balance(project, channel)
        available = allocated - disbursed
        if amount > available:
            raise ApplicationError(
                f"拨付金额{_money(amount)}超过该项目{Channel(channel).label}可用余额{_money(available)}"
                f"（已下达{_money(allocated)}，已拨付{_money(disbursed)}），不予登记",
                field="amount",
            )
    return FundEntry.objects.create(
        project=project,
        channel=channel,
        kind=kind,
        amount=amount,
        entry_date=entry_date or timezone.localdate(),
        document_no=document_no,
        note=note,
        created_by=by,
    )


@transaction.atomic
def fund_entry_reverse(*, entry: FundEntry, by: User, reason: str) -> FundEntry:
    """Correct an entry by appending its reversal (same kind, opposite sign). The original stays."""
    project = Project.objects.select_for_update().get(pk=entry.project_id)
    require(by, "projects.record_fund_entry", project)
    entry = FundEntry.objects.get(pk=entry.pk)
    if not reason.strip():
        raise ApplicationError("请填写冲销原因", field="reason")
    if entry.reverses_id is not None:
        raise ApplicationError("冲销分录不能再次冲销，请重新登记正确的分录", field="entry")
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ApplicationError("该分录已经冲销过", field="entry")
    if entry.kind == EntryKind.ALLOCATION:
        allocated, disbursed = _balance(project, entry.channel)
        if allocated - entry.amount < disbursed:
            raise ApplicationError(
                f"冲销后下达资金{_money(allocated - entry.amount)}将少于已拨付{_money(disbursed)}，"
                "请先冲销相应的拨付",
                field="entry",
            )
    return FundEntry.objects.create(
        project=project,
        channel=entry.channel,
        kind=entry.kind,
        amount=-entry.amount,
        entry_date=timezone.localdate(),
        document_no=entry.document_no,
        note=f"冲销：{reason.strip()}",
        reverses=entry,
        created_by=by,
    )
