from django.urls import path

from tuopin.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/step/", views.case_step, name="case_step"),
    path("cases/<int:pk>/measures/", views.measure_create, name="measure_create"),
    path("households/<int:pk>/", views.household_tab, name="household"),
    path("households/<int:pk>/clues/", views.clue_create, name="clue_create"),
    path("villages/<int:pk>/notice/", views.notice_print, name="notice"),
    path("objects.xlsx", views.objects_export, name="export"),
]
