from django.urls import path, re_path

from tuopin.supervision import apis

app_name = "supervision_api"
urlpatterns = [
    path("problems/", apis.ProblemListApi.as_view(), name="problems"),
    re_path(r"^problems/(?P<pk>[0-9]{1,18})/$", apis.ProblemDetailApi.as_view(), name="problem"),
]
