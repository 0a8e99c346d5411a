from django.urls import path

from tuopin.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("reports/mpi/", views.mpi, name="mpi"),
    path("reports/households/<int:pk>/file.pdf", views.household_file_pdf, name="household_file"),
    path("reports/villages/<int:pk>/exit-notice.pdf", views.exit_notice_pdf, name="exit_notice"),
]
