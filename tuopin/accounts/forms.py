from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.models import AccessKind, Role
from tuopin.accounts.services import ASSIGNABLE_ROLES
from tuopin.regions.models import Level, Region


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class _ServiceErrorsMixin(_FormBase):
    def add_service_errors(self, error) -> None:
        if error.errors:
            for field, messages in error.errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            self.add_error(None, error.message)


def _region_field(required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        Region.objects.filter(level__lte=Level.VILLAGE).order_by("path"),
        label=_("辖区"),
        required=required,
        empty_label=_("（不指定：全县）"),
        help_text=_("乡镇用户选乡镇，村级用户选行政村，帮扶责任人选其所在村、乡镇或全县"),
    )


def _role_choices():
    return [(value, Role(value).label) for value in ASSIGNABLE_ROLES]


class UserProfileForm(_ServiceErrorsMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=_role_choices)
    region = _region_field()
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    work_unit = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class PasswordPairForm(_ServiceErrorsMixin, forms.Form):
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=_("至少 8 位，不能全是数字，不能与用户名相近；用户首次登录时须修改"),
    )
    password_again = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("两次输入的密码不一致"))
        return data


class UserCreateForm(UserProfileForm, PasswordPairForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    field_order = ["username", "full_name", "role", "region", "work_unit", "phone", "password"]


class UserFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("角色"), choices=lambda: [("", _("全部")), *_role_choices()], required=False
    )
    region = _region_field()
    active = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), ("1", _("在用")), ("0", _("已停用"))],
        required=False,
    )
    q = forms.CharField(label=_("用户名/姓名"), max_length=50, required=False)


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(label=_("用户名"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=lambda: _access_kinds())
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data


def _access_kinds():
    return [("", _("全部")), *AccessKind.choices]
