"""Forms of the department pages: the list upload and the tables' GET filters (a value not offered is ignored)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone

from tuopin.core.inputs import BoundedFormMixin
from tuopin.imports.models import Department
from tuopin.imports.renovation import CATEGORIES

KIND_CHOICES = (
    ("conflict", "与登记库不一致"),
    ("missing", "登记库有、名单中没有"),
    ("unmatched", "名单中有、登记库没有"),
)


class DepartmentUploadForm(BoundedFormMixin, forms.Form):
    department = forms.ChoiceField(
        label="来源部门",
        choices=Department.choices,
        error_messages={"required": "请选择来源部门", "invalid_choice": "请选择来源部门"},
    )
    as_of = forms.DateField(
        label="数据日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "请填写名单的数据日期（如 2018-04-30）",
            "invalid": "请填写名单的数据日期（如 2018-04-30）",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"as_of": timezone.localdate().isoformat()})
        super().__init__(*args, **kwargs)


def _valid(form: forms.Form) -> dict:
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if name not in form.errors}


class DifferenceFilterForm(forms.Form):
    village = forms.TypedChoiceField(label="行政村", coerce=int, required=False, empty_value=None)
    department = forms.ChoiceField(label="部门", choices=(("", "全部"), *Department.choices), required=False)
    kind = forms.ChoiceField(label="差异类型", choices=(("", "全部"), *KIND_CHOICES), required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["village"]).choices = [
            ("", "全部（我的辖区）"),
            *((v.pk, f"{v.parent.name} · {v.name}") for v in villages),
        ]

    def values(self) -> dict:
        return _valid(self)


class RenovationFilterForm(forms.Form):
    township = forms.ChoiceField(label="乡镇（街道）", required=False)
    category = forms.ChoiceField(label="类别", choices=(("", "全部"), *CATEGORIES.items()), required=False)

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["township"]).choices = [
            ("", "全部"),
            *((name, name) for name in townships),
        ]

    def values(self) -> dict:
        return _valid(self)
