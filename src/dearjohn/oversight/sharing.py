"""Sharing case data: only with allow-listed California public agencies, each export logged.

Civil Code 1798.90.55(b) forbids sharing ALPR information with anyone but
California public agencies. An export carries the case, its sightings and
redacted vehicle images; never the registered owner's name or address (DMV
records are the DMV's to release), and never an unredacted image.
"""

import hashlib
import io
import json
import zipfile

from django.conf import settings
from django.db import transaction
from PIL import Image

from dearjohn.cases.models import Case

from .audit import record
from .errors import OversightError
from .models import Agency, Disclosure
from .redaction import redact_for_release


def export_case(case_number, agency, legal_standard, legal_reference, purpose, user=None, request=None):
    """Build the export for an allow-listed agency and log it; returns (disclosure, zip bytes)."""
    if not isinstance(agency, Agency) or not Agency.objects.filter(pk=agency.pk, is_active=True).exists():
        record("sharing.refused", user=user, request=request, purpose=purpose, case_number=case_number, recipient=str(agency))
        raise OversightError(f"{agency} is not on the allow-list of agencies case data may be shared with.")
    agency.refresh_from_db()
    try:
        agency.clean()
    except Exception:
        record("sharing.refused", user=user, request=request, purpose=purpose, case_number=case_number, recipient=str(agency))
        raise OversightError(f"{agency} is not a California public agency; case data cannot be shared with it.") from None
    if legal_standard not in Disclosure.LegalStandard.values or not legal_reference.strip():
        raise OversightError("Give the legal standard and its reference (warrant, order or request number).")
    if not purpose.strip():
        raise OversightError("Say why the agency needs the case data.")
    case = Case.objects.filter(number=case_number.strip()).first()
    if case is None:
        raise OversightError(f"There is no case {case_number!r}.")

    data, images = case_data(case)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("case.json", json.dumps(data, indent=2, default=str))
        for name, jpeg in images:
            archive.writestr(name, jpeg)
    payload = buffer.getvalue()
    contents = {"sightings": len(data["sightings"]), "letters": len(data["letters"]), "images": len(images)}
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            agency=agency, case_number=case.number, legal_standard=legal_standard, legal_reference=legal_reference.strip(),
            purpose=purpose.strip(), contents=contents, sha256=hashlib.sha256(payload).hexdigest(), made_by=user)
        record("sharing.export", user=user, obj=case, request=request, purpose=purpose.strip(), recipient=agency.name,
               legal_standard=legal_standard, legal_reference=legal_reference.strip(), disclosure=disclosure.pk, **contents)
    return disclosure, payload


def case_data(case):
    """The case as shared: what was seen where and when, and what the program did; images redacted."""
    vehicle = case.registration
    data = {
        "case_number": case.number,
        "plate": case.plate_key,
        "state": case.state,
        "status": case.get_status_display(),
        "vehicle": {"make": vehicle.make, "model": vehicle.model, "color": vehicle.color, "year": vehicle.year} if vehicle else None,
        "sightings": [],
        "letters": [{"kind": letter.get_kind_display(), "status": letter.get_status_display(), "mailed_at": letter.mailed_at}
                    for letter in case.letters.all()],
        "not_included": "Registered owner details (request them from the DMV); unredacted images.",
    }
    images = []
    for n, sighting in enumerate(case.sightings.select_related("plate_read__capture", "zone").order_by("seen_at"), 1):
        read = sighting.plate_read
        entry = {"seen_at": sighting.seen_at, "zone": sighting.zone.name, "latitude": sighting.latitude,
                 "longitude": sighting.longitude, "review": sighting.get_review_status_display(),
                 "plate_confirmed": sighting.confirmed_plate or None, "image": None}
        jpeg = redacted_jpeg(read)
        if jpeg is not None:
            entry["image"] = f"sighting-{n}.jpg"
            images.append((entry["image"], jpeg))
        data["sightings"].append(entry)
    return data, images


def redacted_jpeg(read):
    """The capture behind a read, redacted, as JPEG bytes; None if it is not a photo on file."""
    capture = read.capture
    if capture.media_kind != "image" or not capture.stored_path:
        return None
    path = settings.EVIDENCE_ROOT / capture.stored_path
    if not path.exists():
        return None
    with Image.open(path) as img:
        redacted = redact_for_release(img, tuple(read.box))
    out = io.BytesIO()
    redacted.save(out, "JPEG", quality=88)
    return out.getvalue()
