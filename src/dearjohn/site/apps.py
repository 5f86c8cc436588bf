from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "dearjohn.site"
    label = "site"
    verbose_name = "Dear John"
