"""Capture list and page: job status, reads, chain of custody, the original, verifying public submissions."""

import pytest
from django.urls import reverse

from dearjohn.evidence import intake
from dearjohn.evidence.models import Capture, Sighting, SourceKind
from dearjohn.oversight.models import AuditEvent
from tests import factories
from tests.evidence.conftest import IN_ZONE, NOV_20_EVENING, photo, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_capture(zone):
    capture = intake.accept(photo([("7ABC123", (10, 10, 60, 20))], taken=NOV_20_EVENING, gps=IN_ZONE),
                            source_kind=SourceKind.PUBLIC, filename="car.jpg").capture
    return capture


def test_the_page_shows_the_job_then_the_reads(client_for, public_capture):
    client = client_for("Reviewer")
    page = client.get(reverse("evidence:capture_detail", args=[public_capture.pk])).content.decode()
    assert "Job ready" in page and "Not read yet." in page
    run_jobs()
    page = client.get(reverse("evidence:capture_detail", args=[public_capture.pk])).content.decode()
    assert "Job successful" in page and "7ABC123" in page and public_capture.sha256 in page
    assert "car.jpg" in page and "anonymous" in page  # chain of custody


@pytest.mark.parametrize("count, sentence", [
    (1, "1 read below the minimum confidence (writing that is probably not a plate) was not kept."),
    (3, "3 reads below the minimum confidence (writing that is probably not a plate) were not kept."),
])
def test_the_page_counts_the_reads_not_kept_in_plain_words(client_for, public_capture, count, sentence):
    Capture.objects.filter(pk=public_capture.pk).update(reads_too_unsure=count, reads_outside_zones=count)
    page = client_for("Reviewer").get(reverse("evidence:capture_detail", args=[public_capture.pk])).content.decode()
    assert sentence in page
    outside = "1 plate read outside any active zone or its hours; its text was not kept." if count == 1 else \
        f"{count} plates read outside any active zone or its hours; their text was not kept."
    assert outside in page


def test_the_original_is_served_after_its_hash_is_checked(client_for, public_capture, evidence_root):
    client = client_for("Supervisor")
    response = client.get(reverse("evidence:capture_original", args=[public_capture.pk]))
    assert b"".join(response.streaming_content) == (evidence_root / public_capture.stored_path).read_bytes()
    assert AuditEvent.objects.filter(action="capture.viewed_original").exists()


def test_a_capture_without_a_file_offers_no_original(client_for):
    """The demo's simulated history has records and no files: no download button, a 404, not a crash."""
    capture = factories.capture(stored_path="", size_bytes=0, note="demo history")
    client = client_for("Supervisor")
    page = client.get(reverse("evidence:capture_detail", args=[capture.pk])).content.decode()
    assert "none kept" in page and "No arrival recorded" in page
    assert reverse("evidence:capture_original", args=[capture.pk]) not in page
    assert client.get(reverse("evidence:capture_original", args=[capture.pk])).status_code == 404
    capture.refresh_from_db()
    assert capture.integrity_failed_at is None
    assert not AuditEvent.objects.filter(action="capture.viewed_original").exists()


def test_a_tampered_original_is_refused_and_flagged(client_for, public_capture, evidence_root):
    path = evidence_root / public_capture.stored_path
    path.chmod(0o644)
    path.write_bytes(b"\xff\xd8\xff changed")
    client = client_for("Supervisor")
    response = client.get(reverse("evidence:capture_original", args=[public_capture.pk]), follow=True)
    assert b"no longer matches its SHA-256" in response.content
    public_capture.refresh_from_db()
    assert public_capture.integrity_failed_at and not public_capture.usable_as_evidence
    assert AuditEvent.objects.filter(action="capture.integrity_failed").count() == 1


def test_an_officer_verifies_a_public_submission_into_evidence(client_for, public_capture):
    run_jobs()
    client = client_for("Officer")
    assert f"/captures/{public_capture.pk}/" in client.get(reverse("evidence:capture_list") + "?show=unverified").content.decode()
    response = client.post(reverse("evidence:capture_verify", args=[public_capture.pk]), follow=True)
    assert b"1 sighting(s) added for review" in response.content
    public_capture.refresh_from_db()
    assert public_capture.verified_by.username == "officer" and public_capture.usable_as_evidence
    assert Sighting.objects.get().plate_read.capture == public_capture
    assert AuditEvent.objects.filter(action="capture.verified", username="officer").exists()


def test_verify_refuses_get(client_for, public_capture):
    assert client_for("Officer").get(reverse("evidence:capture_verify", args=[public_capture.pk])).status_code == 405


def test_a_supervisor_cannot_verify(client_for, public_capture):
    assert client_for("Supervisor").post(reverse("evidence:capture_verify", args=[public_capture.pk])).status_code == 403
    assert not Capture.objects.get().verified_at
