"""What every project page needs: the plan it shows."""

from django.http import Http404, HttpRequest

from tuopin.projects import selectors
from tuopin.projects.models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def current_plan(request: HttpRequest) -> Plan:
    """The plan named by ``?plan=`` or the latest loaded one; 404 when none is loaded."""
    plan = selectors.plan_current(request.GET.get("plan") or None)
    if plan is None:
        raise Http404("还没有载入规划（请系统管理员载入规划）")
    return plan
