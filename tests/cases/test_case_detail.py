import pytest
from django.urls import reverse

from dearjohn.cases.models import Case, Note
from dearjohn.evidence.models import Capture
from dearjohn.oversight.models import AuditEvent
from dearjohn.vehicles.models import OwnerLookup
from tests import factories


@pytest.fixture
def case(db):
    factories.evidence_policy(min_sightings=1, min_days=1)
    _, case = factories.confirmed_sighting("7ABC123")
    factories.registration("7ABC123", color="Silver", make="Toyota", model="Camry")
    return case


def test_it_shows_status_blockers_and_timeline(client_for, case):
    html = client_for("Reviewer").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert case.number in html and "Open: gathering evidence" in html
    assert "No registered owner has been found" in html
    assert "Confirmed as 7ABC123 (CA)" in html


def test_a_lookup_from_the_case_attaches_the_owner_and_is_logged(client_for, case):
    client = client_for("Reviewer")
    response = client.post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": "letter_case", "case_number": case.number})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.registration.owner_name == "Robin Quillfeather"
    assert OwnerLookup.objects.get().case_number == case.number
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Robin Quillfeather" in html and "Owner lookup (Letter program case review, local): 1 record found" in html
    assert AuditEvent.objects.filter(action="case.owner_viewed", username="reviewer").exists()


def test_a_lookup_without_a_purpose_is_refused_on_the_page(client_for, case):
    response = client_for("Reviewer").post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": "", "case_number": case.number})
    assert "This field is required" in response.content.decode()
    assert not OwnerLookup.objects.exists() and not AuditEvent.objects.filter(action="owner_lookup").exists()


def test_a_lookup_for_another_case_number_is_refused(client_for, case):
    response = client_for("Reviewer").post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": "letter_case", "case_number": "DJ-2026-999999"})
    assert "the case number must match" in response.content.decode()
    assert not OwnerLookup.objects.exists()


def test_a_supervisor_cannot_look_up_owners(client_for, case):
    response = client_for("Supervisor").post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": "letter_case", "case_number": case.number})
    assert response.status_code == 403


def lookup_and_check(client, case, **data):
    client.post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": "vehicle_check", "case_number": case.number})
    return client.post(reverse("cases:case_vehicle_check", args=[case.pk]), data)


def test_a_vehicle_match_lets_the_case_qualify(client_for, case, users):
    lookup_and_check(client_for("Reviewer"), case, result="match")
    case.refresh_from_db()
    assert (case.vehicle_check, case.vehicle_checked_by, case.status) == (Case.VehicleCheck.MATCH, users["Reviewer"], Case.Status.QUALIFYING)
    assert case.qualified_reason == "1 confirmed sighting on 1 day within 30 days (policy v1)."


def test_a_mismatch_blocks_and_flags_a_possible_misread(client_for, case):
    client = client_for("Reviewer")
    lookup_and_check(client, case, result="mismatch", reason="Image shows a red pickup, registration says silver Camry")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.possible_misread
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Possible misread or cloned plate" in html
    assert "possible misread or cloned plate" in client.get(reverse("cases:case_list")).content.decode()


def test_cannot_tell_needs_a_reason(client_for, case):
    response = lookup_and_check(client_for("Reviewer"), case, result="cannot_tell", reason="")
    assert "Say what could not be seen" in response.content.decode()
    case.refresh_from_db()
    assert case.vehicle_check == Case.VehicleCheck.UNCHECKED


def test_a_vehicle_check_needs_a_registration(client_for, case):
    response = client_for("Reviewer").post(reverse("cases:case_vehicle_check", args=[case.pk]), {"result": "match"})
    assert "Look up the registered owner first" in response.content.decode()


def test_notes_and_assignment(client_for, case, users):
    client = client_for("Reviewer")
    client.post(reverse("cases:case_note", args=[case.pk]), {"text": "Plate partly covered by a bike rack."})
    client.post(reverse("cases:case_assign", args=[case.pk]), {"assigned_to": users["Reviewer"].pk})
    case.refresh_from_db()
    assert Note.objects.get().text == "Plate partly covered by a bike rack." and case.assigned_to == users["Reviewer"]
    assert "Plate partly covered by a bike rack." in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert case.number in client.get(reverse("cases:case_list"), {"mine": "1"}).content.decode()


def test_the_list_filters_by_status_and_plate(client_for, case):
    client = client_for("Supervisor")
    assert case.number in client.get(reverse("cases:case_list"), {"plate": "7abc 123"}).content.decode()
    assert case.number not in client.get(reverse("cases:case_list"), {"status": "qualifying"}).content.decode()


def test_a_sighting_without_an_image_file_says_so_instead_of_a_broken_picture(client_for, case):
    sighting = case.sightings.get()
    kept_url = reverse("cases:sighting_image", args=[sighting.pk])
    assert f'<img src="{kept_url}"' in client_for("Reviewer").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    Capture.objects.filter(pk=sighting.plate_read.capture_id).update(stored_path="", note="demo history")
    html = client_for("Reviewer").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert f'<img src="{kept_url}"' not in html and "No image: demo history" in html


def test_a_lettered_case_says_why_no_further_letter(client_for, case):
    client = client_for("Reviewer")
    assert "Why no letter yet" in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    factories.letter_for(case)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Why no further letter yet" in html and "Why no letter yet" not in html
