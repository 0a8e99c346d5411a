"""Pages of other departments' lists: the lists, their differences with the registry, and the 4类重点对象 list —
each a filtered, sortable, paged table with an .xlsx export of exactly what it holds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tuopin.accounts.jurisdiction import regions_visible
from tuopin.accounts.permissions import may, refusal
from tuopin.core.errors import ApplicationError, PermissionDeniedError
from tuopin.core.inputs import safe_next
from tuopin.core.tables import Column, table_page
from tuopin.core.xlsx import table_workbook, xlsx_response
from tuopin.imports.departments import (
    PRESENCE_FLAGS,
    DifferenceRow,
    department_differences,
    department_list_import,
    department_record_accept,
    department_status_counts,
    registry_flag_withdraw,
)
from tuopin.imports.models import DepartmentRecord, MatchStatus
from tuopin.imports.renovation import CATEGORIES, renovation_objects
from tuopin.imports.views.forms import DepartmentUploadForm, DifferenceFilterForm, RenovationFilterForm
from tuopin.regions.models import Level
from tuopin.registry import privacy
from tuopin.registry.selectors import person_get


def departments_home(request):
    may_load = may(request.user, "imports.load_department_list")
    context = {
        "lists": department_status_counts(user=request.user),
        "statuses": MatchStatus.choices,
        "may_load": may_load,
        "form": DepartmentUploadForm() if may_load else None,
    }
    return TemplateResponse(request, "imports/departments.html", context)


@require_POST
def department_upload(request):
    form = DepartmentUploadForm(request.POST)
    upload = request.FILES.get("file")
    refused = getattr(request, "upload_refused", "")
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect("imports:departments")
    if refused or upload is None:
        messages.error(request, refused or "请选择名单文件")
        return redirect("imports:departments")
    try:
        source = department_list_import(
            user=request.user,
            department=form.cleaned_data["department"],
            as_of=form.cleaned_data["as_of"],
            file_name=upload.name,
            content=upload.read(),
        )
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("imports:departments")
    messages.success(request, f"已导入{source}，共 {source.record_count} 条记录")
    return redirect("imports:departments")


# --- differences --------------------------------------------------------------------------------------------


def _household_no(row: DifferenceRow) -> str:
    return row.person.household.household_no if row.person else ""


def _name(row: DifferenceRow) -> str:
    if row.person:
        return row.person.name
    return row.record.name if row.record else ""


def _village_name(row: DifferenceRow) -> str:
    if row.person:
        return row.person.household.village.name
    return str((row.record.values or {}).get("village", "")) if row.record else ""


def _id_number(row: DifferenceRow) -> str:
    if row.person:
        return row.person.id_number or ""
    return row.record.id_number if row.record else ""


DIFFERENCE_COLUMNS = (
    Column("department", "部门", sort_key=lambda r: (r.department_label, _household_no(r))),
    Column("no", "户编号", sort_key=_household_no),
    Column("name", "姓名", sort_key=lambda r: (_name(r), _household_no(r))),
    Column("village", "村", sort_key=lambda r: (_village_name(r), _household_no(r))),
    Column("kind", "差异类型", sort_key=lambda r: (r.kind, _household_no(r))),
)


def _differences(request) -> dict:
    villages = regions_visible(request.user).filter(level=Level.VILLAGE).select_related("parent")
    form = DifferenceFilterForm(request.GET, villages=villages)
    chosen = form.values()
    village = villages.filter(pk=chosen.get("village")).first() if chosen.get("village") else None
    rows = department_differences(user=request.user, village_path=village.path if village else None)
    rows = [
        row
        for row in rows
        if (not chosen.get("department") or row.department == chosen["department"])
        and (not chosen.get("kind") or row.kind == chosen["kind"])
    ]
    table = table_page(request, rows, columns=DIFFERENCE_COLUMNS, default="no")
    return {
        "filter_form": form,
        "village": village,
        "table": table,
        "show_full": may(request.user, "registry.export_personal_data"),
    }


@require_GET
def department_differences_view(request):
    context = _differences(request)
    context["acceptable"] = {
        row.person.pk
        for row in context["table"].rows
        if row.person is not None and may(request.user, "imports.accept_difference", row.person)
    }
    template = "imports/differences.html#results" if request.htmx else "imports/differences.html"
    return TemplateResponse(request, template, context)


@require_GET
def department_differences_export(request):
    """The differences as the page's table holds them (filters, order, every page), ID numbers as shown."""
    context = _differences(request)
    full = context["show_full"]
    rows = (
        (
            row.department_label,
            _household_no(row),
            _name(row),
            privacy.shown_id_number(_id_number(row), full=full),
            _village_name(row),
            row.sentence,
        )
        for row in context["table"].page.paginator.object_list
    )
    headers = ("部门", "户编号", "姓名", "证件号码", "村", "差异")
    content, count = table_workbook("部门名单与登记库的差异", headers, rows)
    privacy.record_export(
        user=request.user,
        what="部门名单差异",
        subject=context["table"].query_string or "全部",
        rows=count,
        is_masked=not full,
    )
    return xlsx_response(content, f"部门名单差异-{timezone.localdate():%Y%m%d}.xlsx")


