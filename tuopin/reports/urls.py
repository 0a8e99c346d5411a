from django.urls import path

from tuopin.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
]
