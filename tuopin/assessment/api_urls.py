from django.urls import path, re_path

from tuopin.assessment import apis

app_name = "assessment_api"
urlpatterns = [
    path("runs/", apis.RunListApi.as_view(), name="runs"),
    re_path(r"^runs/(?P<pk>[0-9]{1,18})/results/$", apis.RunResultListApi.as_view(), name="results"),
]
