from django.urls import path

from tuopin.reports import views
from tuopin.reports.standard import views as standard_views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("reports/mpi/", views.mpi, name="mpi"),
    path("reports/standard/", standard_views.standard_list, name="standard"),
    path("reports/standard/<slug:slug>.xlsx", standard_views.standard_download, name="standard_download"),
    path("reports/households/<int:pk>/file.pdf", views.household_file_pdf, name="household_file"),
    path("reports/villages/<int:pk>/exit-notice.pdf", views.exit_notice_pdf, name="exit_notice"),
    path(
        "reports/villages/<int:pk>/monitoring-notice.pdf",
        views.monitoring_notice_pdf,
        name="monitoring_notice",
    ),
    path("reports/reverse-notification.pdf", views.reverse_notification_pdf, name="reverse_notification"),
]
