"""REST API over the problem ledger (问题台账), read-only, scoped by ``selectors.problems_for`` as the pages
are: county-wide roles see every problem, township and village users those in their area, others none; a
problem outside that answers 404."""

from typing import cast

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from tuopin.accounts.models import User
from tuopin.api.serializers import in_region, region_filter, year_filter
from tuopin.supervision.models import Problem, ProblemStatus
from tuopin.supervision.selectors import ProblemFilters, problem_list, problems_for


class ProblemFilterInput(serializers.Serializer):
    region = region_filter()
    year = year_filter(label="发现年度（督查日期）")
    status = serializers.ChoiceField(choices=ProblemStatus.choices, required=False, label="状态")
    overdue = serializers.BooleanField(required=False, default=False, label="超过整改期限未销号")
    unit = serializers.IntegerField(required=False, min_value=1, max_value=2**62, label="责任单位")
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**62, label="农户")


class ProblemOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    inspection = serializers.CharField(source="inspection.title")
    inspection_kind = serializers.CharField(source="inspection.get_kind_display")
    held_on = serializers.DateField(source="inspection.held_on")
    region = serializers.CharField(source="region.code", default=None, allow_null=True)
    region_name = serializers.CharField(source="region.name", default=None, allow_null=True)
    responsible_unit = serializers.CharField(source="responsible_unit.name")
    sub_command = serializers.CharField(source="sub_command.name", default=None, allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = (
            "id",
            "title",
            "description",
            "inspection",
            "inspection_kind",
            "held_on",
            "region",
            "region_name",
            "household",
            "project",
            "responsible_unit",
            "responsible_person",
            "sub_command",
            "deadline",
            "required_rectification",
            "rectification",
            "status",
            "status_label",
            "is_overdue",
            "escalated_to",
            "created_at",
            "cleared_at",
        )

    def get_is_overdue(self, problem: Problem) -> bool:
        return problem.status != ProblemStatus.CLEARED and problem.deadline < timezone.localdate()


@extend_schema(parameters=[ProblemFilterInput], summary="问题台账（本辖区）")
class ProblemListApi(generics.ListAPIView):
    serializer_class = ProblemOutput

    def get_queryset(self):
        params = ProblemFilterInput(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = ProblemFilters(
            status=data.get("status", ""), overdue=data.get("overdue", False), unit_id=data.get("unit")
        )
        qs = in_region(
            problem_list(user=cast(User, self.request.user), filters=filters),
            data.get("region", ""),
            "region",
        )
        if data.get("year"):
            qs = qs.filter(inspection__held_on__year=data["year"])
        if data.get("household"):
            qs = qs.filter(household_id=data["household"])
        return qs.order_by("deadline", "pk")


@extend_schema(summary="一个问题")
class ProblemDetailApi(generics.RetrieveAPIView):
    serializer_class = ProblemOutput

    def get_queryset(self):
        return problems_for(cast(User, self.request.user))
