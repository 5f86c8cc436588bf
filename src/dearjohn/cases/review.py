"""Review: a person confirms, corrects or rejects each sighting's plate.

Nothing here ever confirms a read on its own: every decision takes the
reviewer and the plate text they chose, and is recorded with both. The queue
is read with keyset pagination on (seen_at, id), so finding the next item
costs the same with a million sightings as with ten.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dearjohn.evidence.models import PlateRead, Sighting, plate_key
from dearjohn.oversight.audit import record
from dearjohn.vehicles.models import US_STATES

from .models import Case, CasesError, ReviewClaim


class RejectReason:
    """Why a sighting is not evidence; the key is the reviewer's keyboard shortcut."""

    CHOICES = [
        (Sighting.NOT_A_PLATE, "Not a plate", "P"),
        ("unreadable", "Unreadable", "U"),
        ("outside_zone", "Outside the zone", "O"),
        ("no_solicitation", "No solicitation behaviour", "S"),
        ("duplicate", "Duplicate", "D"),
    ]
    LABELS = {value: label for value, label, _ in CHOICES}


def pending():
    return Sighting.objects.filter(review_status=Sighting.ReviewStatus.PENDING)


def next_pending(after=None, user=None):
    """The oldest sighting waiting for review, after the (seen_at, id) cursor if given.

    With `user`, sightings another reviewer has on screen (an unexpired
    ReviewClaim) are passed over.
    """
    items = pending().order_by("seen_at", "id")
    if user is not None:
        others = ReviewClaim.objects.filter(until__gt=timezone.now()).exclude(user=user).values("sighting_id")
        items = items.exclude(pk__in=others)
    if after is not None:
        seen_at, pk = after
        items = items.filter(seen_at__gte=seen_at).exclude(seen_at=seen_at, id__lte=pk)
    return items.select_related("plate_read__capture__camera", "zone").first()


def claim(sighting, user):
    """Mark `sighting` as on `user`'s screen for REVIEW_CLAIM_SECONDS; returns it for chaining."""
    if sighting is None:
        return None
    now = timezone.now()
    until = now + timedelta(seconds=settings.DEARJOHN["REVIEW_CLAIM_SECONDS"])
    ReviewClaim.objects.bulk_create([ReviewClaim(sighting=sighting, user=user, until=until)],  # one upsert
                                    update_conflicts=True, unique_fields=["sighting"], update_fields=["user", "until"])
    ReviewClaim.objects.filter(until__lt=now - timedelta(hours=1)).delete()
    return sighting


def waiting_count(cap=1000):
    """How many wait, counted only up to `cap` so the page never scans the whole backlog."""
    return pending()[:cap].count()


@dataclass(frozen=True)
class Candidate:
    text: str
    confidence: float
    preselected: bool

    @property
    def percent(self):
        """Confidence for people: 99.9%, 42%, <1% (never a bare 100% or 0%)."""
        if self.confidence >= 0.995:
            return f"{min(self.confidence, 0.999) * 100:.1f}%"
        if self.confidence < 0.01:
            return "<1%"
        return f"{self.confidence * 100:.0f}%"


def candidates(read, top=5):
    """The read's best readings, best first, one per plate key; the best is pre-selected only if confident."""
    threshold = settings.DEARJOHN["REVIEW_PRESELECT_THRESHOLD"]
    seen, out = set(), []
    for item in [{"text": read.text, "confidence": read.confidence}, *(read.candidates or [])]:
        text = str(item.get("text", "")).upper()
        key = plate_key(text)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append((text, float(item.get("confidence") or 0.0)))
    out.sort(key=lambda c: -c[1])
    return [Candidate(text, conf, i == 0 and conf >= threshold) for i, (text, conf) in enumerate(out[:top])]


def same_plate(sighting, limit=10):
    """Other sightings of the same plate: as read by the engine or as confirmed by a person."""
    key = sighting.confirmed_plate_key or sighting.plate_read.plate_key
    related = "plate_read__capture__camera", "zone"
    by_read = Sighting.objects.filter(plate_read__plate_key=key).exclude(pk=sighting.pk).select_related(*related).order_by("-seen_at")[:limit]
    by_review = Sighting.objects.filter(confirmed_plate_key=key).exclude(pk=sighting.pk).select_related(*related).order_by("-seen_at")[:limit]
    merged = {s.pk: s for s in [*by_read, *by_review]}
    return sorted(merged.values(), key=lambda s: s.seen_at, reverse=True)[:limit]


def _claim(sighting):
    """Lock the sighting and make sure nobody decided it meanwhile."""
    locked = Sighting.objects.select_for_update().get(pk=sighting.pk)
    if locked.review_status != Sighting.ReviewStatus.PENDING:
        who = locked.reviewed_by.get_username() if locked.reviewed_by else "someone"
        raise CasesError(f"This sighting was already reviewed by {who}; moving on to the next one.")
    return locked


def _clean_plate(plate, state):
    text = "".join(ch for ch in (plate or "").upper() if ch.isalnum() or ch in " -")
    key = plate_key(text)
    if not 1 <= len(key) <= 8:
        raise CasesError("Type the plate as it appears: 1 to 8 letters and digits.")
    state = (state or "").strip().upper()
    if state not in US_STATES:
        raise CasesError("Choose the state that issued the plate (two letters, e.g. CA).")
    return text.replace(" ", "").replace("-", ""), key, state


def confirm(sighting, user, plate, state, request=None):
    """The reviewer says the plate in the image is `plate` from `state`; returns the vehicle's case.

    If the text is one the engine offered, the sighting is confirmed; if the
    reviewer typed something else, it is corrected. Either way it joins the
    case for that plate and state, and the case is re-evaluated.
    """
    from . import policy

    if user is None or not user.is_authenticated:
        raise CasesError("Only a signed-in reviewer can confirm a plate.")
    text, key, state = _clean_plate(plate, state)
    with transaction.atomic():
        sighting = _claim(sighting)
        read = PlateRead.objects.get(pk=sighting.plate_read_id)
        offered = {plate_key(c.text) for c in candidates(read, top=10)}
        sighting.review_status = (Sighting.ReviewStatus.CONFIRMED if key in offered
                                  else Sighting.ReviewStatus.CORRECTED)
        sighting.reviewed_by = user
        sighting.reviewed_at = timezone.now()
        sighting.confirmed_plate = text
        sighting.confirmed_plate_key = key
        sighting.confirmed_state = state
        sighting.reject_reason = ""
        sighting.save()
        case = Case.for_vehicle(key, state, plate=text)
        case.sightings.add(sighting)
        record(f"sighting.{sighting.review_status}", user=user, obj=sighting, request=request,
               plate=text, state=state, read_as=read.text, case=case.number)
        policy.apply(case)
    return case


def reject(sighting, user, reason, request=None):
    """The reviewer says the sighting is not evidence, for one of the listed reasons."""
    if user is None or not user.is_authenticated:
        raise CasesError("Only a signed-in reviewer can reject a sighting.")
    if reason not in RejectReason.LABELS:
        raise CasesError("Choose why the sighting is rejected: " + ", ".join(RejectReason.LABELS.values()).lower() + ".")
    with transaction.atomic():
        sighting = _claim(sighting)
        sighting.review_status = Sighting.ReviewStatus.REJECTED
        sighting.reviewed_by = user
        sighting.reviewed_at = timezone.now()
        sighting.reject_reason = reason
        sighting.save()
        record("sighting.rejected", user=user, obj=sighting, request=request, reason=reason)
    return sighting
