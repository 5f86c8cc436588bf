"""What enters the program: zones, cameras, captured media, plate reads, sightings."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models

from dearjohn.plates.formats import plate_key  # the one canonical key; the apps import it from here
from django.utils import timezone


class Zone(models.Model):
    """An enforcement zone: an area and the hours in which the program may act there.

    `boundary` is a GeoJSON Polygon or MultiPolygon (longitude, latitude).
    `active_hours` maps weekday names ("mon".."sun") to lists of
    ["HH:MM", "HH:MM"] spans in the department's time zone; a span whose end
    is before its start runs past midnight into the next day.
    """

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    boundary = models.JSONField()
    active_hours = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Camera(models.Model):
    """A fixed camera that sends captures to the program."""

    name = models.CharField(max_length=100, unique=True)
    street = models.CharField("location description", max_length=200, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    facing = models.CharField(max_length=20, blank=True, help_text="Compass direction the camera looks, e.g. NE.")
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="cameras")
    api_token_hash = models.CharField(max_length=128, blank=True, help_text="Hash of the camera's API token; the token itself is shown once.")
    is_active = models.BooleanField(default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def issue_token(self):
        """A new API token; only its hash is kept, so the caller must show it now or never."""
        token = secrets.token_urlsafe(32)
        self.api_token_hash = hashlib.sha256(token.encode()).hexdigest()
        return token

    def token_matches(self, token):
        if not self.api_token_hash or not token:
            return False
        return hmac.compare_digest(self.api_token_hash, hashlib.sha256(token.encode()).hexdigest())

    @property
    def is_silent(self):
        """No images for longer than the configured hours: the camera may be down."""
        hours = settings.DEARJOHN["INTAKE"]["CAMERA_SILENT_HOURS"]
        return self.is_active and (self.last_seen_at is None or self.last_seen_at < timezone.now() - timedelta(hours=hours))

    def writing_not_plates(self):
        """{plate key: rejections} for writing this camera's reviewers keep rejecting as not a plate.

        A fixed camera reads the same sign, fleet number or shop lettering
        night after night. Once reviewers have rejected one text as "Not a
        plate" NOT_A_PLATE_AFTER times here, and never confirmed it here,
        the intake stops making sightings of it at this camera. The memory
        lasts as long as the rejected sightings do (retention), and a
        supervisor can make the camera forget a text (ForgottenWriting):
        only rejections after that count again.
        """
        after = settings.DEARJOHN["INTAKE"]["NOT_A_PLATE_AFTER"]
        if not after or self.pk is None:
            return {}
        here = Sighting.objects.filter(plate_read__capture__camera=self)
        forgotten = dict(self.forgotten_writing.values("plate_key").annotate(at=models.Max("forgotten_at")).values_list("plate_key", "at"))
        counts = {}
        rejected = here.filter(review_status=Sighting.ReviewStatus.REJECTED, reject_reason=Sighting.NOT_A_PLATE)
        for key, reviewed_at in rejected.values_list("plate_read__plate_key", "reviewed_at"):
            if key not in forgotten or reviewed_at > forgotten[key]:
                counts[key] = counts.get(key, 0) + 1
        counts = {key: n for key, n in counts.items() if n >= after}
        if counts:
            confirmed = here.filter(confirmed_plate_key__in=list(counts)).values_list("confirmed_plate_key", flat=True)
            for key in set(confirmed):
                del counts[key]
        return counts


class ForgottenWriting(models.Model):
    """A supervisor's word that a camera's reviewers were wrong to call a text not a plate.

    Rejections of it at the camera before `forgotten_at` no longer count
    (Camera.writing_not_plates); the rejections themselves stay as they were.
    """

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="forgotten_writing")
    plate_key = models.CharField(max_length=12)
    forgotten_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forgotten_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-forgotten_at"]


class SourceKind(models.TextChoices):
    CAMERA = "camera", "Fixed camera"
    OFFICER = "officer", "Officer upload"
    PUBLIC = "public", "Public submission"


class Capture(models.Model):
    """One original photo or video, stored once by its SHA-256 and never modified."""

    class MediaKind(models.TextChoices):
        IMAGE = "image", "Photo"
        VIDEO = "video", "Video"

    class TimeSource(models.TextChoices):
        CAMERA = "camera", "Camera clock"
        EXIF = "exif", "Photo metadata (EXIF)"
        ENTERED = "entered", "Entered by the sender"
        RECEIVED = "received", "Time received"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        READING = "reading", "Reading plates"
        READ = "read", "Read"
        FAILED = "failed", "Could not be read"

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    stored_path = models.CharField(max_length=300, help_text="Path under the evidence store.")
    media_kind = models.CharField(max_length=10, choices=MediaKind.choices)
    content_type = models.CharField(max_length=100)
    size_bytes = models.BigIntegerField()
    source_kind = models.CharField("source", max_length=10, choices=SourceKind.choices)
    camera = models.ForeignKey(Camera, null=True, blank=True, on_delete=models.PROTECT, related_name="captures")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="captures")
    received_at = models.DateTimeField(auto_now_add=True)
    taken_at = models.DateTimeField("taken at")
    taken_at_source = models.CharField(max_length=10, choices=TimeSource.choices)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_source = models.CharField(max_length=10, choices=TimeSource.choices, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    status_detail = models.CharField(max_length=300, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Officer who verified a public submission.")
    verified_at = models.DateTimeField(null=True, blank=True)
    integrity_failed_at = models.DateTimeField(null=True, blank=True, help_text="Set when the stored file no longer matched its hash; never used as evidence after.")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_s = models.FloatField("duration (seconds)", null=True, blank=True)
    camera_reads = models.JSONField(default=list, blank=True, help_text="Plate reads the sending camera made itself, as it sent them.")
    read_job_id = models.CharField(max_length=64, blank=True, help_text="The background job that reads this capture's plates.")
    reads_outside_zones = models.PositiveIntegerField(default=0, help_text="Plates read outside any active zone or its hours; their text is not kept.")
    reads_too_unsure = models.PositiveIntegerField(default=0, help_text="Reads below the minimum confidence, taken for writing that is not a plate; not kept.")
    reads_not_plates = models.PositiveIntegerField(default=0, help_text="Reads of writing that reviewers keep rejecting as not a plate at the sending camera; not kept.")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["taken_at"])]
        permissions = [("verify_capture", "Can verify a public submission as evidence")]

    def __str__(self):
        return f"{self.get_media_kind_display()} {self.sha256[:12]}"

    @property
    def has_file(self):
        """False for a record with no original kept: the demo's simulated history has none."""
        return bool(self.stored_path)

    @property
    def usable_as_evidence(self):
        if self.integrity_failed_at:
            return False
        return self.source_kind != SourceKind.PUBLIC or self.verified_at is not None


