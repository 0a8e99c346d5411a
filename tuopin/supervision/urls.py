from django.urls import path

from tuopin.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.problem_list_view, name="list"),
    path("new/", views.problem_create, name="create"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("report/", views.reverse_report, name="report"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/edit/", views.problem_edit, name="edit"),
    path("<int:pk>/move/", views.problem_move, name="move"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence"),
    path("<int:pk>/escalate/", views.problem_escalate, name="escalate"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
