from django.urls import path

from tuopin.assistance import views

app_name = "assistance"

urlpatterns = [
    path("", views.structure, name="structure"),
    path("coverage/", views.coverage, name="coverage"),
    path("overdue/", views.overdue, name="overdue"),
    path("mine/", views.my_households, name="mine"),
    path("presence/", views.presence, name="presence"),
    path("unit-reports/", views.unit_reports, name="unit_reports"),
    path("households/<int:pk>/", views.household_visits, name="household_visits"),
    path("households/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("households/<int:pk>/measures/", views.measure_create, name="measure_create"),
    path("households/<int:pk>/pair/", views.household_pair, name="household_pair"),
    path("measures/<int:pk>/done/", views.measure_done, name="measure_done"),
    path("visits/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
]
