"""REST API over the project library, the plan summary and the plan audit, scoped by the same selectors as
the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tuopin.accounts.models import User
from tuopin.accounts.permissions import require
from tuopin.api.encoding import decimals_as_text
from tuopin.api.serializers import RegionOutput, text_filter
from tuopin.projects import audit, selectors
from tuopin.projects.models import Plan, Project, ProjectStatus

NO_PLAN = "还没有载入规划（请系统管理员载入规划），或没有该版本的规划"


class PlanInput(serializers.Serializer):
    plan = text_filter(max_length=40, label="规划版本（默认当前规划）")

    def plan_or_404(self) -> Plan:
        plan = selectors.plan_current(self.validated_data.get("plan") or None)
        if plan is None:
            raise NotFound(NO_PLAN)
        return plan


class ProjectFilterInput(PlanInput):
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False, label="项目状态")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, label="实施年度")
    q = text_filter(max_length=50, label="项目名称或地点")


class ProjectOutput(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code")
    region = RegionOutput(allow_null=True)
    investment_yuan = serializers.DecimalField(source="investment", max_digits=14, decimal_places=2)

    class Meta:
        model = Project
        fields = (
            "id",
            "seed_key",
            "programme",
            "name",
            "region",
            "place_text",
            "year_from",
            "year_to",
            "quantity",
            "unit",
            "investment_yuan",
            "status",
        )


def _user(request: Request) -> User:
    """The signed-in user (the API's default permission lets no anonymous call through)."""
    if not isinstance(request.user, User):
        raise NotAuthenticated()
    return request.user


def _params(request, serializer_class):
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params


@extend_schema(parameters=[ProjectFilterInput], summary="项目库（本辖区）")
class ProjectListApi(generics.ListAPIView):
    serializer_class = ProjectOutput

    def get_queryset(self):
        params = _params(self.request, ProjectFilterInput)
        plan = params.plan_or_404()
        data = params.validated_data
        filters = selectors.ProjectFilters(
            plan_id=plan.pk, status=data.get("status", ""), year=data.get("year"), query=data.get("q", "")
        )
        return selectors.project_list(user=_user(self.request), filters=filters)


@extend_schema(parameters=[PlanInput], responses=OpenApiTypes.OBJECT, summary="规划投资汇总")
class PlanSummaryApi(APIView):
    def get(self, request):
        require(request.user, "projects.view_plan_audit")
        return Response(
            decimals_as_text(selectors.plan_summary(plan=_params(request, PlanInput).plan_or_404()))
        )


@extend_schema(parameters=[PlanInput], responses=OpenApiTypes.OBJECT, summary="规划自身数字的审核")
class PlanAuditApi(APIView):
    def get(self, request):
        require(request.user, "projects.view_plan_audit")
        plan = _params(request, PlanInput).plan_or_404()
        findings = selectors.plan_audit(plan=plan)
        return Response(
            decimals_as_text(
                {
                    "plan": plan.version,
                    "counts": audit.summary_counts(findings),
                    "findings": [f.as_dict() for f in findings],
                }
            )
        )
