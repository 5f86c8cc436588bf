from django.apps import AppConfig
from django.db.models.signals import post_migrate


def keep_roles_current(sender, **kwargs):
    """Re-apply the role table after every migrate (and test flush), so roles never drift."""
    from django.apps import apps

    from .roles import sync_roles

    sync_roles(apps)


class OversightConfig(AppConfig):
    name = "dearjohn.oversight"
    label = "oversight"

    def ready(self):
        from . import signals  # noqa: F401

        post_migrate.connect(keep_roles_current, sender=self)
