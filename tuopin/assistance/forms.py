from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.models import User
from tuopin.assistance.models import Measure, TeamMember, Unit, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "visited_on",
            "met",
            "findings",
            "measures_agreed",
            "follow_up_on",
            "photo",
            "raises_clue",
            "clue_reason",
        ]
        widgets = {
            "visited_on": DATE,
            "follow_up_on": DATE,
            "findings": forms.Textarea(attrs={"rows": 4}),
            "measures_agreed": forms.Textarea(attrs={"rows": 3}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["description", "responsible", "due_on"]
        widgets = {"due_on": DATE}


class MeasureDoneForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    is_done = forms.BooleanField(required=False)


class PairForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("帮扶责任人"), queryset=User.objects.none())
    unit = forms.ModelChoiceField(label=_("派出单位"), queryset=Unit.objects.all(), required=False)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["cadre"]).queryset = cadres


class PresenceForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("队员"), queryset=TeamMember.objects.filter(end_date__isnull=True)
    )
    month = forms.DateField(label=_("月份（任一日）"), widget=DATE)
    days = forms.IntegerField(label=_("在村天数"), min_value=0, max_value=31)


class UnitReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.all())
    month = forms.DateField(label=_("所报月份（任一日）"), widget=DATE)
    received_on = forms.DateField(label=_("报送日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MonthForm(forms.Form):
    month = forms.DateField(required=False, widget=DATE)