class Receipt(models.Model):
    """One arrival of a file; the same bytes sent twice make two receipts and one capture."""

    capture = models.ForeignKey(Capture, on_delete=models.CASCADE, related_name="receipts")
    received_at = models.DateTimeField(auto_now_add=True)
    source_kind = models.CharField("source", max_length=10, choices=SourceKind.choices)
    camera = models.ForeignKey(Camera, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    original_filename = models.CharField(max_length=255, blank=True)
    remote_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["received_at"]


class PublicSubmissionAttempt(models.Model):
    """One try at the public submission page, for the per-address hourly limit.

    The address is kept only as a keyed hash and rows older than an hour are
    deleted, so the table cannot tell who sent what.
    """

    address_key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class PlateRead(models.Model):
    """What the plate engine read on one capture (one plate in one photo or one video pass)."""

    capture = models.ForeignKey(Capture, on_delete=models.CASCADE, related_name="plate_reads")
    text = models.CharField("plate as read", max_length=12)
    plate_key = models.CharField(max_length=12, db_index=True)
    state = models.CharField(max_length=2, blank=True)
    confidence = models.FloatField()
    candidates = models.JSONField(default=list, help_text="Alternative readings, best first: [{text, confidence}].")
    box = models.JSONField(help_text="[x, y, width, height] in the original image.")
    frame_time_s = models.FloatField(null=True, blank=True, help_text="Seconds into a video.")
    crop_path = models.CharField(max_length=300, blank=True)
    engine = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-confidence"]

    def save(self, *args, **kwargs):
        self.plate_key = plate_key(self.text)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.text


class Sighting(models.Model):
    """A plate read inside an active enforcement zone during its hours, and its human review."""

    class ReviewStatus(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        CONFIRMED = "confirmed", "Confirmed"
        CORRECTED = "corrected", "Corrected"
        REJECTED = "rejected", "Rejected"

    NOT_A_PLATE = "not_a_plate"  # the reject reason that teaches a camera its signs (Camera.writing_not_plates)

    plate_read = models.OneToOneField(PlateRead, on_delete=models.CASCADE, related_name="sighting")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="sightings")
    seen_at = models.DateTimeField()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    review_status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    confirmed_plate = models.CharField("plate as confirmed", max_length=12, blank=True)
    confirmed_plate_key = models.CharField(max_length=12, blank=True, db_index=True)
    confirmed_state = models.CharField(max_length=2, blank=True)
    reject_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-seen_at"]
        indexes = [
            models.Index(fields=["review_status", "seen_at"]),
            models.Index(fields=["zone", "seen_at"]),
        ]
        permissions = [("review_sighting", "Can review sightings")]

    def __str__(self):
        return f"{self.plate_read.text} at {self.seen_at:%Y-%m-%d %H:%M}"
