"""Account pages for county administrators: users, failed logins, the access log; and the forced password
change after a password was set by an administrator."""

import io
from typing import cast
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from tuopin.accounts import selectors, services
from tuopin.accounts.forms import (
    AccessLogFilterForm,
    PasswordPairForm,
    UserCreateForm,
    UserFilterForm,
    UserProfileForm,
)
from tuopin.accounts.models import AccessKind, User
from tuopin.accounts.permissions import ACTIONS, may
from tuopin.core.errors import ApplicationError

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request, name: str) -> None:
    if not may(request.user, name):
        raise PermissionDenied(str(ACTIONS[name].refusal))


def _user_or_404(pk: int):
    user = selectors.user_get(pk=pk)
    if user is None:
        raise Http404(_("没有找到该用户"))
    return user


def user_list_view(request):
    _require(request, "accounts.manage_users")
    form = UserFilterForm(request.GET or None)
    filters = selectors.UserFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.UserFilters(
            role=data["role"], region=data["region"], active=data["active"], query=data["q"].strip()
        )
    page = Paginator(selectors.user_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query_string": query.urlencode()}
    return TemplateResponse(request, "accounts/user_list.html", context)


@require_http_methods(["GET", "POST"])
def user_create_view(request):
    _require(request, "accounts.manage_users")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                by=request.user,
                username=data["username"],
                role=data["role"],
                region=data["region"],
                password=data["password"],
                full_name=data["full_name"],
                work_unit=data["work_unit"],
                phone=data["phone"],
            )
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("已新建用户 %(name)s，首次登录时须修改密码") % {"name": user.username}
            )
            return redirect("accounts:user_list")
    return TemplateResponse(request, "accounts/user_form.html", {"form": form, "account": None})


@require_http_methods(["GET", "POST"])
def user_edit_view(request, pk: int):
    _require(request, "accounts.manage_users")
    account = _user_or_404(pk)
    initial = {name: getattr(account, name) for name in services.EDITABLE_FIELDS}
    form = UserProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.user_update(user=account, by=request.user, data=changed)
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("用户 %(name)s 的信息已保存") % {"name": account.username})
            return redirect("accounts:user_list")
    context = {"form": form, "account": account, "changes": selectors.user_changes(user=account)[:50]}
    return TemplateResponse(request, "accounts/user_form.html", context)


@require_POST
def user_active_view(request, pk: int):
    _require(request, "accounts.manage_users")
    account = _user_or_404(pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_deactivate(user=account, by=request.user, active=active)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        done = _("已恢复用户 %(name)s") if active else _("已停用用户 %(name)s")
        messages.success(request, done % {"name": account.username})
    return redirect("accounts:user_edit", pk=pk)


@require_http_methods(["GET", "POST"])
def user_password_view(request, pk: int):
    _require(request, "accounts.manage_users")
    account = _user_or_404(pk)
    form = PasswordPairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(user=account, by=request.user, password=form.cleaned_data["password"])
        except ApplicationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("已重置 %(name)s 的密码，该用户下次登录时须修改密码") % {"name": account.username}
            )
            return redirect("accounts:user_edit", pk=pk)
    return TemplateResponse(request, "accounts/user_password.html", {"form": form, "account": account})


def login_failures_view(request):
    _require(request, "accounts.manage_users")
    username = request.GET.get("username", "")[:150].strip()
    page = Paginator(selectors.login_failures(username=username), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "username": username, "attempts": selectors.current_lockouts()}
    return TemplateResponse(request, "accounts/login_failures.html", context)


@require_POST
def login_unlock_view(request):
    _require(request, "accounts.manage_users")
    username = request.POST.get("username", "")[:150]
    address = request.POST.get("ip_address", "")[:45]
    removed = services.login_unlock(by=request.user, username=username, ip_address=address)
    if removed:
        messages.success(
            request, _("已解除 %(name)s（%(address)s）的登录锁定") % {"name": username, "address": address}
        )
    else:
        messages.error(request, _("没有找到该用户名与地址的失败计数"))
    return redirect("accounts:login_failures")


def _access_filters(request) -> tuple[AccessLogFilterForm, selectors.AccessFilters]:
    form = AccessLogFilterForm(request.GET or None)
    if not form.is_valid():
        return form, selectors.AccessFilters()
    data = form.cleaned_data
    filters = selectors.AccessFilters(
        username=data["user"].strip(), kind=data["kind"], date_from=data["date_from"], date_to=data["date_to"]
    )
    return form, filters


def access_log_view(request):
    _require(request, "accounts.view_access_log")
    form, filters = _access_filters(request)
    page = Paginator(selectors.access_records(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query_string": query.urlencode()}
    return TemplateResponse(request, "accounts/access_log.html", context)


ACCESS_HEADERS = (
    "时间",
    "用户名",
    "姓名",
    "角色",
    "类型",
    "内容",
    "农户ID",
    "对象或筛选条件",
    "行数",
    "已脱敏",
)


def access_log_export(request):
    _require(request, "accounts.view_access_log")
    _form, filters = _access_filters(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("访问记录")
    sheet.append(ACCESS_HEADERS)
    count = 0
    zone = timezone.get_current_timezone()
    for record in selectors.access_records(filters=filters).iterator(chunk_size=2000):
        sheet.append(
            [
                record.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                record.user.username,
                record.user.full_name,
                record.user.get_role_display(),
                record.get_kind_display(),
                record.what,
                record.household_id,
                record.subject,
                record.rows,
                "是" if record.is_masked else "否",
            ]
        )
        count += 1
    stream = io.BytesIO()
    workbook.save(stream)
    services.access_record(
        user=request.user,
        kind=AccessKind.EXPORT,
        what="访问记录",
        subject=" ".join(f"{key}={value}" for key, value in request.GET.items() if value) or "全部",
        rows=count,
    )
    response = HttpResponse(stream.getvalue(), content_type=XLSX)
    name = quote(f"个人信息访问记录-{timezone.localdate():%Y%m%d}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; afterwards the must-change flag is cleared and the change is audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("reports:overview")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=cast(User, self.request.user))
        messages.success(self.request, _("密码已修改"))
        return response
