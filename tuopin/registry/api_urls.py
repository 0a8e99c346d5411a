from django.urls import path, re_path

from tuopin.registry import apis

app_name = "registry_api"
urlpatterns = [
    path("households/", apis.HouseholdListApi.as_view(), name="households"),
    re_path(r"^households/(?P<pk>[0-9]{1,18})/$", apis.HouseholdDetailApi.as_view(), name="household"),
    path("people/", apis.PersonListApi.as_view(), name="people"),
]
