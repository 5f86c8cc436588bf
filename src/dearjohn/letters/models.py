"""Letters to registered owners, the templates they are printed from, and the answers they send back."""

from django.conf import settings
from django.db import models

from dearjohn.cases.models import Case
from dearjohn.site.crypto import EncryptedCharField, EncryptedTextField


class LetterTemplate(models.Model):
    """One version of a letter's wording. Versions are never edited: saving new wording makes a new version,
    so every printed letter can be reproduced from the version it records."""

    class Kind(models.TextChoices):
        FIRST = "first", "First notice"
        REPEAT = "repeat", "Repeat notice"
        APOLOGY = "apology", "Apology"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(max_length=5)
    version = models.PositiveIntegerField()
    html = models.TextField(help_text="The letter as a Django template (HTML); see the editor page for its variables.")
    note = models.CharField("what changed", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "language", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "language", "version"], name="one_template_version")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language}) v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A letter template version is never changed; save the new wording as a new version.")
        super().save(*args, **kwargs)

    @classmethod
    def current(cls, kind, language):
        return cls.objects.filter(kind=kind, language=language).order_by("-version").first()


class PrintBatch(models.Model):
    """One run of the printer: a PDF with its letters in mailing order and a CSV manifest beside it."""

    name = models.SlugField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    letter_count = models.PositiveIntegerField(default=0)
    pdf_path = models.CharField(max_length=300, help_text="Path under the data dir.")
    manifest_path = models.CharField(max_length=300, help_text="Path under the data dir.")
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    mailed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "print batches"

    def __str__(self):
        return self.name

    @property
    def is_finished(self):
        """The checksum is saved only after both files are whole; without it the print was interrupted."""
        return bool(self.pdf_sha256)


class Letter(models.Model):
    Kind = LetterTemplate.Kind

    class Status(models.TextChoices):
        HELD = "held", "Held: address needs fixing"
        DRAFT = "draft", "Draft: waiting for approval"
        APPROVED = "approved", "Approved"
        PRINTED = "printed", "Printed"
        MAILED = "mailed", "Mailed"
        DELIVERED = "delivered", "Delivered"
        RETURNED = "returned", "Returned to sender"
        CANCELLED = "cancelled", "Cancelled"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FIRST)
    language = models.CharField(max_length=5, default="en")
    reference = models.CharField(max_length=32, unique=True, help_text="Random code printed on the letter for responses.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    hold_reason = models.CharField(max_length=300, blank=True, help_text="What a person must fix before the letter can go on.")
    recipient_name = EncryptedCharField(max_length=200)  # encrypted at rest, like the registry's owner data
    recipient_address = EncryptedTextField(help_text="Normalised mailing address, one line per row.")
    recipient_zip = models.CharField("ZIP code", max_length=5, blank=True, help_text="Five-digit ZIP; the response page asks for it.")
    template = models.ForeignKey(LetterTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    observed = models.JSONField(default=dict, help_text="What the letter says was observed, fixed when it was drafted.")
    about_letter = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups", help_text="For an apology: the letter it withdraws.")
    drafted_at = models.DateTimeField(auto_now_add=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(PrintBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    printed_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    delivery_updated_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-drafted_at"]
        permissions = [("approve_letter", "Can approve and print letters")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def template_version(self):
        return self.template.version if self.template else None

    @property
    def address_lines(self):
        return [line for line in self.recipient_address.splitlines() if line.strip()]


class Suppression(models.Model):
    """No notice may go to this vehicle, this owner, or this owner of this vehicle.

    A blank plate means the owner is suppressed for every vehicle; a blank owner
    means the vehicle is suppressed whoever owns it.
    """

    state = models.CharField(max_length=2, blank=True)
    plate_key = models.CharField(max_length=12, blank=True, db_index=True)
    owner_name = EncryptedCharField(max_length=200, blank=True, help_text="As owner_key() writes it; encrypted at rest.")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    response = models.ForeignKey("Response", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~models.Q(plate_key="", owner_name=""), name="suppression_names_something")]

    def __str__(self):
        vehicle = f"{self.plate_key} ({self.state.upper()})" if self.plate_key else "any vehicle"
        return f"{vehicle} / {self.owner_name or 'any owner'}"


class Response(models.Model):
    """An answer a letter's recipient sent through the public response page."""

    class Reason(models.TextChoices):
        NOT_DRIVING = "not_driving", "I was not driving"
        SOLD = "sold", "The vehicle was sold"
        STOLEN = "stolen", "The vehicle was stolen"
        OTHER = "other", "Other"

    class Decision(models.TextChoices):
        NEW = "new", "Waiting for a decision"
        UPHELD = "upheld", "Letter upheld"
        WITHDRAWN = "withdrawn", "Letter withdrawn"

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="responses")
    received_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    message = models.TextField(blank=True)
    contact = EncryptedCharField("contact details", max_length=300, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.NEW)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        permissions = [("decide_response", "Can uphold or withdraw after a response")]


class ResponseAttempt(models.Model):
    """A failed try on the public response page, counted to limit guessing.

    Only a keyed hash of the sender's address is kept, never the address itself.
    """

    source = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
