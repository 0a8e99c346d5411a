"""The standards page: values in force for a year with their sources; county users set new values."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from tuopin.accounts.permissions import may
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import parse_date, parse_int, query_int
from tuopin.policy.models import StandardKey
from tuopin.policy.selectors import standard_rows, standards_resolve
from tuopin.policy.services import standard_set
from tuopin.regions.models import Level, Region


def _year(request) -> int:
    return query_int(request, "year", default=2018, min_value=2000, max_value=2100) or 2018


@require_http_methods(["GET", "POST"])
def standards(request):
    year = _year(request)
    county = Region.objects.filter(level=Level.COUNTY).order_by("pk").first()
    can_edit = may(request.user, "policy.set_standard")
    errors: dict[str, str] = {}
    form = {}
    if request.method == "POST":
        form = request.POST
        try:
            raw_date = form.get("source_date") or ""
            try:
                source_date = parse_date(raw_date, label="文件日期") if raw_date.strip() else None
            except ApplicationError as error:
                raise ApplicationError(error.message, field="source_date") from None
            if form.get("year"):  # a posted year is a form field: refused, not replaced by the default
                year = parse_int(form["year"], label="起用年度", min_value=2000, max_value=2100)
            standard_set(
                key=form.get("key", ""),
                year=year,
                region=county if form.get("scope") == "county" else None,
                value=form.get("value", ""),
                source_document=form.get("source_document", ""),
                source_date=source_date,
                note=form.get("note", ""),
                needs_confirmation=bool(form.get("needs_confirmation")),
                by=request.user,
            )
        except ApplicationError as error:
            errors[error.field or "general"] = error.message
        else:
            messages.success(request, "已保存政策标准")
            return redirect(f"{request.path}?year={year}")
    context = {
        "year": year,
        "county": county,
        "resolved": standards_resolve(year=year, region=county).values(),
        "rows": standard_rows(),
        "keys": StandardKey.choices,
        "can_edit": can_edit,
        "errors": errors,
        "form": form,
    }
    return TemplateResponse(request, "policy/standards.html", context, status=400 if errors else 200)
