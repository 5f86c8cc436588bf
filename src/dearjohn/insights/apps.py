from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "dearjohn.insights"
    label = "insights"
