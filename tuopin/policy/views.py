"""The standards page: values in force for a year with their sources; county users set new values."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from tuopin.accounts.permissions import may
from tuopin.core.errors import ApplicationError
from tuopin.policy.models import StandardKey
from tuopin.policy.selectors import standard_rows, standards_resolve
from tuopin.policy.services import standard_set
from tuopin.regions.models import Region


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else 2018


@require_http_methods(["GET", "POST"])
def standards(request):
    year = _year(request)
    county = Region.objects.filter(level=1).order_by("pk").first()
    can_edit = may(request.user, "policy.set_standard")
    errors: dict[str, str] = {}
    form = {}
    if request.method == "POST":
        form = request.POST
        try:
            raw_date = form.get("source_date") or ""
            standard_set(
                key=form.get("key", ""),
                year=year,
                region=county if form.get("scope") == "county" else None,
                value=form.get("value", ""),
                source_document=form.get("source_document", ""),
                source_date=date.fromisoformat(raw_date) if raw_date else None,
                note=form.get("note", ""),
                needs_confirmation=bool(form.get("needs_confirmation")),
                by=request.user,
            )
        except ApplicationError as error:
            errors[error.field or "general"] = error.message
        except ValueError:
            errors["source_date"] = "文件日期格式应为 YYYY-MM-DD"
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
