"""Forms parse and type the input; the business checks live in ``validation.py`` and run in the services."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tuopin.core.errors import ApplicationError
from tuopin.core.forms import VersionedFormMixin
from tuopin.core.inputs import BoundedFormMixin
from tuopin.regions.models import Level, Region
from tuopin.registry import codes
from tuopin.registry.models import Household, MemberChangeReason, Person
from tuopin.registry.models_procedures import MEMBER_REASONS, MemberChangeKind
from tuopin.registry.validation import HOUSEHOLD_CODED, PERSON_CODED

HEALTH_CHOICES = [
    ("is_healthy", _("健康")),
    ("has_chronic_disease", _("长期慢性病")),
    ("has_serious_disease", _("患有大病")),
    ("is_disabled", _("残疾")),
]

HOUSEHOLD_SECTIONS = {
    "基本信息": ["household_no", "village", "group", "address", "phone", "data_year"],
    # 脱贫状态, 识别年度 and 脱贫年度 are set by the procedures (纳入, 退出, 返贫), never in this form
    "识别与脱贫": [
        "identification_standard",
        "attribute",
        "planned_exit_year",
        "main_cause",
        "other_cause_1",
        "other_cause_2",
        "is_military_family",
    ],
    "收入与支出（元/年）": [
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "business_expense",
        "schooling_expense",
        "medical_self_paid",
    ],
    "生产条件（亩）": [
        "cultivated_land",
        "irrigated_land",
        "forest_land",
        "returned_farmland",
        "fruit_forest",
        "pasture",
        "water_surface",
    ],
    "生活条件": [
        "has_food_security",
        "has_clothing_security",
        "has_safe_drinking_water",
        "is_water_difficult",
        "water_source",
        "has_living_power",
        "has_production_power",
        "has_broadcast_tv",
        "fuel",
        "road",
        "distance_to_road_km",
        "has_sanitary_toilet",
        "joined_cooperative",
        "housing_area",
        "house_structure",
        "house_grade",
        "house_built_year",
    ],
    "易地扶贫搬迁": [
        "is_relocated",
        "relocation_mode",
        "relocation_site",
        "relocation_year",
        "relocation_self_funding",
        "relocation_debt",
    ],
}


class YesNoUnknown(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "未填写"), ("true", "是"), ("false", "否")]


def _nullable_boolean(field) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=field.verbose_name, widget=YesNoUnknown, required=False)


class ServiceFormMixin:
    """Puts an ApplicationError's per-field messages on the form."""

    def add_service_errors(self, error: ApplicationError) -> None:
        if not error.errors:
            self.add_error(None, error.message)  # type: ignore[attr-defined]
            return
        for field, messages in error.errors.items():
            for message in messages:
                target = field if field in self.fields else None  # type: ignore[attr-defined]
                self.add_error(target, message if target else f"{field}：{message}")  # type: ignore[attr-defined]


class HouseholdForm(VersionedFormMixin, BoundedFormMixin, ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = [name for names in HOUSEHOLD_SECTIONS.values() for name in names]

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.instance.data_year if self.instance.pk else None
        for name, list_name in HOUSEHOLD_CODED.items():
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label, choices=codes.choices(list_name, year), required=False
            )
        for model_field in Household._meta.concrete_fields:
            if (
                model_field.name in self.fields
                and model_field.get_internal_type() == "BooleanField"
                and model_field.null
            ):
                self.fields[model_field.name] = _nullable_boolean(model_field)
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = villages
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = Region.objects.filter(
            level=Level.GROUP, parent__in=villages
        )
        if self.instance.pk:
            self._init_versioned()

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in HOUSEHOLD_SECTIONS.items()]


class PersonForm(VersionedFormMixin, BoundedFormMixin, ServiceFormMixin, forms.ModelForm):
    health = forms.MultipleChoiceField(
        label=_("健康状况"), choices=HEALTH_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "id_type",
            "id_number",
            "sex",
            "birth_date",
            "relation",
            "ethnicity",
            "education",
            "schooling",
            "disability_category",
            "labor_skill",
            "work_status",
            "work_location",
            "work_months",
            "has_medical_insurance",
            "has_serious_illness_insurance",
            "has_pension_insurance",
            "is_dibao",
            "is_tekun",
            "phone",
            "person_no",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, list_name in PERSON_CODED.items():
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label,
                choices=codes.choices(list_name, year, blank=name not in {"id_type", "relation"}),
                required=name in {"relation"},
            )
        for name in ("has_medical_insurance", "has_serious_illness_insurance", "has_pension_insurance"):
            self.fields[name] = _nullable_boolean(Person._meta.get_field(name))
        self.fields["sex"].required = False
        self.fields["sex"].help_text = _("留空时按证件号码自动填写")
        self.fields["birth_date"].help_text = _("留空时按证件号码自动填写")
        cast(forms.DateField, self.fields["birth_date"]).input_formats = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"]
        if self.instance.pk:
            self.initial["health"] = [name for name, _label in HEALTH_CHOICES if getattr(self.instance, name)]
            self._init_versioned()

    def service_data(self) -> dict:
        """Every field (a new member); for an edit, ``changes`` gives only what the user changed."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in {"health", "version"}}
        for name, _label in HEALTH_CHOICES:
            data[name] = name in self.cleaned_data.get("health", [])
        return data

    def changes(self) -> dict:
        data = {name: value for name, value in super().changes().items() if name != "health"}
        if "health" in self.changed_data:
            for name, _label in HEALTH_CHOICES:
                data[name] = name in self.cleaned_data.get("health", [])
        return data

    def seen(self) -> dict:
        seen = super().seen()
        if "health" in self.fields and self.instance.pk:
            shown = self.shown_value("health") or []
            for name, _label in HEALTH_CHOICES:
                seen[name] = name in shown
        return seen

    def add_service_errors(self, error: ApplicationError) -> None:
        health_fields = {name for name, _label in HEALTH_CHOICES}
        remapped = {("health" if f in health_fields else f): m for f, m in error.errors.items()}
        super().add_service_errors(ApplicationError(error.message, errors=remapped))


def _reason_choices(kind: str) -> list[tuple[str, str]]:
    return [("", "——")] + [
        (c.value, str(c.label)) for c in MemberChangeReason if c.value in MEMBER_REASONS[kind]
    ]


class MemberChangeForm(forms.Form):
    """Why and when a member joins or leaves (成员变动)."""

    reason = forms.ChoiceField(label=_("变动原因"), choices=())
    on_date = forms.DateField(label=_("变动日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), max_length=200, required=False, help_text=_("原因为“其他”时必填"))

    def __init__(self, *args, kind: str, **kwargs):
        kwargs["prefix"] = "change"
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reason"]).choices = _reason_choices(kind)


class PersonDeleteForm(MemberChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, kind=MemberChangeKind.REMOVE, **kwargs)
