from django.urls import include, path

urlpatterns = [
    path("accounts/", include("tuopin.accounts.urls")),
    path("households/", include("tuopin.registry.urls")),
    path("projects/", include("tuopin.projects.urls")),
    path("data/", include("tuopin.imports.urls")),
    path("api/", include("tuopin.api.urls")),
    path("assessment/", include("tuopin.assessment.urls")),
    path("assistance/", include("tuopin.assistance.urls")),
    path("supervision/", include("tuopin.supervision.urls")),
    path("policy/", include("tuopin.policy.urls")),
    path("jobs/", include("tuopin.jobs.urls")),
    path("monitoring/", include("tuopin.monitoring.urls")),
    path("dashboards/", include("tuopin.dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tuopin.reports.urls")),
]
