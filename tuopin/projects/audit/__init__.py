"""Audit of a plan's own figures: stated totals against their items, products against their factors, and
quantities the plan states in more than one place against each other.

Free of Django: it takes a ``PlanInput`` (built from the database by ``selectors.plan_input`` or from a
hand-made plan in tests) and returns ``Finding`` rows. Money is compared in yuan; a difference smaller than
half a unit of the last digit the plan wrote (1993 vs 1993.1) is reported as ``rounding``, not ``mismatch``.
``model`` holds the types, ``compare`` the tolerances and shared findings, ``totals`` the checks every plan
allows and ``explicit`` the checks the plan's data file spells out.
"""

from tuopin.projects.audit.explicit import explicit
from tuopin.projects.audit.model import (
    KIND_LABELS,
    STATUS_LABELS,
    Figure,
    Finding,
    Kind,
    PlanInput,
    Programme,
    Project,
    Side,
    Status,
    denormalize,
    normalize,
    plain,
    summary_counts,
)
from tuopin.projects.audit.totals import overlaps, products, programme_totals, repeated, stated_parts

__all__ = [
    "KIND_LABELS",
    "STATUS_LABELS",
    "Figure",
    "Finding",
    "Kind",
    "PlanInput",
    "Programme",
    "Project",
    "Side",
    "Status",
    "audit",
    "denormalize",
    "normalize",
    "plain",
    "summary_counts",
]


def audit(plan: PlanInput) -> list[Finding]:
    """Every check the plan allows, in the order: stated parts, programme totals, grand total, project
    products, overlaps, explicit checks, repeated figures and lists."""
    findings = [*stated_parts(plan), *programme_totals(plan), *products(plan), *overlaps(plan)]
    for check in plan.checks:
        findings.extend(explicit(check, plan))
    findings.extend(repeated(plan))
    return findings
