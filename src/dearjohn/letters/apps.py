from django.apps import AppConfig
from django.db.models.signals import post_migrate


def keep_templates_present(sender, using="default", **kwargs):
    """Restore the shipped wording for any kind and language that has none (after migrate, or a test flush)."""
    from .models import LetterTemplate
    from .seeding import seed_templates

    seed_templates(LetterTemplate.objects.db_manager(using).model)


class LettersConfig(AppConfig):
    name = "dearjohn.letters"
    label = "letters"

    def ready(self):
        post_migrate.connect(keep_templates_present, sender=self)
