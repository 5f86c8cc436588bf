from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "dearjohn.evidence"
    label = "evidence"
