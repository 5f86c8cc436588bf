from django.db import models


class RateCounter(models.Model):
    """Requests one address made to one kind of page in one time window (site/ratelimit.py).

    The address is kept only as a keyed hash, and rows older than a day are deleted.
    """

    key = models.CharField(max_length=64)
    window_start = models.PositiveBigIntegerField(help_text="Unix time the window began.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")]
        indexes = [models.Index(fields=["window_start"])]
