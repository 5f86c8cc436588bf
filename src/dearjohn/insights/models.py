"""The insights app reads other apps' records and stores none of its own.

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
