from datetime import date
from decimal import Decimal
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tuopin.accounts.jurisdiction import regions_visible
from tuopin.accounts.models import User
from tuopin.accounts.permissions import ACTIONS, may, refusal
from tuopin.core.errors import ApplicationError, StaleEditError
from tuopin.core.forms import stale_context, stale_rebind
from tuopin.core.inputs import parse_int, query_int
from tuopin.core.tables import Column, table_page
from tuopin.regions.models import Level
from tuopin.registry import codes, privacy, procedures, services
from tuopin.registry.forms import HouseholdForm, MemberChangeForm, PersonDeleteForm, PersonForm
from tuopin.registry.models import (
    CodeList,
    Household,
    MemberChangeKind,
    PovertyStatus,
    ProcedureCase,
    ProcedureKind,
    ProcedureStatus,
)
from tuopin.registry.selectors import (
    ALL,
    NOT_EXITED,
    REGISTERED,
    HouseholdFilters,
    household_get,
    household_history,
    household_list,
    household_member_changes,
    household_members,
    household_procedures,
    households_for,
    latest_data_year,
    person_get,
    persons_for,
)
from tuopin.registry.yearly import household_years

STATUS_FILTERS = [
    (REGISTERED, "建档立卡"),
    (ALL, "全部（含卡外）"),
    (NOT_EXITED, "未脱贫（含返贫）"),
    *PovertyStatus.choices,
]
LIST_COLUMNS = (
    Column("no", "户编号", ("household_no",)),
    Column("village", "行政村", ("village__parent__name", "village__name", "household_no")),
    Column("size", "人口", ("member_count", "household_no")),
    Column("status", "脱贫状态", ("status", "household_no")),
    Column("year", "计划/脱贫年度", ("exit_year", "planned_exit_year", "household_no")),
)


def list_filters(request) -> HouseholdFilters:
    """The list's filters from the query string; without a status the list shows the registered (建档立卡)
    households, 卡外 households only when chosen."""
    return HouseholdFilters(
        region_id=query_int(request, "region"),
        status=request.GET.get("status", REGISTERED)[:20] or REGISTERED,
        cause=request.GET.get("cause", "")[:20],
        attribute=request.GET.get("attribute", "")[:20],
        query=request.GET.get("q", "")[:50],
        planned_exit_year=query_int(request, "planned"),
    )


def export_query(filters: HouseholdFilters) -> str:
    """The export link's query string: exactly the filters of the list shown (status always explicit)."""
    params = {
        "region": filters.region_id or "",
        "status": filters.status,
        "cause": filters.cause,
        "attribute": filters.attribute,
        "planned": filters.planned_exit_year or "",
        "q": filters.query,
    }
    return urlencode({key: value for key, value in params.items() if value})


def household_list_context(request, *, filters: HouseholdFilters, households) -> dict:
    """The household list page's context for ``households`` (already filtered by ``filters``): the table, the
    counts in 户 and 人, the filter choices and the export of exactly these filters. Pages of higher apps that
    narrow the list further (the dashboards' colour cards) reuse it with their own ``list_url``."""
    return {
        "table": table_page(request, households, columns=LIST_COLUMNS, default="no"),
        "filters": filters,
        "people": persons_for(request.user).filter(household__in=households.values("pk")).count(),
        "export_query": export_query(filters),
        "can_export": may(request.user, "imports.export_registry"),
        "regions": regions_visible(request.user).filter(level__in=(Level.TOWNSHIP, Level.VILLAGE)),
        "village_level": Level.VILLAGE,
        "status_choices": STATUS_FILTERS,
        "cause_choices": codes.choices(CodeList.CAUSE),
        "attribute_choices": codes.choices(CodeList.ATTRIBUTE),
        "can_create": may_create_somewhere(request.user),
        "list_url": reverse("registry:list"),
    }


def household_list_response(request, context: dict) -> TemplateResponse:
    """The whole page, or only the results when HTMX swaps them in after a filter, sort or page change."""
    template = "registry/household_list.html#results" if request.htmx else "registry/household_list.html"
    return TemplateResponse(request, template, context)


