"""Forms parse and type the input; permission and business checks run in the services."""

from decimal import Decimal

from django import forms

from tuopin.core.errors import ApplicationError
from tuopin.core.forms import VersionedFormMixin
from tuopin.core.inputs import BoundedFormMixin
from tuopin.projects.models import (
    Channel,
    EntryKind,
    FundEntry,
    Programme,
    Project,
    ProjectStatus,
    TargetActual,
)
from tuopin.projects.services import ProjectData

WAN = Decimal(10_000)


class ServiceErrorsMixin:
    def add_service_errors(self, error: ApplicationError) -> None:
        if error.errors:
            for field, messages in error.errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)  # type: ignore[attr-defined]
        else:
            field = error.field if error.field in self.fields else None  # type: ignore[attr-defined]
            self.add_error(field, error.message)  # type: ignore[attr-defined]


class ProjectForm(VersionedFormMixin, BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    bounds = {
        name: Project._meta.get_field(name)
        for name in (
            "name",
            "place_text",
            "year_from",
            "year_to",
            "quantity",
            "unit",
            "beneficiary_households",
            "beneficiary_people",
            "beneficiary_poor_households",
            "beneficiary_poor_people",
            "responsible_unit",
        )
    }
    programme = forms.ModelChoiceField(label="所属工程", queryset=Programme.objects.none())
    name = forms.CharField(label="项目名称", max_length=200)
    region = forms.ModelChoiceField(label="实施地点", queryset=None, required=False)  # type: ignore[arg-type]
    place_text = forms.CharField(label="地点说明", max_length=200, required=False)
    year_from = forms.IntegerField(label="起始年度", min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label="完成年度", min_value=2000, max_value=2100)
    quantity = forms.DecimalField(label="建设规模", max_digits=14, decimal_places=3, required=False)
    unit = forms.CharField(label="单位", max_length=20, required=False, help_text="如 公里、立方米、户、盏")
    unit_cost_wan = forms.DecimalField(label="单价（万元）", max_digits=12, decimal_places=4, required=False)
    investment_wan = forms.DecimalField(label="总投资（万元）", max_digits=12, decimal_places=4)
    beneficiary_households = forms.IntegerField(label="受益户数", min_value=0, required=False)
    beneficiary_people = forms.IntegerField(label="受益人数", min_value=0, required=False)
    beneficiary_poor_households = forms.IntegerField(label="其中建档立卡户数", min_value=0, required=False)
    beneficiary_poor_people = forms.IntegerField(label="其中建档立卡人数", min_value=0, required=False)
    responsible_unit = forms.CharField(label="责任单位", max_length=100, required=False)
    is_per_household = forms.BooleanField(label="到户项目", required=False)

    def __init__(self, *args, programmes, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: ("　" * (r.level - 1)) + r.name

    record_model = Project
    #: form fields in 万元 and the model fields (元) they edit
    IN_WAN = {"unit_cost_wan": "unit_cost", "investment_wan": "investment"}

    @classmethod
    def for_record(cls, record, data=None, **kwargs):
        form = cls(data, initial=cls.initial_for(record), **kwargs)
        form._init_versioned(record.version)
        return form

    def model_name_of(self, name: str) -> str | None:
        return self.IN_WAN.get(name) or super().model_name_of(name)

    def model_value(self, name: str, value):
        if name in self.IN_WAN and value is not None:
            return (value * WAN).quantize(Decimal("0.01"))
        return value

    def changed_fields(self) -> set[str]:
        """The model fields the user changed."""
        return {self.model_name_of(name) for name in self.changed_data if self.model_name_of(name)}  # type: ignore[misc]

    @staticmethod
    def initial_for(project) -> dict:
        return {
            "programme": project.programme_id,
            "name": project.name,
            "region": project.region_id,
            "place_text": project.place_text,
            "year_from": project.year_from,
            "year_to": project.year_to,
            "quantity": project.quantity,
            "unit": project.unit,
            "unit_cost_wan": project.unit_cost / WAN if project.unit_cost is not None else None,
            "investment_wan": project.investment / WAN,
            "beneficiary_households": project.beneficiary_households,
            "beneficiary_people": project.beneficiary_people,
            "beneficiary_poor_households": project.beneficiary_poor_households,
            "beneficiary_poor_people": project.beneficiary_poor_people,
            "responsible_unit": project.responsible_unit,
            "is_per_household": project.is_per_household,
        }

    def project_data(self) -> ProjectData:
        data = self.cleaned_data
        unit_cost = data["unit_cost_wan"]
        return ProjectData(
            programme=data["programme"],
            name=data["name"],
            region=data["region"],
            place_text=data["place_text"],
            year_from=data["year_from"],
            year_to=data["year_to"],
            investment=(data["investment_wan"] * WAN).quantize(Decimal("0.01")),
            quantity=data["quantity"],
            unit=data["unit"],
            unit_cost=(unit_cost * WAN).quantize(Decimal("0.01")) if unit_cost is not None else None,
            beneficiary_households=data["beneficiary_households"],
            beneficiary_people=data["beneficiary_people"],
            beneficiary_poor_households=data["beneficiary_poor_households"],
            beneficiary_poor_people=data["beneficiary_poor_people"],
            responsible_unit=data["responsible_unit"],
            is_per_household=data["is_per_household"],
        )


class StatusForm(BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label="新状态", choices=ProjectStatus.choices)
    reason = forms.CharField(label="说明", max_length=200, required=False)


class FundEntryForm(BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    bounds = {name: FundEntry._meta.get_field(name) for name in ("amount", "entry_date")}
    kind = forms.ChoiceField(label="类型", choices=EntryKind.choices)
    channel = forms.ChoiceField(
        label="资金渠道", choices=[c for c in Channel.choices if c[0] != Channel.UNSPECIFIED]
    )
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2)
    entry_date = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document_no = forms.CharField(label="文号/凭证号", max_length=80, required=False)
    note = forms.CharField(label="摘要", max_length=200, required=False)


class ReverseForm(BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="冲销原因", max_length=150)


class HouseholdsForm(BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    household_numbers = forms.CharField(
        label="受益农户户编号",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="每行或用逗号分隔一个户编号；留空则清除",
    )

    def numbers(self) -> list[str]:
        text = self.cleaned_data["household_numbers"].replace("，", ",").replace("\n", ",")
        return [n.strip() for n in text.split(",") if n.strip()]


class TargetActualForm(BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    bounds = {name: TargetActual._meta.get_field(name) for name in ("year", "value", "note")}
    target = forms.IntegerField(widget=forms.HiddenInput)
    region = forms.ModelChoiceField(label="地区", queryset=None)  # type: ignore[arg-type]
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value = forms.DecimalField(label="完成值", max_digits=16, decimal_places=4, min_value=Decimal(0))
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class CostItemForm(BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    unit_cost = forms.DecimalField(label="单价（元）", max_digits=14, decimal_places=2, min_value=Decimal(0))
