from django.urls import path

from tuopin.registry import apis

app_name = "registry_api"
urlpatterns = [
    path("households/", apis.household_list_api, name="households"),
    path("households/<int:pk>/", apis.household_detail_api, name="household"),
]
