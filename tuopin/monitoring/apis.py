"""REST API over monitoring cases (监测对象 and their procedure) and clues, read-only.

One scoped base (``ScopedReadApi``) serves the list and the detail of each: the rows start from monitoring's
jurisdiction-scoped selectors (``cases_for`` / ``clues_for``, which start from ``households_for``), so a record
outside the user's area answers 404; the list's filters are a validated serializer. Without a token (or
session) the API answers 401."""

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from tuopin.accounts.models import User
from tuopin.api.serializers import RegionOutput, in_region, region_filter, year_filter
from tuopin.monitoring.models import UNDECIDED_STAGES, Category, Clue, ClueSource, MonitoringCase, Stage
from tuopin.monitoring.selectors import cases_for, clues_for


def _id_filter(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=2**62, label=label)


class CaseFilterInput(serializers.Serializer):
    region = region_filter()
    year = year_filter(label="年度")
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, label="环节")
    category = serializers.ChoiceField(choices=Category.choices, required=False, label="监测对象类别")
    is_open = serializers.BooleanField(required=False, allow_null=True, default=None, label="未办结")
    overdue = serializers.BooleanField(required=False, default=False, label="超过认定时限")
    household = _id_filter("农户")


class ClueFilterInput(serializers.Serializer):
    region = region_filter()
    household = _id_filter("农户")
    case = _id_filter("监测案件")

    def get_fields(self) -> dict[str, serializers.Field]:
        # "source" is also an attribute of every DRF field class, so the filter is added here
        fields = super().get_fields()
        fields["source"] = serializers.ChoiceField(choices=ClueSource.choices, required=False, label="来源")
        return fields


CASE_FIELDS: tuple[str, ...] = (
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


class CaseOutput(serializers.ModelSerializer):
    household_no = serializers.CharField(source="household.household_no")
    village = RegionOutput()
    stage_label = serializers.CharField(source="get_stage_display")
    category_label = serializers.CharField(source="get_category_display")
    risk_types = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = MonitoringCase
        fields = CASE_FIELDS


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

    class Meta:
        model = MonitoringCase
        fields = (*CASE_FIELDS, "clues", "steps")


class ScopedReadApi(viewsets.ReadOnlyModelViewSet):
    """List and detail of one kind of record, both from ``scoped(user)``; the list narrowed by ``narrow``."""

    lookup_url_kwarg = "pk"
    filter_input: ClassVar[type[serializers.Serializer]]
    detail_serializer: ClassVar[type[serializers.BaseSerializer] | None] = None

    def scoped(self, user: User) -> QuerySet:
        raise NotImplementedError

    def narrow(self, qs: QuerySet, data: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        if not isinstance(user, User):  # unauthenticated requests are refused (401) before this
            return MonitoringCase.objects.none()
        qs = self.scoped(user)
        if self.action != "list":
            return qs
        params = self.filter_input(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return self.narrow(qs, dict(params.validated_data))

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer is not None:
            return self.detail_serializer
        return self.serializer_class


def _equal(qs: QuerySet, data: dict[str, Any], fields: dict[str, str]) -> QuerySet:
    """Narrow ``qs`` by each given filter (parameter → field)."""
    for name, field in fields.items():
        if data.get(name) not in (None, ""):
            qs = qs.filter(**{field: data[name]})
    return qs


@extend_schema_view(
    list=extend_schema(parameters=[CaseFilterInput], summary="监测案件列表（本辖区）"),
    retrieve=extend_schema(summary="一个监测案件（含线索和办理环节）"),
)
class CaseApi(ScopedReadApi):
    serializer_class = CaseOutput
    detail_serializer = CaseDetailOutput
    filter_input = CaseFilterInput

    def scoped(self, user: User) -> QuerySet:
        qs = cases_for(user).select_related("household", "village")
        if self.action == "retrieve":
            return qs.prefetch_related("clues__household", "steps__by")
        return qs.order_by("-opened_on", "-pk")

    def narrow(self, qs: QuerySet, data: dict[str, Any]) -> QuerySet:
        qs = in_region(qs, data.get("region", ""), "village")
        qs = _equal(
            qs,
            data,
            {
                "year": "year",
                "stage": "stage",
                "category": "category",
                "is_open": "is_open",
                "household": "household_id",
            },
        )
        if data.get("overdue"):
            qs = qs.filter(stage__in=UNDECIDED_STAGES, due_on__lt=timezone.localdate())
        return qs


@extend_schema_view(
    list=extend_schema(parameters=[ClueFilterInput], summary="监测线索列表（本辖区）"),
    retrieve=extend_schema(summary="一条监测线索"),
)
class ClueApi(ScopedReadApi):
    serializer_class = ClueOutput
    filter_input = ClueFilterInput

    def scoped(self, user: User) -> QuerySet:
        return clues_for(user).select_related("household").order_by("-raised_at", "-pk")

    def narrow(self, qs: QuerySet, data: dict[str, Any]) -> QuerySet:
        qs = in_region(qs, data.get("region", ""), "household__village")
        return _equal(qs, data, {"source": "source", "household": "household_id", "case": "case_id"})


#: the views of ``api_urls`` (list and detail of each)
VIEWS: dict[str, Callable] = {
    "cases": CaseApi.as_view({"get": "list"}),
    "case": CaseApi.as_view({"get": "retrieve"}),
    "clues": ClueApi.as_view({"get": "list"}),
    "clue": ClueApi.as_view({"get": "retrieve"}),
}
