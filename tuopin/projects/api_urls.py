from django.urls import path

from tuopin.projects import apis

app_name = "projects_api"
urlpatterns = [
    path("", apis.ProjectListApi.as_view(), name="projects"),
    path("plan/summary/", apis.PlanSummaryApi.as_view(), name="summary"),
    path("plan/audit/", apis.PlanAuditApi.as_view(), name="audit"),
]
