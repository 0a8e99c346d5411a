from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "tuopin.assistance"
    label = "assistance"
    verbose_name = "挂包帮与转走访"
