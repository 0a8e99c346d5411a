"""Loading a plan from its data file, one function per part of the plan: the head, the programmes, the
projects with their funding, the figures, the checks and the targets. Idempotent: rows are matched by keys."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.core.errors import ApplicationError
from tuopin.core.history import with_actor
from tuopin.core.money import WAN
from tuopin.projects.audit import normalize
from tuopin.projects.models import (
    Channel,
    Direction,
    Plan,
    PlanCheck,
    PlanFigure,
    Programme,
    Project,
    ProjectFunding,
    ProjectStatus,
    Target,
    Tier,
)
from tuopin.projects.services.places import PlaceIndex

Row = dict[str, Any]


def _decimal(text: object, where: str) -> Decimal:
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
OPTIONAL_SECTIONS = ("checks",)
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


def plan_data_validate(data: object) -> None:
    """Refuse a plan file with a missing section or field, naming the section, the row and the field."""
    if not isinstance(data, dict):
        raise ApplicationError("规划数据应为 JSON 对象")
    for section, fields in REQUIRED.items():
        label = SECTION_LABELS[section]
        if section not in data:
            if section in OPTIONAL_SECTIONS:
                continue
            raise ApplicationError(f"规划数据缺少“{label}”部分（{section}）", field=section)
        rows = [data[section]] if section == "plan" else data[section]
        for n, row in enumerate(rows, start=1):
            missing = [f for f in fields if f not in row]
            if missing:
                where = f"{label}第{n}条" + (f"（{row['key']}）" if "key" in row else "")
                raise ApplicationError(f"{where}缺少字段：{'、'.join(missing)}", field=section)


def _load_head(head: Row) -> Plan:
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
    return plan


def _load_programmes(plan: Plan, rows: list[Row]) -> dict[str, Programme]:
    programmes = {}
    for row in rows:
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
    return programmes


def _project_fields(row: Row, programme: Programme, places: PlaceIndex, is_demo: bool) -> dict[str, Any]:
    where = f"项目{row['key']}"
    region = places.resolve_all(row.get("place", []))
    unit_cost = None
    if row.get("unit_cost"):
        unit_cost, _ = normalize(_decimal(row["unit_cost"], where), row.get("unit_cost_unit", "元"))
    return {
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
        "responsible_unit": row.get("responsible_unit", programme.responsible_unit),
        "status": row.get("status", ProjectStatus.PLANNED),
        "ref": row["key"],
        "quote": row.get("quote", ""),
        "is_demo": is_demo,
    }


def _fundings(project: Project, row: Row) -> list[ProjectFunding]:
    where = f"项目{row['key']}"
    return [
        ProjectFunding(
            project=project,
            channel=funding.get("channel", Channel.UNSPECIFIED),
            tier=funding.get("tier", Tier.UNSPECIFIED),
            amount=_decimal(funding["amount"], where) * WAN,
            note=funding.get("note", ""),
        )
        for funding in row.get("funding", [])
    ]


def _load_projects(
    plan: Plan,
    rows: list[Row],
    programmes: dict[str, Programme],
    places: PlaceIndex,
    *,
    by: User,
    is_demo: bool,
) -> tuple[dict[str, Project], list[str]]:
    """The projects (a changed project leaves a history row; its ledger and links stay), their planned
    funding (replaced), and the links between one work listed under two programmes."""
    existing = {
        (p.programme_id, p.seed_key): p
        for p in Project.objects.filter(programme__plan=plan).exclude(seed_key="")
    }
    ProjectFunding.objects.filter(project__programme__plan=plan).delete()
    projects: dict[str, Project] = {}
    unplaced: list[str] = []
    fundings: list[ProjectFunding] = []
    for row in rows:
        programme = programmes.get(row["programme"])
        if programme is None:
            raise ApplicationError(f"项目{row['key']}：未知的工程“{row['programme']}”", field="programme")
        fields = _project_fields(row, programme, places, is_demo)
        if fields["region"] is None:
            unplaced.append(row["key"])
        project = existing.get((programme.pk, row["key"])) or Project(
            programme=programme, seed_key=row["key"]
        )
        if project.pk is None or any(getattr(project, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(project, name, value)
            with_actor(project, by, "载入规划数据")
            project.full_clean(exclude=["households", "same_as"])
            project.save()
        projects[row["key"]] = project
        fundings.extend(_fundings(project, row))
    bulk_create_with_history(fundings, ProjectFunding, default_user=by)
    for row in rows:
        if row.get("same_as"):
            Project.objects.filter(pk=projects[row["key"]].pk).update(same_as=projects[row["same_as"]])
    return projects, unplaced


def _figure_fields(row: Row, programmes: dict[str, Programme], places: PlaceIndex) -> dict[str, Any]:
    stated = _decimal(row["value"], f"数字{row['key']}")
    value, unit = normalize(stated, row["unit"])
    return {
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


def _check_parts(rows: list[Row], known: set[str]) -> None:
    for row in rows:
        for group, keys in row.get("parts", {}).items():
            missing = [k for k in keys if k not in known]
            if missing:
                raise ApplicationError(
                    f"数字{row['key']}的分项“{group}”引用了不存在的数字：{'、'.join(missing)}"
                )


def _load_figures(
    plan: Plan, rows: list[Row], programmes: dict[str, Programme], places: PlaceIndex
) -> dict[str, PlanFigure]:
    existing = {f.key: f for f in plan.figures.all()}
    figures: dict[str, PlanFigure] = {}
    to_create: list[PlanFigure] = []
    to_update: list[PlanFigure] = []
    for row in rows:
        fields = _figure_fields(row, programmes, places)
        figure = existing.get(row["key"])
        if figure is None:
            figure = PlanFigure(plan=plan, key=row["key"], **fields)
            to_create.append(figure)
        elif any(getattr(figure, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(figure, name, value)
            to_update.append(figure)
        figures[row["key"]] = figure
    PlanFigure.objects.bulk_create(to_create)
    if to_update:
        PlanFigure.objects.bulk_update(to_update, FIGURE_FIELDS)
    _check_parts(rows, set(figures))
    return figures


def _load_checks(plan: Plan, rows: list[Row]) -> None:
    plan.checks.all().delete()
    PlanCheck.objects.bulk_create(
        PlanCheck(plan=plan, kind=row["kind"], label=row.get("label", ""), spec=row) for row in rows
    )


def _target_name(row: Row) -> str:
    label = row["key"].split(":", 1)[-1]
    return f"{label}（{row['ref']}）"


def _target_fields(row: Row, figure: PlanFigure, programmes: dict[str, Programme]) -> dict[str, Any]:
    spec = row["target"]
    return {
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


def _load_targets(
    plan: Plan, rows: list[Row], figures: dict[str, PlanFigure], programmes: dict[str, Programme]
) -> dict[str, Target]:
    """The figures that carry a target become targets; a target ``part_of`` another gets it as parent."""
    existing = {t.figure_id: t for t in Target.objects.filter(plan=plan)}
    targets: dict[str, Target] = {}
    new: list[Target] = []
    changed: list[Target] = []
    for row in (r for r in rows if r.get("target")):
        figure = figures[row["key"]]
        fields = _target_fields(row, figure, programmes)
        target = existing.get(figure.pk)
        if target is None:
            target = Target(plan=plan, figure=figure, **fields)
            new.append(target)
        else:
            for name, value in fields.items():
                setattr(target, name, value)
            changed.append(target)
        targets[row["key"]] = target
    Target.objects.bulk_create(new)
    for row in rows:
        part_of = (row.get("target") or {}).get("part_of")
        if part_of:
            targets[row["key"]].parent = targets[part_of]
    with_parent = [t for t in targets.values() if t.parent is not None]
    to_save = {id(t): t for t in [*changed, *with_parent]}
    if to_save:
        Target.objects.bulk_update(list(to_save.values()), TARGET_FIELDS)
    return targets


@transaction.atomic
def plan_load(*, data: Row, by: User, is_demo: bool = True) -> LoadResult:
    """Load (or reload) a plan from its data file. Idempotent: rows are matched by their keys; projects keep
    their ledger and links; a project's changed fields leave a history row."""
    require(by, "projects.load_plan")
    plan_data_validate(data)
    plan = _load_head(data["plan"])
    programmes = _load_programmes(plan, data["programmes"])
    places = PlaceIndex()
    projects, unplaced = _load_projects(plan, data["projects"], programmes, places, by=by, is_demo=is_demo)
    figures = _load_figures(plan, data["figures"], programmes, places)
    _load_checks(plan, data.get("checks", []))
    targets = _load_targets(plan, data["figures"], figures, programmes)
    return LoadResult(
        plan=plan,
        programmes=len(programmes),
        projects=len(projects),
        figures=len(figures),
        checks=plan.checks.count(),
        targets=len(targets),
        unplaced=tuple(unplaced),
    )
