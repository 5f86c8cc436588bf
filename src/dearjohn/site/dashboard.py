"""What each role has to do today, as cards on the home page.

Each card is shown to users holding its permission; its count says how much
work waits, and an empty card says so plainly instead of disappearing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from dearjohn.cases.models import Case
from dearjohn.evidence.models import Camera, Capture, Sighting
from dearjohn.letters.models import Letter, Response
from dearjohn.oversight.models import AuditEvent
from dearjohn.vehicles.models import OwnerLookup


@dataclass(frozen=True)
class Card:
    title: str
    count: int
    empty_text: str
    link: str = ""
    link_text: str = ""


def _officer_cards(user):
    mine = Capture.objects.filter(uploaded_by=user)
    return [Card("Your captures", mine.count(), "You have not uploaded any photos or videos yet.",
                 reverse("evidence:capture_list"), "See your captures")]


def _reviewer_cards(user):
    return [
        Card("Sightings waiting for review", Sighting.objects.filter(review_status=Sighting.ReviewStatus.PENDING).count(),
             "No sightings are waiting for review.", reverse("cases:review_queue"), "Open the review queue"),
        Card("Cases needing a vehicle check",
             Case.objects.filter(vehicle_check=Case.VehicleCheck.UNCHECKED, registration__isnull=False).count(),
             "No case is waiting for a vehicle check.", reverse("cases:case_list"), "Open the cases"),
    ]


def _supervisor_cards(user):
    stale = timezone.now() - timedelta(hours=24)
    return [
        Card("Letters to approve", Letter.objects.filter(status=Letter.Status.DRAFT).count(),
             "No letters are waiting for approval.", reverse("letters:letter_list"), "Open letters"),
        Card("Responses to decide", Response.objects.filter(decision=Response.Decision.NEW).count(),
             "No responses are waiting for a decision.", reverse("letters:response_list"), "Open responses"),
        Card("Cameras silent for 24 hours",
             Camera.objects.filter(is_active=True).exclude(last_seen_at__gte=stale).count(),
             "Every active camera has sent images in the last 24 hours."),
    ]


def _auditor_cards(user):
    month_ago = timezone.now() - timedelta(days=30)
    return [
        Card("Owner lookups in the last 30 days", OwnerLookup.objects.filter(looked_up_at__gte=month_ago).count(),
             "No owner lookups in the last 30 days.", reverse("oversight:audit_log"), "Open the audit log"),
        Card("Audit entries in the last 30 days", AuditEvent.objects.filter(at__gte=month_ago).count(),
             "Nothing recorded in the last 30 days.", reverse("oversight:audit_log"), "Open the audit log"),
    ]


def _administrator_cards(user):
    users = get_user_model().objects.filter(is_active=True)
    return [Card("Active staff accounts", users.count(), "No staff accounts yet.",
                 reverse("admin:auth_user_changelist"), "Manage users")]


def _insights_cards(user):
    week_ago = timezone.now() - timedelta(days=7)
    return [Card("Sightings in the last 7 days", Sighting.objects.filter(seen_at__gte=week_ago).count(),
                 "No sightings in the last 7 days.", reverse("insights:dashboard"), "Open the program dashboard")]


CARDS_BY_PERMISSION = [
    ("evidence.add_capture", _officer_cards),
    ("evidence.review_sighting", _reviewer_cards),
    ("letters.approve_letter", _supervisor_cards),
    ("oversight.view_auditevent", _auditor_cards),
    ("auth.change_user", _administrator_cards),
    ("insights.view_dashboard", _insights_cards),
]


def tasks_for(user):
    cards = []
    for permission, make_cards in CARDS_BY_PERMISSION:
        if user.has_perm(permission):
            cards.extend(make_cards(user))
    return cards
