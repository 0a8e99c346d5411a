"""Forms parse and type the input; permission and business checks run in the services."""

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.db.models import QuerySet

from tuopin.core.errors import ApplicationError
from tuopin.core.forms import VersionedFormMixin
from tuopin.core.inputs import BoundedFormMixin
from tuopin.core.money import WAN, to_cents
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
from tuopin.regions.models import Level, Region

if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


def model_fields(model: type[models.Model], names: Iterable[str]) -> dict[str, models.Field[Any, Any]]:
    """The model fields a plain form's fields feed (for ``BoundedFormMixin.bounds``)."""
    found = {}
    for name in names:
        field = model._meta.get_field(name)
        if isinstance(field, models.Field):
            found[name] = field
    return found


def set_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> forms.ModelChoiceField[Any]:
    """Give a model choice field of ``form`` the rows it may offer (the user's programmes, regions)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset
    return field


class IndentedRegionField(forms.ModelChoiceField[Region]):
    """Regions indented by level (县 › 乡镇 › 村 › 组) in the drop-down."""

    def label_from_instance(self, obj: Region) -> str:
        return "　" * (obj.level - Level.COUNTY) + obj.name


class ServiceErrorsMixin(_FormBase):
    """Puts an ApplicationError's messages on the form: on the field it names when the form has it, else on
    the form (the service's field names are never shown)."""

    def add_service_errors(self, error: ApplicationError) -> None:
        if error.errors:
            for field, messages in error.errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            self.add_error(error.field if error.field in self.fields else None, error.message)


class ProjectForm(VersionedFormMixin, BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    bounds = model_fields(
        Project,
        (
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
        ),
    )
    programme = forms.ModelChoiceField(label="所属工程", queryset=Programme.objects.none())
    name = forms.CharField(label="项目名称", max_length=200)
    region = IndentedRegionField(label="实施地点", queryset=Region.objects.none(), required=False)
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

    def __init__(
        self, *args: Any, programmes: QuerySet[Programme], regions: QuerySet[Region], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "programme", programmes)
        set_choices(self, "region", regions)

    record_model = Project  # type: ignore[assignment]  # VersionedFormMixin declares no model by default
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
            return to_cents(value * WAN)
        return value

    def changed_fields(self) -> set[str]:
        """The model fields the user changed."""
        return {model_name for name in self.changed_data if (model_name := self.model_name_of(name))}

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
            investment=to_cents(data["investment_wan"] * WAN),
            quantity=data["quantity"],
            unit=data["unit"],
            unit_cost=to_cents(unit_cost * WAN) if unit_cost is not None else None,
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
    bounds = model_fields(FundEntry, ("amount", "entry_date"))
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
    bounds = model_fields(TargetActual, ("year", "value", "note"))
    target = forms.IntegerField(widget=forms.HiddenInput)
    region = forms.ModelChoiceField(label="地区", queryset=Region.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    value = forms.DecimalField(label="完成值", max_digits=16, decimal_places=4, min_value=Decimal(0))
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", regions)


class CostItemForm(BoundedFormMixin, ServiceErrorsMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    unit_cost = forms.DecimalField(label="单价（元）", max_digits=14, decimal_places=2, min_value=Decimal(0))
