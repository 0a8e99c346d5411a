from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from tuopin.accounts.jurisdiction import regions_visible
from tuopin.accounts.models import Role, User
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.regions.models import Level
from tuopin.registry import codes, services
from tuopin.registry.forms import HouseholdForm, PersonDeleteForm, PersonForm
from tuopin.registry.models import CodeList, Household, PovertyStatus
from tuopin.registry.selectors import (
    HouseholdFilters,
    household_get,
    household_history,
    household_list,
    household_members,
    households_for,
    latest_data_year,
    person_get,
)
from tuopin.registry.yearly import household_years

PAGE_SIZE = 50
STATUS_FILTERS = [
    ("", "全部"),
    ("registered", "建档立卡"),
    ("not_exited", "未脱贫（含返贫）"),
    *PovertyStatus.choices,
]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def household_list_view(request):
    filters = HouseholdFilters(
        region_id=_int(request.GET.get("region")),
        status=request.GET.get("status", ""),
        cause=request.GET.get("cause", ""),
        attribute=request.GET.get("attribute", ""),
        query=request.GET.get("q", "")[:50],
        planned_exit_year=_int(request.GET.get("planned")),
    )
    page = Paginator(household_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query_string": query.urlencode(),
        "regions": regions_visible(request.user).filter(level__in=(Level.TOWNSHIP, Level.VILLAGE)),
        "status_choices": STATUS_FILTERS,
        "cause_choices": codes.choices(CodeList.CAUSE),
        "attribute_choices": codes.choices(CodeList.ATTRIBUTE),
    }
    template = "registry/household_list.html#results" if request.htmx else "registry/household_list.html"
    return TemplateResponse(request, template, context)


def household_detail(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    members = household_members(household=household)
    net = household.net_income
    context = {
        "household": household,
        "members": members,
        "per_capita": (net / len(members)).quantize(Decimal("0.01")) if net is not None and members else None,
        "history": household_history(household=household),
        "can_edit": _can_edit(request.user, household),
        "years": household_years(household=household),
    }
    return TemplateResponse(request, "registry/household_detail.html", context)


def _can_edit(user: User, household: Household | None = None) -> bool:
    return user.can_edit_registry and not (household is None and user.role == Role.CADRE)


def _household_form(request, instance=None, data=None):
    villages = regions_visible(request.user).filter(level=Level.VILLAGE)
    cadres = User.objects.filter(role=Role.CADRE, is_active=True).order_by("username")
    initial = (
        {}
        if instance
        else {"data_year": latest_data_year(households_for(request.user)), "status": "unregistered"}
    )
    return HouseholdForm(data, instance=instance, villages=villages, cadres=cadres, initial=initial)


@require_http_methods(["GET", "POST"])
def household_create(request):
    if not _can_edit(request.user):
        messages.error(request, "您的角色不能新建农户")
        return redirect("registry:list")
    form = _household_form(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(by=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"已新建农户 {household.household_no}")
            return redirect("registry:detail", pk=household.pk)
    return TemplateResponse(request, "registry/household_form.html", {"form": form, "household": None})


@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    form = _household_form(request, instance=household, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.household_update(
                household=household_get(user=request.user, pk=pk), by=request.user, data=changed
            )
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "农户信息已保存")
            return redirect("registry:detail", pk=pk)
    return TemplateResponse(request, "registry/household_form.html", {"form": form, "household": household})


@require_http_methods(["GET", "POST"])
def person_create(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    form = PersonForm(request.POST or None, year=household.data_year)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(household=household, by=request.user, data=form.service_data())
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"已添加成员 {person.name}")
            return redirect("registry:detail", pk=pk)
    return TemplateResponse(request, "registry/person_form.html", {"form": form, "household": household})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = person_get(user=request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person, year=person.household.data_year)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.person_update(person=person_get(user=request.user, pk=pk), by=request.user, data=data)
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"成员 {data['name']} 的信息已保存")
            return redirect("registry:detail", pk=person.household_id)
    context = {"form": form, "household": person.household, "person": person}
    return TemplateResponse(request, "registry/person_form.html", context)


@require_http_methods(["GET", "POST"])
def person_delete(request, pk: int):
    person = person_get(user=request.user, pk=pk)
    form = PersonDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_delete(person=person, by=request.user, reason=form.cleaned_data["reason"])
        except (ApplicationError, PermissionDeniedError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已删除成员 {person.name}")
            return redirect("registry:detail", pk=person.household_id)
    return TemplateResponse(request, "registry/person_delete.html", {"form": form, "person": person})
