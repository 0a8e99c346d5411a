from django.urls import path, re_path

from tuopin.assistance import apis

app_name = "assistance_api"
urlpatterns = [
    path("visits/", apis.VisitListApi.as_view(), name="visits"),
    re_path(r"^visits/(?P<pk>[0-9]{1,18})/$", apis.VisitDetailApi.as_view(), name="visit"),
    path("pairings/", apis.PairingListApi.as_view(), name="pairings"),
    re_path(r"^pairings/(?P<pk>[0-9]{1,18})/$", apis.PairingDetailApi.as_view(), name="pairing"),
]
