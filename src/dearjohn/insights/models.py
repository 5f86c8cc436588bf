"""The insights app reads other apps' records; it stores only its computed figures.

Django hangs permissions on models, so `Insights` is a model without a table:
it exists only to carry the permission that opens the dashboard, the map and
the deterrence figures.
"""

from django.db import models


class Insights(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", "Can see the program dashboard, map and deterrence figures")]


class Figure(models.Model):
    """One computed figure (a chart, the map, the deterrence report), kept so pages need not recompute it."""

    key = models.CharField(max_length=100, unique=True)
    value = models.BinaryField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long computing it took.")

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.key} ({self.computed_at:%Y-%m-%d %H:%M})"
