"""REST API over the registry: households and people, scoped by the same selectors as the pages.

Input serializers check the query parameters (bad → 400 with a Chinese message); output serializers say what
leaves the system. Token or session authentication (``tuopin.api``)."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from tuopin.accounts.models import User
from tuopin.accounts.permissions import may
from tuopin.api.serializers import RegionOutput, code_filter, text_filter
from tuopin.registry import privacy
from tuopin.registry.models import Household, Person, PovertyStatus
from tuopin.registry.selectors import (
    HouseholdFilters,
    household_get,
    household_list,
    household_members,
    persons_for,
)

STATUS_FILTERS = [
    ("registered", "建档立卡（全部）"),
    ("not_exited", "未脱贫（含返贫）"),
    *PovertyStatus.choices,
]


class PersonOutput(serializers.ModelSerializer):
    """A member; the ID number is masked unless the serializer's context says ``full_identity``."""

    household = serializers.IntegerField(source="household_id", read_only=True)
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = (
            "id",
            "household",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "relation",
            "ethnicity",
            "education",
            "schooling",
            "labor_skill",
            "has_medical_insurance",
            "has_pension_insurance",
            "is_dibao",
            "is_tekun",
        )

    def get_id_number(self, person: Person) -> str:
        return privacy.shown_id_number(person.id_number, full=self.context.get("full_identity", False))


class HouseholdOutput(serializers.ModelSerializer):
    village = RegionOutput()
    township = RegionOutput(source="village.parent")
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Household
        fields: tuple[str, ...] = (
            "id",
            "household_no",
            "status",
            "attribute",
            "identification_year",
            "exit_year",
            "planned_exit_year",
            "main_cause",
            "other_cause_1",
            "other_cause_2",
            "data_year",
            "house_grade",
            "has_safe_drinking_water",
            "is_relocated",
            "village",
            "township",
            "member_count",
        )


class IncomeOutput(serializers.Serializer):
    wage_income = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    business_income = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    property_income = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    transfer_income = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    business_expense = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    net_income = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class HouseholdDetailOutput(HouseholdOutput):
    income = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta(HouseholdOutput.Meta):
        fields = (*(f for f in HouseholdOutput.Meta.fields if f != "member_count"), "income", "members")

    @extend_schema(responses=IncomeOutput)
    def get_income(self, household: Household) -> dict:
        return dict(IncomeOutput(household).data)

    @extend_schema(responses=PersonOutput(many=True))
    def get_members(self, household: Household) -> list:
        return list(
            PersonOutput(household_members(household=household), many=True, context=self.context).data
        )


class HouseholdFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_FILTERS, required=False, label="脱贫状态")
    cause = code_filter(label="主要致贫原因（代码）")
    attribute = code_filter(label="贫困户属性（代码）")
    q = text_filter(max_length=50, label="户编号、姓名或证件号码")
    planned_exit_year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, label="计划脱贫年度"
    )

    def filters(self) -> HouseholdFilters:
        data = self.validated_data
        return HouseholdFilters(
            status=data.get("status", ""),
            cause=data.get("cause", ""),
            attribute=data.get("attribute", ""),
            query=data.get("q", ""),
            planned_exit_year=data.get("planned_exit_year"),
        )


class PersonFilterInput(serializers.Serializer):
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**62, label="农户")


@extend_schema(parameters=[HouseholdFilterInput], summary="农户列表（本辖区）")
class HouseholdListApi(generics.ListAPIView):
    serializer_class = HouseholdOutput

    def get_queryset(self):
        params = HouseholdFilterInput(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return household_list(user=cast(User, self.request.user), filters=params.filters()).select_related(
            "village__parent"
        )


@extend_schema(summary="一个农户（含收入和成员）")
class HouseholdDetailApi(generics.RetrieveAPIView):
    serializer_class = HouseholdDetailOutput

    def get_object(self):
        household = household_get(user=cast(User, self.request.user), pk=self.kwargs["pk"])
        self.full_identity = may(self.request.user, "registry.view_full_identity", household)
        if self.full_identity:
            privacy.record_full_view(
                user=cast(User, self.request.user), household=household, what="接口 农户详情"
            )
        return household

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "full_identity": getattr(self, "full_identity", False)}


@extend_schema(parameters=[PersonFilterInput], summary="人员列表（本辖区）")
class PersonListApi(generics.ListAPIView):
    serializer_class = PersonOutput

    def get_queryset(self):
        params = PersonFilterInput(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        people = persons_for(cast(User, self.request.user)).order_by("household_id", "id")
        if "household" in params.validated_data:
            people = people.filter(household_id=params.validated_data["household"])
        return people

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "full_identity": self._full}

    def list(self, request, *args, **kwargs):
        """Full ID numbers only for roles that may export personal data; each such page is recorded."""
        self._full = may(request.user, "registry.export_personal_data")
        response = super().list(request, *args, **kwargs)
        if self._full and response.status_code == 200:
            privacy.record_export(
                user=request.user,
                what="接口 人员列表",
                subject=request.get_full_path()[:500],
                rows=len(response.data.get("results", [])),
                is_masked=False,
            )
        return response
