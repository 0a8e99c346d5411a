"""Read-only JSON API over the registry, scoped by the same selectors as the pages (session login)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from tuopin.accounts.permissions import may
from tuopin.registry import privacy
from tuopin.registry.models import Household, Person
from tuopin.registry.selectors import HouseholdFilters, household_get, household_list, household_members

PAGE_SIZE = 100
HOUSEHOLD_FIELDS = (
    "household_no",
    "status",
    "attribute",
    "identification_year",
    "exit_year",
    "planned_exit_year",
    "main_cause",
    "other_cause_1",
    "other_cause_2",
    "data_year",
    "house_grade",
    "has_safe_drinking_water",
    "is_relocated",
)
INCOME_FIELDS = ("wage_income", "business_income", "property_income", "transfer_income", "business_expense")
PERSON_FIELDS = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "relation",
    "ethnicity",
    "education",
    "schooling",
    "labor_skill",
    "has_medical_insurance",
    "has_pension_insurance",
    "is_dibao",
    "is_tekun",
)


def _household_row(h: Household) -> dict:
    row = {"id": h.pk, **{f: getattr(h, f) for f in HOUSEHOLD_FIELDS}}
    row["village"] = {"code": h.village.code, "name": h.village.name}
    row["township"] = {"code": h.village.parent.code, "name": h.village.parent.name}
    return row


def _money(value) -> str | None:
    return None if value is None else str(value)


def _person_row(p: Person, *, full: bool) -> dict:
    row = {"id": p.pk, **{f: getattr(p, f) for f in PERSON_FIELDS}}
    row["birth_date"] = p.birth_date.isoformat() if p.birth_date else None
    row["id_number"] = privacy.shown_id_number(p.id_number, full=full)
    return row


@require_GET
def household_list_api(request):
    filters = HouseholdFilters(
        status=request.GET.get("status", ""),
        cause=request.GET.get("cause", ""),
        attribute=request.GET.get("attribute", ""),
        query=request.GET.get("q", "")[:50],
    )
    page = Paginator(household_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_household_row(h) | {"member_count": h.member_count} for h in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def household_detail_api(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    full = may(request.user, "registry.view_full_identity", household)
    if full:
        privacy.record_full_view(user=request.user, household=household, what="接口 农户详情")
    data = _household_row(household)
    data["income"] = {f: _money(getattr(household, f)) for f in INCOME_FIELDS}
    data["income"]["net_income"] = _money(household.net_income)
    data["members"] = [_person_row(p, full=full) for p in household_members(household=household)]
    data["identity_masked"] = not full
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
