from django.urls import path

from tuopin.projects import apis

app_name = "projects_api"
urlpatterns = [
    path("", apis.project_list_api, name="projects"),
    path("plan/summary/", apis.plan_summary_api, name="summary"),
    path("plan/audit/", apis.plan_audit_api, name="audit"),
]
