"""Registered vehicles and their owners, and every lookup made of them."""

from django.conf import settings
from django.db import models

from dearjohn.site.crypto import EncryptedCharField


# Issuing jurisdictions a plate may carry: the states, DC, territories, and
# the federal government's own plates (US).
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI US".split()
)


class VehiclesError(Exception):
    """A problem with a lookup or a registry file that the person asking can fix; the message says how."""


class Registration(models.Model):
    """A registered vehicle and its owner, as the state's registry records them."""

    class VehicleClass(models.TextChoices):
        PRIVATE = "private", "Private"
        RENTAL = "rental", "Rental"
        FLEET = "fleet", "Fleet"
        GOVERNMENT = "government", "Government"

    plate = models.CharField(max_length=12)
    plate_key = models.CharField(max_length=12, db_index=True)
    state = models.CharField(max_length=2)
    make = models.CharField(max_length=40)
    model = models.CharField(max_length=40, blank=True)
    color = models.CharField(max_length=30, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    vehicle_class = models.CharField(max_length=12, choices=VehicleClass.choices, default=VehicleClass.PRIVATE)
    # Encrypted at rest (README, "Owner data at rest"); the plate stays plain for lookups.
    owner_name = EncryptedCharField(max_length=200)
    address_line1 = EncryptedCharField("street address", max_length=200)
    address_line2 = EncryptedCharField("apartment, suite", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    address_state = models.CharField(max_length=2)
    zip_code = models.CharField("ZIP code", max_length=10)
    preferred_language = models.CharField(max_length=5, default="en")
    registry_updated_on = models.DateField(null=True, blank=True, help_text="When the registry last confirmed this record.")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state", "plate_key"]
        constraints = [models.UniqueConstraint(fields=["state", "plate_key"], name="one_registration_per_plate")]

    def __str__(self):
        return f"{self.plate} ({self.state.upper()})"


class OwnerLookup(models.Model):
    """One search for a plate's registered owner, with the stated purpose (Cal. Civ. Code 1798.90.52)."""

    class Purpose(models.TextChoices):
        LETTER_CASE = "letter_case", "Letter program case review"
        VEHICLE_CHECK = "vehicle_check", "Vehicle description check"
        PRE_PRINT_RECHECK = "pre_print_recheck", "Re-check before printing a letter"
        RESPONSE = "response", "Answering a recipient's response"
        AUDIT = "audit", "Audit"

    looked_up_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="owner_lookups")
    plate_key = models.CharField(max_length=12, db_index=True)
    state = models.CharField(max_length=2)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    case_number = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=20, help_text="Which registry answered: local table or gateway.")
    records_found = models.PositiveIntegerField(default=0)
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="lookups")

    class Meta:
        ordering = ["-looked_up_at"]
        permissions = [("look_up_owner", "Can look up a registered owner")]
