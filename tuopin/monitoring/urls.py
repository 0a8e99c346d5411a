from django.urls import path

from tuopin.monitoring import case_views, views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("risk/", views.risk, name="risk"),
    path("cases/<int:pk>/", case_views.case_detail, name="case"),
    path("cases/<int:pk>/step/", case_views.case_step, name="case_step"),
    path("cases/<int:pk>/measures/", case_views.measure_create, name="measure_create"),
    path("households/<int:pk>/", case_views.household_tab, name="household"),
    path("households/<int:pk>/clues/", case_views.clue_create, name="clue_create"),
    path("villages/<int:pk>/notice/", views.notice_print, name="notice"),
    path("objects.xlsx", views.objects_export, name="export"),
]
