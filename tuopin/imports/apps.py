from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "tuopin.imports"
    label = "imports"
    verbose_name = "数据导入导出"
