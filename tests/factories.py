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
