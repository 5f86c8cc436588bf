"""Letters to registered owners and the answers they send back."""

from django.conf import settings
from django.db import models

from dearjohn.cases.models import Case


class Letter(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", "First notice"
        REPEAT = "repeat", "Repeat notice"
        APOLOGY = "apology", "Apology"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
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
    recipient_name = models.CharField(max_length=200)
    recipient_address = models.TextField(help_text="Normalised mailing address, one line per row.")
    template_version = models.PositiveIntegerField(null=True, blank=True)
    drafted_at = models.DateTimeField(auto_now_add=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    print_batch = models.CharField(max_length=50, blank=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    delivery_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-drafted_at"]
        permissions = [("approve_letter", "Can approve and print letters")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"


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
    contact = models.CharField("contact details", max_length=300, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.NEW)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        permissions = [("decide_response", "Can uphold or withdraw after a response")]
