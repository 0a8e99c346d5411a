from django.urls import path

from tuopin.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/compare/<int:other>/", views.run_compare, name="run_compare"),
    path("households/<int:pk>/", views.household_criteria, name="household"),
    path("households/<int:pk>/exit/", views.exit_step, name="exit_step"),
    path("villages/<int:pk>/records/", views.village_records, name="village_records"),
    path("villages/<int:pk>/", views.village_detail, name="village"),
    path("county/", views.county, name="county"),
    path("what-if/", views.what_if_view, name="what_if"),
]
