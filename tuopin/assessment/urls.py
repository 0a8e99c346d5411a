from django.urls import path

from tuopin.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("plan.xlsx", views.plan_export, name="plan_export"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/households/", views.run_households, name="run_households"),
    path("runs/<int:pk>/households.xlsx", views.run_households_export, name="run_households_export"),
    path("runs/<int:pk>/compare/<int:other>/", views.run_compare, name="run_compare"),
    path("households/<int:pk>/", views.household_criteria, name="household"),
    path("households/<int:pk>/exit/", views.exit_step, name="exit_step"),
    path("townships/<int:pk>/", views.township, name="township"),
    path("villages/<int:pk>/records/", views.village_records, name="village_records"),
    path("villages/<int:pk>/", views.village_detail, name="village"),
    path("county/", views.county, name="county"),
    path("what-if/", views.what_if_view, name="what_if"),
]