def household_list_view(request):
    filters = list_filters(request)
    households = household_list(user=request.user, filters=filters)
    return household_list_response(
        request, household_list_context(request, filters=filters, households=households)
    )


def household_detail(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    members = household_members(household=household)
    net = household.net_income
    show_full = may(request.user, "registry.view_full_identity", household)
    history = household_history(household=household)
    if show_full:
        privacy.record_full_view(user=request.user, household=household, what="农户页面")
    else:
        history = privacy.mask_history(history)
    context = {
        "household": household,
        "members": members,
        "per_capita": (net / len(members)).quantize(Decimal("0.01")) if net is not None and members else None,
        "history": history,
        "can_edit": may(request.user, "registry.edit_household", household),
        "can_edit_members": may(request.user, "registry.edit_member", household),
        "member_changes": household_member_changes(household=household),
        **_procedure_context(request.user, household),
        "show_full": show_full,
        "years": household_years(household=household),
    }
    return TemplateResponse(request, "registry/household_detail.html", context)


def may_create_somewhere(user) -> bool:
    """May the user create a household in some village (all villages they see are alike)?"""
    village = regions_visible(user).filter(level=Level.VILLAGE).first()
    return village is not None and may(user, "registry.create_household", village)


def _refused(request, name: str, target, back: str, *args):
    """Refuse a page the user may not use (a redirect with the Chinese message), or ``None``."""
    if may(request.user, name, target):
        return None
    messages.error(request, refusal(name))
    return redirect(back, *args)


def _form_kwargs(request) -> dict:
    villages = regions_visible(request.user).filter(level=Level.VILLAGE)
    return {"villages": villages}


def _household_form(request, instance=None, data=None):
    initial = {} if instance else {"data_year": latest_data_year(households_for(request.user))}
    return HouseholdForm(data, instance=instance, initial=initial, **_form_kwargs(request))


@require_http_methods(["GET", "POST"])
def household_create(request):
    if not may_create_somewhere(request.user):
        messages.error(request, refusal("registry.create_household"))
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
    if refused := _refused(request, "registry.edit_household", household, "registry:detail", pk):
        return refused
    form = _household_form(request, instance=household, data=request.POST or None)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                household=household,
                by=request.user,
                data=form.changes(),
                version=form.version,
                seen=form.seen(),
            )
        except StaleEditError as error:
            stale = stale_context(error, form)
            fresh = household_get(user=request.user, pk=pk)
            form = stale_rebind(
                HouseholdForm,
                fresh=fresh,
                posted=request.POST,
                changed=form.changed_data,
                **_form_kwargs(request),
            )
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "农户信息已保存")
            return redirect("registry:detail", pk=pk)
    context = {"form": form, "household": household, "stale": stale}
    return TemplateResponse(request, "registry/household_form.html", context)


@require_http_methods(["GET", "POST"])
def person_create(request, pk: int):
    """增加成员 (出生, 婚入, 分户, 其他): the member's data plus the reason and date of the change."""
    household = household_get(user=request.user, pk=pk)
    if refused := _refused(request, "registry.edit_member", household, "registry:detail", pk):
        return refused
    form = PersonForm(request.POST or None, year=household.data_year)
    change = MemberChangeForm(request.POST or None, kind=MemberChangeKind.ADD)
    if request.method == "POST" and (form.is_valid() & change.is_valid()):  # both forms show their errors
        try:
            person = procedures.member_add(
                household=household, by=request.user, data=form.service_data(), **change.cleaned_data
            )
        except ApplicationError as error:
            if error.field in change.fields:
                change.add_error(error.field, error.message)
            else:
                form.add_service_errors(error)
        else:
            messages.success(request, f"已添加成员 {person.name}")
            return redirect("registry:detail", pk=pk)
    context = {"form": form, "change": change, "household": household}
    return TemplateResponse(request, "registry/person_form.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = person_get(user=request.user, pk=pk)
    if refused := _refused(request, "registry.edit_member", person, "registry:detail", person.household_id):
        return refused
    if request.method == "GET":  # the form shows the full ID number: only to roles that see it in full
        if not may(request.user, "registry.view_full_identity", person.household):
            raise PermissionDenied(str(ACTIONS["registry.view_full_identity"].refusal))
        privacy.record_full_view(
            user=request.user, household=person.household, what=f"成员表单 {person.name}"
        )
    year = person.household.data_year
    form = PersonForm(request.POST or None, instance=person, year=year)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person, by=request.user, data=form.changes(), version=form.version, seen=form.seen()
            )
        except StaleEditError as error:
            stale = stale_context(error, form)
            fresh = person_get(user=request.user, pk=pk)
            form = cast(
                PersonForm,
                stale_rebind(
                    PersonForm, fresh=fresh, posted=request.POST, changed=form.changed_data, year=year
                ),
            )
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"成员 {form.cleaned_data['name']} 的信息已保存")
            return redirect("registry:detail", pk=person.household_id)
    context = {"form": form, "household": person.household, "person": person, "stale": stale}
    return TemplateResponse(request, "registry/person_form.html", context)


