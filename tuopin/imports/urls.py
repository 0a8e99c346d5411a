from django.urls import path

from tuopin.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_home, name="home"),
    path("upload/", views.batch_upload, name="upload"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/run/", views.batch_run, name="run"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="progress"),
    path("batches/<int:pk>/commit/", views.batch_commit, name="commit"),
    path("batches/<int:pk>/discard/", views.batch_discard, name="discard"),
    path("batches/<int:pk>/report.xlsx", views.batch_report, name="report"),
    path("template.xlsx", views.template_download, name="template"),
    path("export.xlsx", views.registry_export, name="export"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("departments/", views.departments_home, name="departments"),
    path("departments/upload/", views.department_upload, name="department_upload"),
    path("departments/differences/", views.department_differences_view, name="differences"),
    path("departments/differences.xlsx", views.department_differences_export, name="differences_export"),
    path("departments/records/<int:pk>/accept/", views.department_accept, name="accept"),
    path(
        "departments/people/<int:person_pk>/<str:department>/withdraw/",
        views.department_withdraw,
        name="withdraw",
    ),
    path("renovation/", views.renovation_view, name="renovation"),
    path("renovation.xlsx", views.renovation_export, name="renovation_export"),
]
