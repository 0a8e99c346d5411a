"""REST API over monitoring cases (监测对象 and their procedure) and clues, read-only.

They live in the assistance app for now (the monitoring app was being reworked at the same time; the
layers let only an app above monitoring import both it and ``tuopin.api``) and start from monitoring's
jurisdiction-scoped selectors (``cases_for`` / ``clues_for``, which start from ``households_for``); a case
outside the user's area answers 404."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from tuopin.api.serializers import RegionOutput, in_region, region_filter, year_filter
from tuopin.monitoring.models import UNDECIDED_STAGES, Category, Clue, ClueSource, MonitoringCase, Stage
from tuopin.monitoring.selectors import cases_for, clues_for


class CaseFilterInput(serializers.Serializer):
    region = region_filter()
    year = year_filter(label="年度")
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, label="环节")
    category = serializers.ChoiceField(choices=Category.choices, required=False, label="监测对象类别")
    is_open = serializers.BooleanField(required=False, allow_null=True, default=None, label="未办结")
    overdue = serializers.BooleanField(required=False, default=False, label="超过认定时限")
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**62, label="农户")


class ClueFilterInput(serializers.Serializer):
    region = region_filter()
    source = serializers.ChoiceField(choices=ClueSource.choices, required=False, label="来源")
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**62, label="农户")
    case = serializers.IntegerField(required=False, min_value=1, max_value=2**62, label="监测案件")


class CaseOutput(serializers.ModelSerializer):
    household_no = serializers.CharField(source="household.household_no")
    village = RegionOutput()
    stage_label = serializers.CharField(source="get_stage_display")
    category_label = serializers.CharField(source="get_category_display")
    risk_types = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = MonitoringCase
        fields = (
            "id",
            "household",
            "household_no",
            "village",
            "year",
            "stage",
            "stage_label",
            "is_open",
            "risk_level",
            "risk_types",
            "category",
            "category_label",
            "opened_on",
            "due_on",
            "identified_on",
            "notice_started_on",
            "notice_ended_on",
            "eliminated_on",
            "elimination_kind",
        )


class ClueOutput(serializers.ModelSerializer):
    household_no = serializers.CharField(source="household.household_no")
    source_label = serializers.CharField(source="get_source_display")
    reasons = serializers.JSONField()

    class Meta:
        model = Clue
        fields = (
            "id",
            "case",
            "household",
            "household_no",
            "source",
            "source_label",
            "reasons",
            "evidence",
            "risk_level",
            "raised_at",
        )


class StepOutput(serializers.Serializer):
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    note = serializers.CharField()
    by = serializers.CharField(source="by.display_name", default="", allow_null=True)
    at = serializers.DateTimeField()


class CaseDetailOutput(CaseOutput):
    clues = ClueOutput(many=True, read_only=True)
    steps = StepOutput(many=True, read_only=True)

    class Meta(CaseOutput.Meta):
        fields = (*CaseOutput.Meta.fields, "clues", "steps")


def _params(serializer_class, request):
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


@extend_schema(parameters=[CaseFilterInput], summary="监测案件列表（本辖区）")
class CaseListApi(generics.ListAPIView):
    serializer_class = CaseOutput

    def get_queryset(self):
        data = _params(CaseFilterInput, self.request)
        qs = in_region(cases_for(self.request.user), data.get("region", ""), "village")
        if data.get("year"):
            qs = qs.filter(year=data["year"])
        if data.get("stage"):
            qs = qs.filter(stage=data["stage"])
        if data.get("category"):
            qs = qs.filter(category=data["category"])
        if data.get("is_open") is not None:
            qs = qs.filter(is_open=data["is_open"])
        if data.get("overdue"):
            qs = qs.filter(stage__in=UNDECIDED_STAGES, due_on__lt=timezone.localdate())
        if data.get("household"):
            qs = qs.filter(household_id=data["household"])
        return qs.select_related("household", "village").order_by("-opened_on", "-pk")


@extend_schema(summary="一个监测案件（含线索和办理环节）")
class CaseDetailApi(generics.RetrieveAPIView):
    serializer_class = CaseDetailOutput
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        return (
            cases_for(self.request.user)
            .select_related("household", "village")
            .prefetch_related("clues__household", "steps__by")
        )


@extend_schema(parameters=[ClueFilterInput], summary="监测线索列表（本辖区）")
class ClueListApi(generics.ListAPIView):
    serializer_class = ClueOutput

    def get_queryset(self):
        data = _params(ClueFilterInput, self.request)
        qs = in_region(clues_for(self.request.user), data.get("region", ""), "household__village")
        if data.get("source"):
            qs = qs.filter(source=data["source"])
        if data.get("household"):
            qs = qs.filter(household_id=data["household"])
        if data.get("case"):
            qs = qs.filter(case_id=data["case"])
        return qs.select_related("household").order_by("-raised_at", "-pk")


@extend_schema(summary="一条监测线索")
class ClueDetailApi(generics.RetrieveAPIView):
    serializer_class = ClueOutput
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        return clues_for(self.request.user).select_related("household")
