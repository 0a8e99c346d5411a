"""Forms of the assessment pages: they parse and type what a page sends (POST and the tables' GET filters);
permission and business checks stay in the services."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db import models

from tuopin.assessment.engine.rules import EXIT_RULESET
from tuopin.assessment.models import Colour, ExitStep, SamplingCheck, SatisfactionSurvey, VillageRecord
from tuopin.assessment.selectors.pages import OUTCOME_CHOICES, STATUS_CHOICES, ResultFilters
from tuopin.core.errors import ApplicationError
from tuopin.core.inputs import BoundedFormMixin, check_value
from tuopin.policy.models import Standard

FLAG_CHOICES = (("", "未知"), ("yes", "有"), ("no", "无"))


def _field(model: type[models.Model], name: str) -> models.Field:
    return cast(models.Field, model._meta.get_field(name))


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def first_error(form: forms.Form) -> str:
    """The form's first error as one Chinese sentence naming its field (for a message after a redirect)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return "提交的内容有误"


class RunForm(forms.Form):
    year = forms.IntegerField(label="评估年度", min_value=2000, max_value=2100)


class ExitStepForm(BoundedFormMixin, forms.Form):
    bounds = {"document": _field(ExitStep, "document"), "note": _field(ExitStep, "note")}
    to_status = forms.ChoiceField(label="办理", choices=())
    on_date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(
        label="文件/材料",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：评议记录、公示照片、审核表"}),
    )
    note = forms.CharField(label="说明（撤回、返贫须填写原因）", required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "to_status").choices = list(choices)


class VillageRecordForm(BoundedFormMixin, forms.Form):
    bounds = {
        "collective_income": _field(VillageRecord, "collective_income"),
        "rural_population": _field(VillageRecord, "rural_population"),
        "source": _field(VillageRecord, "source"),
    }
    collective_income = forms.DecimalField(
        label="村集体经济收入（元）", max_digits=14, decimal_places=2, required=False, min_value=0
    )
    has_work_team = forms.ChoiceField(label="县以上派驻扶贫工作队", choices=FLAG_CHOICES, required=False)
    has_first_secretary = forms.ChoiceField(label="第一书记", choices=FLAG_CHOICES, required=False)
    rural_population = forms.IntegerField(
        label="农村户籍人口（空则按系统登记人口）", required=False, min_value=0
    )
    source = forms.CharField(label="依据", required=False)

    def values(self) -> dict:
        data = self.cleaned_data
        flag = {"yes": True, "no": False}
        return {
            "collective_income": data["collective_income"],
            "has_work_team": flag.get(data["has_work_team"]),
            "has_first_secretary": flag.get(data["has_first_secretary"]),
            "rural_population": data["rural_population"],
            "source": data["source"].strip(),
        }


SAMPLING_COUNTS = (
    "registered_checked",
    "mis_included",
    "unregistered_checked",
    "missed",
    "exited_checked",
    "mis_exited",
)


class SamplingForm(BoundedFormMixin, forms.Form):
    bounds = {name: _field(SamplingCheck, name) for name in SAMPLING_COUNTS}
    on_date = forms.DateField(label="抽查日期", widget=forms.DateInput(attrs={"type": "date"}))
    registered_checked = forms.IntegerField(label="抽查建档立卡人口", required=False, min_value=0)
    mis_included = forms.IntegerField(label="错评", required=False, min_value=0)
    unregistered_checked = forms.IntegerField(label="抽查未建档立卡人口", required=False, min_value=0)
    missed = forms.IntegerField(label="漏评", required=False, min_value=0)
    exited_checked = forms.IntegerField(label="抽查脱贫人口", required=False, min_value=0)
    mis_exited = forms.IntegerField(label="错退", required=False, min_value=0)

    def counts(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] or 0 for name in SAMPLING_COUNTS}


class SurveyForm(BoundedFormMixin, forms.Form):
    bounds = {name: _field(SatisfactionSurvey, name) for name in ("surveyed", "satisfied")}
    on_date = forms.DateField(label="调查日期", widget=forms.DateInput(attrs={"type": "date"}))
    surveyed = forms.IntegerField(label="调查户数", min_value=0)
    satisfied = forms.IntegerField(label="满意户数", min_value=0)


class WhatIfForm(forms.Form):
    """One optional field per standard that may be tried; values checked against the stored standard's field."""

    def __init__(self, *args, fields: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for item in fields:
            self.fields[item["key"]] = forms.CharField(
                label=item["label"],
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"placeholder": "拟调整为……"}),
            )

    def clean(self):
        data = super().clean() or {}
        overrides = {}
        for name, field in self.fields.items():
            raw = (data.get(name) or "").strip()
            if not raw:
                continue
            try:
                value = check_value(_field(Standard, "value"), raw, label=str(field.label))
            except ApplicationError as error:
                self.add_error(name, error.message)
                continue
            if value < 0:
                self.add_error(name, f"“{field.label}”不能为负数")
                continue
            overrides[name] = value
        data["overrides"] = overrides
        return data


class ResultFilterForm(forms.Form):
    """The filters of a run's household table (GET). A value that is not offered is ignored, never an error."""

    township = forms.TypedChoiceField(label="乡镇", coerce=int, required=False, empty_value=None)
    village = forms.TypedChoiceField(label="行政村", coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label="状态", choices=(("", "全部"), *STATUS_CHOICES), required=False)
    outcome = forms.ChoiceField(label="结果", choices=(("", "全部"), *OUTCOME_CHOICES), required=False)
    colour = forms.ChoiceField(label="五色卡", choices=(("", "全部"), *Colour.choices), required=False)
    criterion = forms.ChoiceField(
        label="未达标或缺数据的标准",
        choices=(("", "全部"), *((c.code, c.title) for c in EXIT_RULESET.criteria)),
        required=False,
    )

    def __init__(self, *args, townships=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "township").choices = [("", "全部"), *((t.pk, t.name) for t in townships)]
        _choices(self, "village").choices = [
            ("", "全部"),
            *((v.pk, f"{v.parent.name} {v.name}") for v in villages),
        ]

    def filters(self, *, planned: bool = False) -> ResultFilters:
        """The valid filters; an invalid field counts as not chosen."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return ResultFilters(
            township_id=data.get("township"),
            village_id=data.get("village"),
            status=data.get("status") or "",
            outcome=data.get("outcome") or "",
            colour=data.get("colour") or "",
            criterion=data.get("criterion") or "",
            planned=planned,
        )
