"""The REST API: its OpenAPI schema, its documentation page (assets served by the app), and each app's endpoints."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tuopin.api.views import api_not_found

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("registry/", include("tuopin.registry.api_urls")),
    path("assessment/", include("tuopin.assessment.api_urls")),
    path("projects/", include("tuopin.projects.api_urls")),
    path("monitoring/", include("tuopin.monitoring.api_urls")),
    path("assistance/", include("tuopin.assistance.api_urls")),
    path("supervision/", include("tuopin.supervision.api_urls")),
    re_path(r"^(?P<path>[\s\S]*)$", api_not_found),
]
