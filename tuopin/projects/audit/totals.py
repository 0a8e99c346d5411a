"""The checks every plan allows: totals stated with their parts, programme and grand totals against the
projects, quantity × unit cost per project, one work listed twice, and figures stated in several places."""

from decimal import Decimal

from tuopin.projects.audit.compare import (
    in_unit,
    list_finding,
    operand,
    places,
    repeated_finding,
    side,
    status_of,
    sum_finding,
    tolerance,
)
from tuopin.projects.audit.model import (
    Figure,
    Finding,
    Kind,
    PlanInput,
    Project,
    Side,
    Status,
    as_wan,
    denormalize,
    plain,
)

#: a product of a quantity and a unit cost may differ from the stated investment by rounding (yuan)
PRODUCT_TOLERANCE = Decimal(50)


def stated_parts(plan: PlanInput) -> list[Finding]:
    """Totals stated together with their parts ("325人（其中：嵩阳街道120人…）")."""
    return [
        sum_finding(f"{figure.key}：{group}", figure, [operand(plan, key) for key in keys])
        for figure in plan.figures.values()
        for group, keys in figure.parts.items()
    ]


def declared_totals(figures: dict[str, Figure]) -> dict[str, Figure]:
    """One declared total per programme, preferring the 投资规模 section (四) over the task section (三)."""
    declared: dict[str, Figure] = {}
    for figure in figures.values():
        if not figure.programme_total:
            continue
        current = declared.get(figure.programme_total)
        if current is None or (figure.ref.startswith("四") and not current.ref.startswith("四")):
            declared[figure.programme_total] = figure
    return declared


def _total_finding(label: str, total: Figure, projects: list[Project], where: str) -> Finding:
    computed = sum((p.investment for p in projects), Decimal(0))
    right = Side(computed, f"{len(projects)}个项目合计{in_unit(computed, total.stated_unit)}", where)
    diff = total.value - computed
    return Finding(
        Kind.SUM,
        status_of(diff, tolerance(total)),
        label,
        side(total),
        right,
        diff,
        in_unit(diff, total.stated_unit),
    )


def programme_totals(plan: PlanInput) -> list[Finding]:
    """Each programme's declared total against the sum of its projects, then the grand total against all
    projects of the programmes that have a declared total."""
    by_programme: dict[str, list[Project]] = {}
    for project in plan.projects:
        by_programme.setdefault(project.programme, []).append(project)
    declared = declared_totals(plan.figures)
    names = {p.code: p.name for p in plan.programmes}
    findings = []
    for code, total in declared.items():
        projects = by_programme.get(code, [])
        where = (
            places(p.ref for p in projects) if len(projects) <= 3 else f"{projects[0].ref}–{projects[-1].ref}"
        )
        label = f"{names.get(code, code)}：规划所列总额与项目逐项合计"
        findings.append(_total_finding(label, total, projects, where))
    counted = [p for p in plan.projects if p.programme in declared]
    for grand in (f for f in plan.figures.values() if f.grand_total):
        label = "投资规模合计：规划所列总额与项目逐项合计"
        findings.append(_total_finding(label, grand, counted, "三(一)–三(九)"))
    return findings


def products(plan: PlanInput) -> list[Finding]:
    """Quantity × unit cost = investment, where a project states all three."""
    findings = []
    for project in plan.projects:
        if project.quantity is None or project.unit_cost is None:
            continue
        computed = project.quantity * project.unit_cost
        cost_unit = project.unit_cost_unit or "元"
        diff = project.investment - computed
        stated = Side(project.investment, as_wan(project.investment), project.ref, project.name)
        cost_text = plain(denormalize(project.unit_cost, cost_unit))
        right = Side(
            computed,
            f"{plain(project.quantity)}{project.unit}×{cost_text}{cost_unit}＝{as_wan(computed)}",
            project.ref,
        )
        findings.append(
            Finding(
                Kind.PRODUCT,
                status_of(diff, PRODUCT_TOLERANCE),
                f"{project.name}：数量×单价＝投资",
                stated,
                right,
                diff,
                as_wan(diff),
            )
        )
    return findings


def overlaps(plan: PlanInput) -> list[Finding]:
    """One work listed under two programmes is counted twice in the grand total."""
    names = {p.code: p.name for p in plan.programmes}
    by_key = {p.key: p for p in plan.projects}
    findings = []
    for project in plan.projects:
        other = by_key.get(project.same_as)
        if other is None:
            continue
        diff = project.investment - other.investment
        findings.append(
            Finding(
                Kind.OVERLAP,
                Status.WARNING if diff == 0 else Status.MISMATCH,
                f"同一工程在“{names.get(project.programme, project.programme)}”和"
                f"“{names.get(other.programme, other.programme)}”中重复计列",
                Side(project.investment, as_wan(project.investment), project.ref, project.name),
                Side(other.investment, as_wan(other.investment), other.ref, other.name),
                diff,
                as_wan(diff),
                note=f"两处都计入投资规模合计，合计中重复计算{as_wan(other.investment)}",
            )
        )
    return findings


def repeated(plan: PlanInput) -> list[Finding]:
    """The same quantity stated in several places (figures sharing a ``measure``), and their lists."""
    groups: dict[str, list[Figure]] = {}
    for figure in plan.figures.values():
        if figure.measure:
            groups.setdefault(figure.measure, []).append(figure)
    findings = []
    for measure, members in groups.items():
        first = members[0]
        for other in members[1:]:
            findings.append(repeated_finding(measure, first, other))
            if first.items and other.items:
                findings.append(list_finding(measure, first, other))
    return findings
