"""Cases: one per registered vehicle, gathering its sightings toward (or away from) a letter."""

from django.conf import settings
from django.db import models

from dearjohn.evidence.models import Sighting
from dearjohn.vehicles.models import OwnerLookup, Registration


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open: gathering evidence"
        QUALIFYING = "qualifying", "Qualifies for a letter"
        LETTER_PENDING = "letter_pending", "Letter awaiting approval"
        LETTERED = "lettered", "Letter sent"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CLOSED = "closed", "Closed"

    class VehicleCheck(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        MATCH = "match", "Matches the image"
        MISMATCH = "mismatch", "Does not match the image"
        CANNOT_TELL = "cannot_tell", "Cannot tell from the image"

    number = models.CharField("case number", max_length=20, unique=True)
    plate_key = models.CharField(max_length=12)
    state = models.CharField(max_length=2)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_cases")
    sightings = models.ManyToManyField(Sighting, related_name="cases", blank=True)
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    owner_lookup = models.ForeignKey(OwnerLookup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The lookup whose result the case relies on.")
    vehicle_check = models.CharField(max_length=12, choices=VehicleCheck.choices, default=VehicleCheck.UNCHECKED)
    vehicle_check_reason = models.CharField(max_length=300, blank=True)
    vehicle_checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    qualified_reason = models.CharField(max_length=300, blank=True, help_text="Why the evidence policy qualified the case, in words.")
    policy_version = models.PositiveIntegerField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["state", "plate_key"], name="one_case_per_vehicle")]

    def __str__(self):
        return self.number
