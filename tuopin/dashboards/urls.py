from django.urls import path

from tuopin.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.region_dashboard, name="region"),
    path("colours/", views.colour_households, name="colour_households"),
]