@require_POST
def department_accept(request, pk: int):
    record = DepartmentRecord.objects.select_related("source").filter(pk=pk).first()
    if record is None:
        messages.error(request, "没有找到该记录")
        return redirect("imports:differences")
    try:
        department_record_accept(record=record, by=request.user)
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"已采纳{record.source.get_department_display()}对“{record.name}”的记录，登记库已更新"
        )
    return redirect(safe_next(request, reverse("imports:differences")))


@require_POST
def department_withdraw(request, person_pk: int, department: str):
    person = person_get(user=request.user, pk=person_pk)
    if department not in PRESENCE_FLAGS:
        messages.error(request, "该部门名单不能撤销登记库标记")
        return redirect("imports:differences")
    try:
        registry_flag_withdraw(person=person, department=department, by=request.user)
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已按部门名单更新“{person.name}”的登记信息")
    return redirect(safe_next(request, reverse("imports:differences")))


# --- the 4类重点对象 -----------------------------------------------------------------------------------------

RENOVATION_COLUMNS = (
    Column("key", "户编号", sort_key=lambda o: o.key),
    Column("township", "乡镇（街道）", sort_key=lambda o: (o.township, o.village, o.key)),
    Column("village", "村", sort_key=lambda o: (o.village, o.key)),
    Column("grade", "危房等级", sort_key=lambda o: (o.grade, o.key)),
)


def _renovation(request) -> dict:
    if not may(request.user, "imports.view_renovation_list"):
        raise PermissionDenied(refusal("imports.view_renovation_list"))
    result = renovation_objects(user=request.user)
    form = RenovationFilterForm(request.GET, townships=[t.township for t in result.townships])
    chosen = form.values()
    objects = [
        o
        for o in result.objects
        if (not chosen.get("township") or o.township == chosen["township"])
        and (not chosen.get("category") or chosen["category"] in o.categories)
    ]
    return {
        "result": result,
        "filter_form": form,
        "table": table_page(request, objects, columns=RENOVATION_COLUMNS, default="township"),
        "categories": CATEGORIES,
        "show_full": may(request.user, "registry.export_personal_data"),
    }


@require_GET
def renovation_view(request):
    context = _renovation(request)
    template = "imports/renovation.html#results" if request.htmx else "imports/renovation.html"
    return TemplateResponse(request, template, context)


@require_GET
def renovation_export(request):
    context = _renovation(request)
    full = context["show_full"]
    rows = (
        (
            o.key if o.household_id or full else "",
            o.head_name,
            privacy.shown_id_number(o.id_number, full=full),
            o.township,
            o.village,
            o.grade,
            o.grade_source,
            "、".join(CATEGORIES.get(c, c) for c in o.categories),
        )
        for o in context["table"].page.paginator.object_list
    )
    headers = ("户编号", "户主", "证件号码", "乡镇（街道）", "村", "危房等级", "等级来源", "类别")
    content, count = table_workbook("农村危房改造4类重点对象", headers, rows)
    privacy.record_export(
        user=request.user,
        what="4类重点对象名单",
        subject=context["table"].query_string or "全部",
        rows=count,
        is_masked=not full,
    )
    return xlsx_response(content, f"4类重点对象-{timezone.localdate():%Y%m%d}.xlsx")
