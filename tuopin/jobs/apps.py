from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "tuopin.jobs"
    verbose_name = "后台任务"
