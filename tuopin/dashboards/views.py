from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from tuopin.dashboards.charts import chart_specs
from tuopin.dashboards.selectors import dashboard, dashboard_region, landing_region


@login_required
def home(request):
    """The user's own level: a village user their village, a cadre their paired households' village(s)."""
    region = landing_region(user=request.user)
    if region is None:
        raise Http404("您的账号没有辖区")
    return redirect("dashboards:region", pk=region.pk)


@login_required
def region_dashboard(request, pk: int):
    region = dashboard_region(user=request.user, pk=pk)
    board = dashboard(user=request.user, region=region)
    ancestors = []
    parent = region.parent
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.parent
    return TemplateResponse(
        request,
        "dashboards/region.html",
        {"board": board, "charts": chart_specs(board), "ancestors": ancestors},
    )
