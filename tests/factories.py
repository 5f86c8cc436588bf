"""Small builders for the records most tests need, with fictitious values."""

import hashlib
import itertools
from datetime import datetime, timezone

from dearjohn.evidence.models import Capture, PlateRead, Sighting, SourceKind, Zone

_counter = itertools.count(1)

SQUARE = {"type": "Polygon", "coordinates": [[[-122.42, 37.75], [-122.41, 37.75], [-122.41, 37.76], [-122.42, 37.76], [-122.42, 37.75]]]}


def zone(name="Test zone", **fields):
    fields.setdefault("boundary", SQUARE)
    fields.setdefault("active_hours", {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    return Zone.objects.get_or_create(name=name, defaults=fields)[0]


def capture(**fields):
    n = next(_counter)
    fields.setdefault("sha256", hashlib.sha256(f"capture-{n}".encode()).hexdigest())
    fields.setdefault("stored_path", f"test/{n}.jpg")
    fields.setdefault("media_kind", Capture.MediaKind.IMAGE)
    fields.setdefault("content_type", "image/jpeg")
    fields.setdefault("size_bytes", 1000)
    fields.setdefault("source_kind", SourceKind.CAMERA)
    fields.setdefault("taken_at", datetime(2026, 11, 20, 22, 15, tzinfo=timezone.utc))
    fields.setdefault("taken_at_source", Capture.TimeSource.CAMERA)
    return Capture.objects.create(**fields)


def sighting(text="7TST123", seen_at=None, **fields):
    read = PlateRead.objects.create(capture=capture(), text=text, state="ca", confidence=0.95,
                                    candidates=[{"text": text, "confidence": 0.95}], box=[10, 10, 80, 40])
    fields.setdefault("zone", zone())
    return Sighting.objects.create(plate_read=read, seen_at=seen_at or read.capture.taken_at, **fields)


def registration(plate="7TST123", state="CA", **fields):
    """A fictitious registered vehicle and owner."""
    from dearjohn.evidence.models import plate_key
    from dearjohn.vehicles.models import Registration

    fields.setdefault("make", "Toyota")
    fields.setdefault("model", "Camry")
    fields.setdefault("color", "Silver")
    fields.setdefault("year", 2018)
    fields.setdefault("owner_name", "Robin Quillfeather")
    fields.setdefault("address_line1", "1200 Marigold Ct")
    fields.setdefault("city", "Oakland")
    fields.setdefault("address_state", "CA")
    fields.setdefault("zip_code", "94612")
    return Registration.objects.create(plate=plate, plate_key=plate_key(plate), state=state, **fields)


def confirmed_sighting(text="7TST123", state="CA", reviewer=None, seen_at=None, **fields):
    """A sighting a person confirmed, attached to its vehicle's case; returns (sighting, case)."""
    from dearjohn.cases import review

    s = sighting(text, seen_at=seen_at, **fields)
    if reviewer is None:
        from tests.conftest import make_user
        from django.contrib.auth import get_user_model

        reviewer = get_user_model().objects.filter(username="factory-reviewer").first() or make_user("Reviewer", "factory-reviewer")
    case = review.confirm(s, reviewer, text, state)
    s.refresh_from_db()
    return s, case


def evidence_policy(**fields):
    from dearjohn.cases.models import EvidencePolicy

    fields.setdefault("min_sightings", 3)
    fields.setdefault("min_days", 3)
    fields.setdefault("window_days", 30)
    fields.setdefault("cooldown_days", 180)
    return EvidencePolicy.objects.create(**fields)
