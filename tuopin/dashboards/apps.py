from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "tuopin.dashboards"
    verbose_name = "统计看板"
