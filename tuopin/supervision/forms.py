from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tuopin.assistance.models import SubCommand, Unit
from tuopin.supervision.models import Inspection, Problem, ProblemStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["kind", "title", "working_group", "held_on"]
        widgets = {"held_on": DATE}


class ProblemForm(forms.ModelForm):
    household_no = forms.CharField(label=_("农户户编号"), max_length=32, required=False)

    class Meta:
        model = Problem
        fields = [
            "inspection",
            "title",
            "description",
            "region",
            "project",
            "unit",
            "sub_command",
            "responsible_unit",
            "responsible_person",
            "deadline",
            "required_rectification",
        ]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, regions, households, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.households = households
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        cast(forms.ModelChoiceField, self.fields["project"]).queryset = projects

    def clean_household_no(self):
        number = self.cleaned_data["household_no"].strip()
        if not number:
            return None
        household = self.households.filter(household_no=number).first()
        if household is None:
            raise forms.ValidationError(_("没有找到该户编号的农户，或不在您的辖区内"))
        return household
        self.fields["unit"].queryset = Unit.objects.all()
        self.fields["sub_command"].queryset = SubCommand.objects.all()


class ProblemEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Problem
        fields = ["title", "description", "responsible_person", "deadline", "required_rectification"]
        widgets = {"deadline": DATE}


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("改为"), choices=ProblemStatus.choices)
    rectification = forms.CharField(
        label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("整改佐证"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class EscalateForm(forms.Form):
    body = forms.CharField(label=_("移交部门"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=400, required=False)
