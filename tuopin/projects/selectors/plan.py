"""The plan as a whole: its totals beside the totals its text declares (``tuopin plan summary``), and the
plan as the audit reads it."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from tuopin.core.money import yuan_to_wan
from tuopin.projects import audit
from tuopin.projects.models import Plan, PlanFigure, Project
from tuopin.projects.selectors.budget import declared_totals

ZERO = Decimal(0)


def wan_text(amount: Decimal) -> str:
    """Yuan as 万元 text with two decimals (``2162.00``), for machine-readable summaries."""
    return f"{yuan_to_wan(amount):f}"


def _declared(figure: PlanFigure | None, computed: Decimal) -> dict[str, str | None]:
    return {
        "declared_wan": wan_text(figure.value) if figure else None,
        "declared_place": figure.ref if figure else None,
        "declared_quote": figure.quote if figure else None,
        "difference_wan": wan_text(figure.value - computed) if figure else None,
    }


def plan_summary(*, plan: Plan) -> dict[str, Any]:
    """Totals by programme computed from all the plan's projects, beside the totals the plan text declares
    (for ``tuopin plan summary --json``). Amounts in 万元 with two decimals."""
    declared = declared_totals(plan)
    rows = []
    sums = {
        row["programme_id"]: (row["total"], row["n"])
        for row in Project.objects.filter(programme__plan=plan)
        .values("programme_id")
        .annotate(total=Sum("investment"), n=Count("id"))
    }
    computed_total = ZERO
    for programme in plan.programmes.order_by("order"):
        total, count = sums.get(programme.pk, (ZERO, 0))
        computed_total += total
        rows.append(
            {
                "programme": programme.code,
                "name": programme.name,
                "projects": count,
                "computed_wan": wan_text(total),
                **_declared(declared.get(programme.code), total),
            }
        )
    grand = plan.figures.filter(is_grand_total=True).first()
    double = (
        Project.objects.filter(programme__plan=plan, same_as__isnull=False).aggregate(s=Sum("investment"))[
            "s"
        ]
        or ZERO
    )
    return {
        "plan": plan.version,
        "title": plan.title,
        "unit": "万元",
        "programmes": rows,
        "grand_total": {
            "computed_wan": wan_text(computed_total),
            **_declared(grand, computed_total),
            "double_counted_wan": wan_text(double),
            "computed_without_double_counting_wan": wan_text(computed_total - double),
        },
    }


def _audit_project(p: Project) -> audit.Project:
    same_as = p.same_as
    return audit.Project(
        key=p.seed_key or f"#{p.pk}",
        programme=p.programme.code,
        name=p.name,
        ref=p.ref or p.seed_key or f"项目#{p.pk}",
        investment=p.investment,
        quantity=p.quantity,
        unit=p.unit,
        unit_cost=p.unit_cost,
        unit_cost_unit=p.unit_cost_unit,
        same_as=(same_as.seed_key or f"#{same_as.pk}") if same_as is not None else "",
    )


def _audit_figure(f: PlanFigure) -> audit.Figure:
    return audit.Figure(
        key=f.key,
        ref=f.ref,
        quote=f.quote,
        stated_value=f.stated_value.normalize(),
        stated_unit=f.stated_unit,
        measure=f.measure,
        parts=f.parts or {},
        items=tuple(f.items or ()),
        approx=f.is_approx,
        programme_total=f.programme_total.code if f.programme_total is not None else "",
        grand_total=f.is_grand_total,
    )


def plan_input(*, plan: Plan) -> audit.PlanInput:
    """The plan as the audit reads it: every project of the plan (all places), every figure and check."""
    programmes = [audit.Programme(p.code, p.name, p.ref) for p in plan.programmes.order_by("order")]
    projects = [
        _audit_project(p)
        for p in Project.objects.filter(programme__plan=plan)
        .select_related("programme", "same_as")
        .order_by("id")
    ]
    figures = {f.key: _audit_figure(f) for f in plan.figures.select_related("programme_total").order_by("id")}
    checks = [c.spec for c in plan.checks.order_by("id")]
    return audit.PlanInput(programmes=programmes, projects=projects, figures=figures, checks=checks)


def plan_audit(*, plan: Plan) -> list[audit.Finding]:
    return audit.audit(plan_input(plan=plan))
