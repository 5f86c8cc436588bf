import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from dearjohn.oversight.errors import OversightError
from dearjohn.oversight.models import Agency, AuditEvent, Disclosure
from dearjohn.oversight.sharing import export_case
from tests import factories


@pytest.fixture
def agency(db):
    return Agency.objects.create(name="Oakland Police Department", jurisdiction="City of Oakland")


@pytest.fixture
def case_with_photo(db, settings):
    """A case whose sighting's capture is a real photo in the evidence store."""
    sighting = factories.sighting("7SHR100")
    capture = sighting.plate_read.capture
    img = Image.new("RGB", (640, 480), (120, 120, 125))
    relative = f"originals/{capture.sha256[:2]}/{capture.sha256[2:4]}/{capture.sha256}"
    (settings.EVIDENCE_ROOT / relative).parent.mkdir(parents=True, exist_ok=True)
    img.save(settings.EVIDENCE_ROOT / relative, "JPEG")
    type(capture).objects.filter(pk=capture.pk).update(stored_path=relative)
    sighting.plate_read.box = [280, 300, 80, 40]
    sighting.plate_read.save()
    return factories.case(number="DJ-2026-000777", sightings=[sighting], plate="7SHR100")


@pytest.mark.parametrize("fields,message", [
    ({"state": "NV"}, "out-of-state"),
    ({"level": "federal"}, "Federal"),
    ({"california_public_agency": False}, "public agencies"),
])
def test_out_of_state_federal_and_private_recipients_cannot_be_listed(db, fields, message):
    with pytest.raises(ValidationError, match=message):
        Agency.objects.create(name="Somebody", jurisdiction="Elsewhere", **fields)
    assert not Agency.objects.exists()


def test_export_to_a_listed_agency_is_logged_with_recipient_and_legal_standard(agency, case_with_photo, users):
    disclosure, payload = export_case("DJ-2026-000777", agency, "warrant", "SW-2026-114", "robbery investigation", user=users["Supervisor"])
    archive = zipfile.ZipFile(io.BytesIO(payload))
    data = json.loads(archive.read("case.json"))
    assert data["case_number"] == "DJ-2026-000777" and len(data["sightings"]) == 1
    image = Image.open(io.BytesIO(archive.read(data["sightings"][0]["image"])))
    assert image.size[0] < 640, "the image went through redaction (cropped to the vehicle)"
    assert disclosure.agency == agency and disclosure.legal_standard == "warrant" and disclosure.contents["images"] == 1
    entry = AuditEvent.objects.get(action="sharing.export")
    assert entry.detail["recipient"] == "Oakland Police Department" and entry.detail["legal_standard"] == "warrant"
    assert "Robin" not in archive.read("case.json").decode(), "no owner details"


def test_export_to_an_agency_off_the_list_is_refused(agency, case_with_photo):
    agency.is_active = False
    agency.save()
    with pytest.raises(OversightError, match="not on the allow-list"):
        export_case("DJ-2026-000777", agency, "warrant", "SW-1", "investigation")
    assert not Disclosure.objects.exists()
    assert AuditEvent.objects.filter(action="sharing.refused").count() == 1


def test_export_to_an_agency_slipped_in_unvalidated_is_refused(case_with_photo):
    Agency.objects.bulk_create([Agency(name="Federal Bureau", jurisdiction="United States", level="federal")])
    with pytest.raises(OversightError, match="not a California public agency"):
        export_case("DJ-2026-000777", Agency.objects.get(), "warrant", "SW-1", "investigation")
    assert not Disclosure.objects.exists()


def test_the_export_page_refuses_an_unlisted_agency(client_for, agency, case_with_photo):
    agency.is_active = False
    agency.save()
    response = client_for("Supervisor").post(reverse("oversight:export_case"), {
        "case_number": "DJ-2026-000777", "agency": agency.pk, "legal_standard": "warrant", "legal_reference": "SW-1", "purpose": "x"})
    assert response.status_code == 400 and not Disclosure.objects.exists()


def test_the_export_page_downloads_the_zip(client_for, agency, case_with_photo):
    response = client_for("Supervisor").post(reverse("oversight:export_case"), {
        "case_number": "DJ-2026-000777", "agency": agency.pk, "legal_standard": "court_order", "legal_reference": "CO-9", "purpose": "court case"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert Disclosure.objects.get().legal_reference == "CO-9"


def test_a_supervisor_adds_and_removes_agencies(client_for):
    client = client_for("Supervisor")
    client.post(reverse("oversight:sharing"), {"name": "Daly City Police", "jurisdiction": "City of Daly City", "state": "CA",
                                               "level": "city", "california_public_agency": "on", "is_active": "on"})
    agency = Agency.objects.get()
    client.post(reverse("oversight:sharing"), {"toggle": agency.pk})
    agency.refresh_from_db()
    assert not agency.is_active
    refused = client.post(reverse("oversight:sharing"), {"name": "Reno PD", "jurisdiction": "City of Reno", "state": "NV",
                                                         "level": "city", "california_public_agency": "on"})
    assert b"out-of-state" in refused.content and Agency.objects.count() == 1


def test_an_auditor_sees_the_list_but_cannot_change_it(client_for, agency):
    client = client_for("Auditor")
    assert b"Oakland Police Department" in client.get(reverse("oversight:sharing")).content
    assert client.post(reverse("oversight:sharing"), {"toggle": agency.pk}).status_code == 403


def test_the_sharing_pages_reject_other_methods(client_for):
    client = client_for("Supervisor")
    assert client.put(reverse("oversight:sharing")).status_code == 405
    assert client.put(reverse("oversight:export_case")).status_code == 405
