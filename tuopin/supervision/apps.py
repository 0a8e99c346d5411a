from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "tuopin.supervision"
    label = "supervision"
    verbose_name = "督查问题台账"
