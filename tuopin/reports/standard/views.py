"""The standard reports page (area and year) and the ``.xlsx`` downloads."""

from urllib.parse import quote

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tuopin.accounts.permissions import area_name, may, refusal
from tuopin.assessment.selectors import villages_in_scope
from tuopin.regions.models import Level, Region
from tuopin.registry import privacy
from tuopin.reports.standard.tables import REPORTS, Scope
from tuopin.reports.standard.workbook import write_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def areas_for(user) -> QuerySet[Region]:
    """The townships and villages holding households the user may see."""
    villages = villages_in_scope(user=user)
    return Region.objects.filter(
        Q(pk__in=villages.values("pk")) | Q(pk__in=villages.values("parent_id"))
    ).order_by("path")


class ReportForm(forms.Form):
    area = forms.ModelChoiceField(queryset=Region.objects.none(), required=False, label=_("地区"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("年度"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError(field)
        field.queryset = areas_for(user)
        field.empty_label = area_name(user)


def _check(request) -> None:
    if not may(request.user, "reports.export_standard"):
        raise PermissionDenied(refusal("reports.export_standard"))


@require_GET
def standard_list(request):
    _check(request)
    data = request.GET if request.GET else {"year": timezone.localdate().year}
    form = ReportForm(data, user=request.user)
    query = ""
    notice_village = None
    if form.is_valid():
        area = form.cleaned_data["area"]
        query = f"?year={form.cleaned_data['year']}" + (f"&area={area.pk}" if area else "")
        if (
            area is not None
            and area.level == Level.VILLAGE
            and may(request.user, "monitoring.print_notice", area)
        ):
            notice_village = area
    context = {
        "form": form,
        "reports": REPORTS.values(),
        "query": query,
        "notice_village": notice_village,
        "can_print_reverse": may(request.user, "supervision.view_report"),
    }
    return TemplateResponse(request, "reports/standard.html", context)


@require_GET
def standard_download(request, slug: str):
    _check(request)
    kind = REPORTS.get(slug)
    form = ReportForm(request.GET, user=request.user)
    if kind is None or not form.is_valid():
        raise Http404("没有这张报表，或地区、年度不正确")
    area = form.cleaned_data["area"]
    scope = Scope(
        user=request.user,
        area=area,
        area_name=area.name if area else area_name(request.user),
        year=form.cleaned_data["year"],
    )
    report = kind.build(scope)
    content = write_report(report)
    privacy.record_export(
        user=request.user,
        what=f"标准报表：{kind.name}",
        subject=f"{scope.area_name} {scope.year}年"[:500],
        rows=len(report.rows),
        is_masked=not (kind.personal and scope.full_personal_data),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.title + '.xlsx')}"
    response["Cache-Control"] = "no-store"
    return response
