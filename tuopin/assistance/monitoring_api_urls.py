from django.urls import path, re_path

from tuopin.assistance import monitoring_apis as monitoring

app_name = "monitoring_api"
urlpatterns = [
    path("cases/", monitoring.CaseListApi.as_view(), name="cases"),
    re_path(r"^cases/(?P<pk>[0-9]{1,18})/$", monitoring.CaseDetailApi.as_view(), name="case"),
    path("clues/", monitoring.ClueListApi.as_view(), name="clues"),
    re_path(r"^clues/(?P<pk>[0-9]{1,18})/$", monitoring.ClueDetailApi.as_view(), name="clue"),
]