@require_http_methods(["GET", "POST"])
def person_delete(request, pk: int):
    """减少成员 (死亡, 婚出, 分户, 其他) with its reason and date."""
    person = person_get(user=request.user, pk=pk)
    if refused := _refused(request, "registry.edit_member", person, "registry:detail", person.household_id):
        return refused
    form = PersonDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedures.member_remove(person=person, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"已减少成员 {person.name}")
            return redirect("registry:detail", pk=person.household_id)
    return TemplateResponse(request, "registry/person_delete.html", {"form": form, "person": person})


# --- procedures: 纳入 and 返贫 -------------------------------------------------------------------------------


def _procedure_context(user: User, household: Household) -> dict:
    """The household's procedure records and the steps this user may take next (asked of the permission module)."""
    cases = household_procedures(household=household)
    open_cases = [c for c in cases if c.is_open]
    next_steps = {}
    for case in open_cases:
        moves = procedures.TRANSITIONS[ProcedureKind(case.kind)][ProcedureStatus(case.status)]
        next_steps[case.pk] = [
            (s.value, s.label)
            for s in ProcedureStatus
            if s in moves and may(user, procedures.STEP_ACTIONS[s], household)
        ]
    open_kinds = {c.kind for c in open_cases}
    startable = [
        (kind.value, kind.label)
        for kind in (ProcedureKind.IDENTIFICATION, ProcedureKind.RELAPSE)
        if household.status in procedures.START_STATUS[kind] and kind not in open_kinds
    ]
    may_start = may(user, procedures.STEP_ACTIONS[ProcedureStatus.APPLIED], household)
    return {
        "procedure_cases": [(c, next_steps.get(c.pk, [])) for c in cases],
        "procedure_startable": startable if may_start else [],
        "cause_choices": codes.choices(CodeList.CAUSE),
        "notice_days": procedures.notice_days(),
    }


def _date(raw: str):
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApplicationError("请填写正确的日期（YYYY-MM-DD）", field="on_date") from None


@require_POST
def procedure_start(request, pk: int):
    household = household_get(user=request.user, pk=pk)
    post = request.POST
    try:
        year = parse_int(post.get("year", ""), label="年度", min_value=2000, max_value=2100)
        procedures.procedure_start(
            household=household,
            kind=post.get("kind", ""),
            year=year,
            by=request.user,
            on_date=_date(post.get("on_date", "")),
            reason=post.get("reason", "")[:300],
            main_cause=post.get("main_cause", "")[:32],
            document=post.get("document", "").strip()[:200],
            note=post.get("note", "").strip()[:300],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已记录：申请")
    return redirect(f"{reverse('registry:detail', args=[pk])}#procedures")


@require_POST
def procedure_step(request, pk: int, case: int):
    household = household_get(user=request.user, pk=pk)
    record = get_object_or_404(ProcedureCase, pk=case, household=household)
    to_status = request.POST.get("to_status", "")
    try:
        procedures.procedure_advance(
            case=record,
            to_status=to_status,
            by=request.user,
            on_date=_date(request.POST.get("on_date", "")),
            document=request.POST.get("document", "").strip()[:200],
            note=request.POST.get("note", "").strip()[:300],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已记录：{ProcedureStatus(to_status).label}")
    return redirect(f"{reverse('registry:detail', args=[pk])}#procedures")
