"""Cases: one per registered vehicle, gathering its sightings toward (or away from) a letter."""

import uuid

from django.conf import settings
from django.db import models, transaction

from dearjohn.evidence.models import Sighting
from dearjohn.vehicles.models import OwnerLookup, Registration


class CasesError(Exception):
    """A review or case action the person can fix; the message says how."""


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
    plate = models.CharField("plate as confirmed", max_length=12, blank=True, help_text="As a person first typed or chose it, for display; matching uses plate_key.")
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
    vehicle_checked_at = models.DateTimeField(null=True, blank=True)
    registration_fingerprint = models.CharField(max_length=64, blank=True, help_text="Keyed hash of the registration the vehicle check and owner rely on; a change voids them.")
    legal_hold = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["state", "plate_key"], name="one_case_per_vehicle")]

    def __str__(self):
        return self.number

    @property
    def plate_display(self):
        return self.plate or self.plate_key

    @classmethod
    def for_vehicle(cls, plate_key, state, plate=""):
        """The one case for a plate in a state, opened (and numbered DJ-YYYY-NNNNNN) on first need."""
        from django.utils import timezone

        case, created = cls.objects.get_or_create(
            plate_key=plate_key, state=state.upper(),
            defaults={"number": f"new-{uuid.uuid4().hex[:16]}", "plate": (plate or plate_key)[:12]},
        )
        if created:
            case.number = f"DJ-{timezone.localdate():%Y}-{case.pk:06d}"
            cls.objects.filter(pk=case.pk).update(number=case.number)
        return case

    @property
    def possible_misread(self):
        """A mismatch between the registration and the image: a misread or a cloned plate."""
        return self.vehicle_check == self.VehicleCheck.MISMATCH


class EvidencePolicy(models.Model):
    """When a case has enough evidence for a letter. Versioned: a change is a new row, old rows never change.

    Each case records the version that qualified it, so a letter can always be
    explained by the rule in force when it was decided.
    """

    class Handling(models.TextChoices):
        NO_LETTER = "no_letter", "No letter"
        LETTER_TO_OWNER = "letter_to_owner", "Letter to the registered (fleet) owner"

    version = models.PositiveIntegerField(unique=True, editable=False)
    min_sightings = models.PositiveSmallIntegerField("confirmed sightings needed", default=3)
    min_days = models.PositiveSmallIntegerField("on at least this many different days", default=2)
    window_days = models.PositiveSmallIntegerField("within this many days", default=30)
    observation_suffices = models.BooleanField(
        "one sighting plus an officer's observation of solicitation suffices", default=True)
    rental_handling = models.CharField("rental vehicles", max_length=20, choices=Handling.choices, default=Handling.NO_LETTER)
    fleet_handling = models.CharField("fleet vehicles", max_length=20, choices=Handling.choices, default=Handling.NO_LETTER)
    government_handling = models.CharField("government vehicles", max_length=20, choices=Handling.choices, default=Handling.NO_LETTER)
    cooldown_days = models.PositiveSmallIntegerField("days between letters to one vehicle", default=180)
    note = models.CharField("why this version", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "evidence policies"

    def __str__(self):
        return f"Evidence policy v{self.version}"

    @classmethod
    def current(cls):
        return cls.objects.order_by("-version").first()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("An evidence policy version never changes; save a new version instead.")
        with transaction.atomic():
            latest = EvidencePolicy.objects.select_for_update().order_by("-version").values_list("version", flat=True).first()
            self.version = (latest or 0) + 1
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Evidence policy versions are kept; a case may rely on any of them.")

    def handling_for(self, vehicle_class):
        return {"rental": self.rental_handling, "fleet": self.fleet_handling,
                "government": self.government_handling}.get(vehicle_class, self.Handling.LETTER_TO_OWNER)


class Observation(models.Model):
    """What an officer saw of a vehicle, e.g. during an undercover operation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="observations")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    observed_at = models.DateTimeField()
    text = models.TextField("what was observed")
    solicitation_observed = models.BooleanField("solicitation observed", default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_at"]


class Note(models.Model):
    """A staff note on a case, kept in its timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at"]


class ReviewClaim(models.Model):
    """A reviewer has this sighting on screen; other reviewers are served the next one until `until`.

    Without it every reviewer would be shown the same oldest item and all but
    one would have their decision refused.
    """

    sighting = models.OneToOneField(Sighting, on_delete=models.CASCADE, primary_key=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(db_index=True)
