from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dearjohn.accounts"
    label = "accounts"
    verbose_name = "Staff sign-in"

    def ready(self):
        from . import signals  # noqa: F401
