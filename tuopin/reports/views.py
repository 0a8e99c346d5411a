import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tuopin.accounts.permissions import ACTIONS, area_name, may
from tuopin.assessment.selectors import villages_in_scope
from tuopin.regions.models import Level, Region
from tuopin.registry.selectors import household_get
from tuopin.reports.charts import Series, bar_chart
from tuopin.reports.documents import exit_notice, exit_notice_years, household_file, monitoring_notice
from tuopin.reports.mpi import INDICATOR_CODES, INDICATORS, compute
from tuopin.reports.mpi_data import indicator_frame, mpi_run, mpi_years, settings_from_query
from tuopin.reports.pdf import pdf_response, render_pdf
from tuopin.reports.selectors import STATUS_COLUMNS
from tuopin.reports.selectors import overview as overview_figures
from tuopin.supervision.selectors import reverse_notification

EXITED_COLOUR, POOR_COLOUR, RELAPSED_COLOUR = "#2e7d32", "#b3261e", "#e0a100"


def overview(request):
    data = overview_figures(user=request.user)
    data["area_name"] = area_name(request.user)
    # the series follow ``STATUS_COLUMNS`` (exited, poor, relapsed) with their labels
    colours = (EXITED_COLOUR, POOR_COLOUR, RELAPSED_COLOUR)
    status_series = [
        Series(str(label), colour) for (_status, label), colour in zip(STATUS_COLUMNS, colours, strict=True)
    ]
    data["township_chart"] = bar_chart(
        _("各乡镇（街道）建档立卡人数"), [(t["name"], t["people"]) for t in data["townships"]], status_series
    )
    data["cause_chart"] = bar_chart(
        _("主要致贫原因（户）"),
        [(label, [n - poor, poor]) for label, n, poor in data["causes"]],
        [Series(_("已脱贫"), EXITED_COLOUR), Series(_("未脱贫（含返贫）"), POOR_COLOUR)],
    )
    return TemplateResponse(request, "reports/overview.html", data)


# --- printed documents and the multidimensional measure -----------------------------------------------------


def _refuse(request, action: str, target=None) -> None:
    if not may(request.user, action, target):
        raise PermissionDenied(str(ACTIONS[action].refusal))


@require_GET
def household_file_pdf(request, pk: int):
    """扶贫手册 of one household (PDF, personal data: never cached)."""
    household = household_get(user=request.user, pk=pk)
    _refuse(request, "reports.print_household_file", household)
    context = {**household_file(user=request.user, household=household), "printed_at": timezone.localtime()}
    pdf = render_pdf("reports/print/household_file.html", context, request)
    return pdf_response(pdf, f"扶贫手册-{household.household_no}.pdf", personal=True)


def _year_param(request) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


@require_GET
def exit_notice_pdf(request, pk: int):
    """The village's 贫困户退出公示 (PDF) for a year (default: the latest year with exit cases)."""
    village = get_object_or_404(Region, pk=pk, level=Level.VILLAGE)
    if not villages_in_scope(user=request.user).filter(pk=pk).exists():
        raise Http404(_("没有找到该村，或不在您的辖区内"))
    _refuse(request, "reports.print_exit_notice", village)
    years = exit_notice_years(user=request.user, village=village)
    year = _year_param(request) or (years[0] if years else timezone.localdate().year)
    context = {
        **exit_notice(user=request.user, village=village, year=year),
        "printed_at": timezone.localtime(),
    }
    pdf = render_pdf("reports/print/exit_notice.html", context, request)
    return pdf_response(pdf, f"{village.name}{year}年贫困户退出公示.pdf", personal=True)


@require_GET
def mpi(request):
    """The multidimensional measure of the user's jurisdiction beside the income measure, with what-if
    weights and cutoff from the query string."""
    _refuse(request, "reports.view_mpi")
    run = mpi_run(_year_param(request))
    settings, changed = settings_from_query(request.GET)
    registered_only = request.GET.get("population") != "all"
    result = compute(indicator_frame(user=request.user, run=run, registered_only=registered_only), settings)
    labels = dict(INDICATORS)
    context = {
        "run": run,
        "years": mpi_years(),
        "result": result,
        "changed": changed,
        "registered_only": registered_only,
        "area": request.user.region.name if request.user.region else _("全县"),
        "indicators": [
            {
                "code": code,
                "label": labels[code],
                "weight": settings.weights[code],
                "raw": result.total.raw_headcount_ratios[code],
                "censored": result.total.censored_headcount_ratios[code],
                "contribution": result.total.contributions[code],
                "missing": result.missing_by_indicator[code],
            }
            for code in INDICATOR_CODES
        ],
    }
    return TemplateResponse(request, "reports/mpi.html", context)


@require_GET
def monitoring_notice_pdf(request, pk: int):
    """The village's 防止返贫监测对象公示 (PDF): no ID number, phone, bank account or health detail."""
    village = get_object_or_404(Region, pk=pk, level=Level.VILLAGE)
    if not villages_in_scope(user=request.user).filter(pk=pk).exists():
        raise Http404(_("没有找到该村，或不在您的辖区内"))
    _refuse(request, "monitoring.print_notice", village)
    context = {**monitoring_notice(user=request.user, village=village), "printed_at": timezone.localtime()}
    pdf = render_pdf("reports/print/monitoring_notice.html", context, request)
    return pdf_response(pdf, f"{village.name}防止返贫监测对象公示.pdf", personal=True)


@require_GET
def reverse_notification_pdf(request):
    """The 逆向通报 (PDF) from the supervision data: problems only, for the month in ``?month=YYYY-MM-DD``
    (default: last month)."""
    _refuse(request, "supervision.view_report")
    try:
        month = datetime.date.fromisoformat(request.GET.get("month", "")).replace(day=1)
    except ValueError:
        month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    context = {**reverse_notification(user=request.user, month=month), "printed_at": timezone.localtime()}
    pdf = render_pdf("reports/print/reverse_notification.html", context, request)
    return pdf_response(pdf, f"督查问题逆向通报-{month:%Y年%m月}.pdf", personal=False)
