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


def sighting(text="7TST123", seen_at=None, camera=None, **fields):
    read = PlateRead.objects.create(capture=capture(camera=camera), text=text, state="ca", confidence=0.95,
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


def reviewed_sighting(plate, seen_at, zone=None, state="CA", status="confirmed"):
    """A sighting already reviewed, with its fields set directly (no case work), for history-shaped tests."""
    from dearjohn.evidence.models import plate_key

    s = sighting(plate, seen_at=seen_at, **({"zone": zone} if zone else {}))
    s.review_status = status
    s.reviewed_at = seen_at
    if status in (Sighting.ReviewStatus.CONFIRMED, Sighting.ReviewStatus.CORRECTED):
        s.confirmed_plate, s.confirmed_plate_key, s.confirmed_state = plate, plate_key(plate), state
    s.save()
    return s


def mailed_letter(plate, mailed_at, state="CA", kind="first", status="mailed", **fields):
    """A letter for the vehicle's case (made if missing), mailed at `mailed_at`."""
    from dearjohn.cases.models import Case
    from dearjohn.evidence.models import plate_key
    from dearjohn.letters.models import Letter

    n = next(_counter)
    case = Case.objects.get_or_create(state=state, plate_key=plate_key(plate), defaults={"number": f"TL-{n}"})[0]
    fields.setdefault("recipient_name", "Robin Quillfeather")
    fields.setdefault("recipient_address", "1200 Marigold Ct\nOakland CA 94612")
    return Letter.objects.create(case=case, kind=kind, status=status, reference=f"TESTLETTER{n:08d}", mailed_at=mailed_at, **fields)


def case(number=None, sightings=(), status="open", legal_hold=False, plate="7TST123", state="CA"):
    """A case with the given sightings attached, its fields set directly (no review workflow)."""
    from dearjohn.cases.models import Case
    from dearjohn.evidence.models import plate_key

    n = next(_counter)
    c = Case.objects.create(number=number or f"TC-{n}", plate_key=plate_key(plate), state=state, status=status, legal_hold=legal_hold)
    c.sightings.add(*sightings)
    return c


def owner_lookup(user, plate="7TST123", state="CA", purpose="letter_case", case_number="", looked_up_at=None, **fields):
    """An owner lookup as the access log records it; `looked_up_at` overrides the automatic time."""
    from dearjohn.evidence.models import plate_key
    from dearjohn.vehicles.models import OwnerLookup

    lookup = OwnerLookup.objects.create(user=user, plate_key=plate_key(plate), state=state, purpose=purpose,
                                        case_number=case_number, source=fields.pop("source", "local"), **fields)
    if looked_up_at is not None:
        OwnerLookup.objects.filter(pk=lookup.pk).update(looked_up_at=looked_up_at)
        lookup.looked_up_at = looked_up_at
    return lookup


def response(letter, decision="new", reason="not_driving", decided_at=None, **fields):
    from dearjohn.letters.models import Response

    return Response.objects.create(letter=letter, reason=reason, decision=decision, decided_at=decided_at, **fields)


def letter_for(case, mailed_at=None, status="mailed", **fields):
    """A letter in the given case, mailed at `mailed_at` (None: not mailed)."""
    from dearjohn.letters.models import Letter

    n = next(_counter)
    fields.setdefault("recipient_name", "Robin Quillfeather")
    fields.setdefault("recipient_address", "1200 Marigold Ct\nOakland CA 94612")
    return Letter.objects.create(case=case, status=status, reference=f"TESTREF{n:08d}", mailed_at=mailed_at, **fields)


def plate_photo(text="7TST123", size=(960, 540), color=(70, 90, 120)):
    """A JPEG the project renders: a car's rear with a white plate reading `text`; returns (bytes, [x, y, w, h])."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, (120, 124, 128))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(height * .75), width, height], fill=(90, 92, 95))
    car = [int(width * .25), int(height * .3), int(width * .75), int(height * .85)]
    draw.rounded_rectangle(car, radius=30, fill=color)
    box = [int(width * .43), int(height * .62), int(width * .14), int(height * .09)]
    x, y, w, h = box
    draw.rectangle([x, y, x + w, y + h], fill=(245, 245, 240), outline=(20, 20, 20), width=2)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", int(h * .5))
    except OSError:
        font = ImageFont.load_default(size=int(h * .5))
    draw.text((x + w / 2, y + h / 2), text, fill=(20, 30, 110), font=font, anchor="mm")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue(), box


def stored_sighting(text="7TST123", candidates=None, confidence=0.95, state="", seen_at=None, pk=None, **fields):
    """A pending sighting whose capture is a real image in the evidence store, with the plate's box."""
    from django.conf import settings

    data, box = plate_photo(text)
    sha = hashlib.sha256(data).hexdigest()
    relative = f"originals/{sha[:2]}/{sha[2:4]}/{sha}"
    path = settings.EVIDENCE_ROOT / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    cap = Capture.objects.filter(sha256=sha).first() or capture(sha256=sha, stored_path=relative, size_bytes=len(data),
                                                                 **({"taken_at": seen_at} if seen_at else {}))
    read = PlateRead.objects.create(capture=cap, text=text, state=state, confidence=confidence, box=box,
                                    candidates=candidates if candidates is not None else [{"text": text, "confidence": confidence}])
    fields.setdefault("zone", zone())
    if pk is not None:
        fields["pk"] = pk
    return Sighting.objects.create(plate_read=read, seen_at=seen_at or cap.taken_at, **fields)


def qualifying_case(plate="7TST123", state="CA", reviewer=None, sightings=1, seen_at=None, with_photo=False,
                    **registration_fields):
    """A case the evidence policy qualifies for a letter: confirmed sightings, a fresh owner lookup, a vehicle match.

    Uses a one-sighting policy unless one exists. `reviewer` confirms the sightings and the vehicle;
    `with_photo` stores a real rendered photo for each sighting.
    """
    from datetime import timedelta

    from django.utils import timezone as django_timezone

    from dearjohn.cases import policy
    from dearjohn.cases.models import Case, EvidencePolicy
    from dearjohn.evidence.models import plate_key
    from dearjohn.vehicles.lookup import fingerprint
    from dearjohn.vehicles.models import Registration

    if EvidencePolicy.current() is None:
        evidence_policy(min_sightings=1, min_days=1)
    if reviewer is None:
        from django.contrib.auth import get_user_model

        from tests.conftest import make_user

        reviewer = get_user_model().objects.filter(username="factory-reviewer").first() or make_user("Reviewer", "factory-reviewer")
    reg = (Registration.objects.filter(plate_key=plate_key(plate), state=state).first()
           or registration(plate, state, **registration_fields))
    first = seen_at or django_timezone.now() - timedelta(days=sightings + 1)
    for i in range(sightings):
        when = first + timedelta(days=i, minutes=7 * i)
        if with_photo:
            from dearjohn.cases import review

            c = review.confirm(stored_sighting(plate, seen_at=when), reviewer, plate, state)
        else:
            _, c = confirmed_sighting(plate, state, reviewer=reviewer, seen_at=when)
    c.owner_lookup = owner_lookup(reviewer, plate, state, case_number=c.number, registration=reg, records_found=1)
    c.registration = reg
    c.registration_fingerprint = fingerprint(reg)
    c.vehicle_check = Case.VehicleCheck.MATCH
    c.vehicle_checked_by = reviewer
    c.vehicle_checked_at = django_timezone.now()
    c.save()
    policy.apply(c)
    c.refresh_from_db()
    return c


def drafted_letter(case=None, drafter=None, **case_fields):
    """A draft notice for a qualifying case (made if not given)."""
    from dearjohn.letters import drafting

    return drafting.draft(case or qualifying_case(**case_fields), user=drafter)


def approved_letter(approver=None, **fields):
    """A notice approved by `approver` (a Supervisor made if not given)."""
    from django.contrib.auth import get_user_model

    from dearjohn.letters import drafting
    from tests.conftest import make_user

    approver = approver or get_user_model().objects.filter(username="factory-supervisor").first() or make_user("Supervisor", "factory-supervisor")
    return drafting.approve(drafted_letter(**fields), approver)


def stored_capture(text="7TST123", pk=None, read_pk=None, **fields):
    """A capture whose original is a real photo in the evidence store, with one read and its crop file."""
    from django.conf import settings

    data, box = plate_photo(text)
    sha = hashlib.sha256(data).hexdigest()
    relative = f"originals/{sha[:2]}/{sha[2:4]}/{sha}"
    path = settings.EVIDENCE_ROOT / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if pk is not None:
        fields["pk"] = pk
    fields.setdefault("status", Capture.Status.READ)
    cap = capture(sha256=sha, stored_path=relative, size_bytes=len(data), latitude=37.755, longitude=-122.415, **fields)
    crop = f"crops/{sha[:2]}/{sha}/0.jpg"
    (settings.EVIDENCE_ROOT / crop).parent.mkdir(parents=True, exist_ok=True)
    (settings.EVIDENCE_ROOT / crop).write_bytes(data)
    PlateRead.objects.create(pk=read_pk, capture=cap, text=text, confidence=0.9, box=box, crop_path=crop,
                             candidates=[{"text": text, "confidence": 0.9}])
    return cap
