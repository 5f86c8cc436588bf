from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "dearjohn.cases"
    label = "cases"
