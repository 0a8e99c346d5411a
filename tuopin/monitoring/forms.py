"""Forms of the monitoring pages; every value is checked here and again by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuopin.monitoring.models import Category, ClueSource, EliminationKind, MeasureKind, RiskType, Stage

MANUAL_SOURCES = [(c.value, c.label) for c in ClueSource if c != ClueSource.TRIGGER]


class ClueForm(forms.Form):
    source = forms.ChoiceField(label=_("来源"), choices=MANUAL_SOURCES)
    reason = forms.CharField(label=_("风险原因"), max_length=500)
    evidence = forms.CharField(
        label=_("依据"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepForm(forms.Form):
    to = forms.ChoiceField(label=_("办理环节"), choices=Stage.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(label=_("说明"), max_length=1000, required=False)
    notice_start = forms.DateField(label=_("公示开始"), required=False)
    notice_end = forms.DateField(label=_("公示结束"), required=False)
    category = forms.ChoiceField(
        label=_("监测对象类别"), choices=[("", "—"), *Category.choices], required=False
    )
    risk_types = forms.MultipleChoiceField(label=_("致贫返贫风险"), choices=RiskType.choices, required=False)
    elimination_kind = forms.ChoiceField(
        label=_("风险消除方式"), choices=[("", "—"), *EliminationKind.choices], required=False
    )

    def step_data(self) -> dict:
        data = {
            key: self.cleaned_data[key]
            for key in ("notice_start", "notice_end", "category", "elimination_kind")
        }
        data["risk_types"] = self.cleaned_data["risk_types"]
        return {key: value for key, value in data.items() if value}


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("帮扶措施类型"), choices=MeasureKind.choices)
    description = forms.CharField(label=_("措施内容"), max_length=200)
    responsible = forms.CharField(label=_("责任人或单位"), max_length=100)
    carried_out_on = forms.DateField(label=_("实施日期"))
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
