"""REST API over stored assessment runs: the runs, and each run's household results within the user's
jurisdiction (criteria decoded by the assessment selectors; nobody outside this app reads the packed bits)."""

from typing import cast

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from tuopin.accounts.models import User
from tuopin.accounts.permissions import user_area_path
from tuopin.assessment.models import AssessmentRun, HouseholdResult
from tuopin.assessment.selectors import result_criteria, run_list, run_results


class RunFilterInput(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, label="评估年度")


class RunOutput(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", allow_null=True, default=None)

    class Meta:
        model = AssessmentRun
        fields = ("id", "year", "region", "ruleset", "households", "created_at")


class CriterionOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    outcome = serializers.CharField()


class ResultOutput(serializers.ModelSerializer):
    household_no = serializers.CharField(source="household.household_no")
    village = serializers.CharField(source="village.name")
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = HouseholdResult
        fields = ("household", "household_no", "village", "status", "member_count", "colour", "criteria")

    @extend_schema(responses=CriterionOutput(many=True))
    def get_criteria(self, result: HouseholdResult) -> list:
        return result_criteria(result)


def _runs_for(user):
    """County-wide runs, and runs of a region inside the user's area."""
    own = user_area_path(user)
    runs = run_list()
    if own is None:
        return runs.none()
    return runs.filter(Q(region__isnull=True) | Q(region__path__startswith=own))


@extend_schema(parameters=[RunFilterInput], summary="评估批次")
class RunListApi(generics.ListAPIView):
    serializer_class = RunOutput

    def get_queryset(self):
        params = RunFilterInput(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        runs = _runs_for(self.request.user)
        if "year" in params.validated_data:
            runs = runs.filter(year=params.validated_data["year"])
        return runs


@extend_schema(summary="一个评估批次中本辖区农户的评估结果")
class RunResultListApi(generics.ListAPIView):
    serializer_class = ResultOutput

    def get_queryset(self):
        run = generics.get_object_or_404(_runs_for(self.request.user), pk=self.kwargs["pk"])
        return run_results(run=run, user=cast(User, self.request.user))  # signed in: the API default
