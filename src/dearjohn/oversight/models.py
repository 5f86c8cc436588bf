"""The audit log (append-only: who did what, to what, when and why) and the sharing allow-list."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, blank=True, help_text="Kept even if the account is later removed.")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    remote_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or 'system'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @classmethod
    def purge_expired(cls, before, keeping=None):
        """Delete entries older than `before` (except those matching `keeping`); the one way entries ever leave.

        Only the retention purge calls this, for entries past the audit log's
        own retention period. Every other delete path stays refused.
        """
        expired = models.QuerySet(cls).filter(at__lt=before)
        if keeping is not None:
            expired = expired.exclude(keeping)
        return expired._raw_delete(expired.db)


class Agency(models.Model):
    """An agency case data may be shared with: California public agencies only (Civ. Code 1798.90.55(b))."""

    class Level(models.TextChoices):
        CITY = "city", "City"
        COUNTY = "county", "County"
        STATE = "state", "State of California"
        DISTRICT = "district", "Special district"
        FEDERAL = "federal", "Federal"

    name = models.CharField(max_length=200, unique=True)
    jurisdiction = models.CharField(max_length=200, help_text="e.g. City of Oakland")
    state = models.CharField(max_length=2, default="CA", help_text="Two-letter state of the agency.")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.CITY)
    california_public_agency = models.BooleanField("a California public agency", default=True)
    contact = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField("on the allow-list", default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name

    def clean(self):
        if self.state.upper() != "CA":
            raise ValidationError({"state": "Only California agencies may receive case data; out-of-state agencies cannot be added."})
        if self.level == self.Level.FEDERAL:
            raise ValidationError({"level": "Federal agencies cannot receive case data (Civ. Code 1798.90.55(b))."})
        if not self.california_public_agency:
            raise ValidationError({"california_public_agency": "Only California public agencies may receive case data."})
        self.state = "CA"

    def save(self, *args, **kwargs):
        self.full_clean()
        super().save(*args, **kwargs)


class Disclosure(models.Model):
    """One export of case data to an agency: who sent what, to whom, under which legal standard."""

    class LegalStandard(models.TextChoices):
        WARRANT = "warrant", "Search warrant"
        COURT_ORDER = "court_order", "Court order"
        SUBPOENA = "subpoena", "Subpoena"
        WRITTEN_REQUEST = "written_request", "Written request from a California law-enforcement agency"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="disclosures")
    case_number = models.CharField(max_length=30)
    legal_standard = models.CharField(max_length=20, choices=LegalStandard.choices)
    legal_reference = models.CharField("reference (warrant or request number)", max_length=200)
    purpose = models.CharField(max_length=300)
    contents = models.JSONField(default=dict, help_text="What was sent, as counts and kinds; never the data itself.")
    sha256 = models.CharField("SHA-256 of the export file", max_length=64)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]
        default_permissions = ("view",)
        permissions = [("export_case", "Can export case data to an allow-listed agency")]

    def __str__(self):
        return f"{self.case_number} to {self.agency} ({self.at:%Y-%m-%d})"
