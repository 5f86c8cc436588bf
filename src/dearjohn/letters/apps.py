from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "dearjohn.letters"
    label = "letters"
