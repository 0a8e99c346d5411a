from django.urls import path, re_path

from tuopin.monitoring.apis import VIEWS

app_name = "monitoring_api"
urlpatterns = [
    path("cases/", VIEWS["cases"], name="cases"),
    re_path(r"^cases/(?P<pk>[0-9]{1,18})/$", VIEWS["case"], name="case"),
    path("clues/", VIEWS["clues"], name="clues"),
    re_path(r"^clues/(?P<pk>[0-9]{1,18})/$", VIEWS["clue"], name="clue"),
]
