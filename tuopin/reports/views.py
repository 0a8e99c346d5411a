from django.template.response import TemplateResponse

from tuopin.accounts.permissions import area_name
from tuopin.reports.charts import Series, bar_chart
from tuopin.reports.selectors import overview as overview_figures

STATUS_SERIES = [Series("已脱贫", "#2e7d32"), Series("未脱贫", "#b3261e"), Series("返贫", "#e0a100")]


def overview(request):
    data = overview_figures(user=request.user)
    data["area_name"] = area_name(request.user)
    data["township_chart"] = bar_chart(
        "各乡镇（街道）建档立卡人数", [(t["name"], t["people"]) for t in data["townships"]], STATUS_SERIES
    )
    data["cause_chart"] = bar_chart(
        "主要致贫原因（户）",
        [(label, [n - poor, poor]) for label, n, poor in data["causes"]],
        [Series("已脱贫", "#2e7d32"), Series("未脱贫（含返贫）", "#b3261e")],
    )
    return TemplateResponse(request, "reports/overview.html", data)
