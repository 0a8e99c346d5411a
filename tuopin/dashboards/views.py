from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from tuopin.assessment.models import Colour
from tuopin.dashboards.charts import chart_specs
from tuopin.dashboards.selectors import (
    colour_run,
    dashboard,
    dashboard_region,
    households_of_colour,
    landing_region,
)
from tuopin.regions.models import Region
from tuopin.registry.models import PovertyStatus
from tuopin.registry.selectors import household_list
from tuopin.registry.views import household_list_context, household_list_response, list_filters


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
    ancestors: list[Region] = []
    parent = region.parent
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.parent
    return TemplateResponse(
        request,
        "dashboards/region.html",
        {
            "board": board,
            "charts": chart_specs(board),
            "ancestors": ancestors,
            "exited_status": PovertyStatus.EXITED.value,
        },
    )


@login_required
def colour_households(request):
    """The household list narrowed to one 五色卡 colour (the colour pie's drill-down): the registry's list page
    over the households whose latest county-wide exit run stored that colour. No export here: the registry
    export does not know the colours, and an export must hold exactly the rows shown."""
    colour = request.GET.get("colour", "")
    if colour not in Colour.values:
        query = request.GET.copy()
        query.pop("colour", None)
        return redirect(f"{reverse('registry:list')}?{query.urlencode()}")
    filters = list_filters(request)
    households = household_list(user=request.user, filters=filters).filter(
        pk__in=households_of_colour(user=request.user, colour=colour).values("pk")
    )
    context = household_list_context(request, filters=filters, households=households)
    all_colours = request.GET.copy()
    all_colours.pop("colour")
    all_colours.pop("page", None)
    context.update(
        list_url=reverse("dashboards:colour_households"),
        colour=colour,
        colour_label=Colour(colour).label,
        colour_choices=[(c.value, c.label) for c in Colour],
        colour_run=colour_run(),
        all_colours_url=f"{reverse('registry:list')}?{all_colours.urlencode()}",
        can_export=False,
        can_create=False,
    )
    return household_list_response(request, context)
