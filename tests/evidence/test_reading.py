"""The reading job: plate reads with crops, sightings inside active zones only, idempotent."""

from datetime import datetime, timezone

import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image

from dearjohn.evidence import intake, reading
from dearjohn.evidence.models import Capture, PlateRead, Sighting, SourceKind
from tests import factories
from tests.conftest import make_user
from tests.evidence.conftest import IN_ZONE, NOV_20_EVENING, OUT_OF_ZONE, photo, run_jobs, video

pytestmark = pytest.mark.django_db
TWO_PLATES = [("7ABC123", (20, 30, 60, 24)), ("8XYZ999", (150, 120, 60, 24))]


def accept(data, **kw):
    from django.contrib.auth import get_user_model

    kw.setdefault("source_kind", SourceKind.OFFICER)
    kw.setdefault("sender", get_user_model().objects.filter(username="officer").first() or make_user("Officer"))
    return intake.accept(data, **kw).capture


def test_each_read_becomes_a_plate_read_with_a_crop_and_a_sighting(zone, evidence_root):
    capture = accept(photo(TWO_PLATES, taken=NOV_20_EVENING, gps=IN_ZONE))
    run_jobs()
    capture.refresh_from_db()
    assert capture.status == Capture.Status.READ and capture.reads_outside_zones == 0
    reads = {r.text: r for r in capture.plate_reads.all()}
    assert set(reads) == {"7ABC123", "8XYZ999"}
    read = reads["7ABC123"]
    assert read.box == [20, 30, 60, 24] and read.candidates[0] == {"text": "7ABC123", "confidence": 0.93}
    assert read.engine == "FakeReader" and read.plate_key == "7ABC123"
    with Image.open(evidence_root / read.crop_path) as crop:
        assert crop.width > 60 and crop.height > 24
    assert read.sighting.zone == zone and read.sighting.seen_at == capture.taken_at
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_reads_outside_every_zone_are_counted_but_not_kept(zone):
    capture = accept(photo(TWO_PLATES, taken=NOV_20_EVENING, gps=OUT_OF_ZONE))
    run_jobs()
    capture.refresh_from_db()
    assert capture.reads_outside_zones == 2
    assert PlateRead.objects.count() == 0 and not PlateRead.objects.filter(text="7ABC123").exists()


def test_reads_outside_the_zone_hours_are_not_kept():
    factories.zone(active_hours={"fri": [["20:00", "04:00"]]})
    friday_night = accept(photo(TWO_PLATES[:1], taken=datetime(2026, 11, 20, 23, 0), gps=IN_ZONE))
    friday_noon = accept(photo(TWO_PLATES[1:], taken=datetime(2026, 11, 20, 12, 0), gps=IN_ZONE))
    run_jobs()
    assert list(Sighting.objects.values_list("plate_read__text", flat=True)) == ["7ABC123"]
    friday_noon.refresh_from_db()
    assert friday_noon.reads_outside_zones == 1 and friday_night.plate_reads.count() == 1


def test_a_video_pass_is_one_read_at_its_best_frame(zone, tmp_path):
    path = video(tmp_path / "clip.avi", bright_frames=range(4, 9), fps=10)
    capture = accept(str(path), taken_at=datetime(2026, 11, 21, 6, 0, tzinfo=timezone.utc), latitude=IN_ZONE[0], longitude=IN_ZONE[1])
    run_jobs()
    read = PlateRead.objects.get(capture=capture)
    assert read.text == "7WCH001" and read.frame_time_s == pytest.approx(0.6)
    assert (read.sighting.seen_at - capture.taken_at).total_seconds() == pytest.approx(0.6)


def test_running_the_job_twice_reads_once(zone):
    capture = accept(photo(TWO_PLATES, taken=NOV_20_EVENING, gps=IN_ZONE))
    run_jobs()
    first = list(PlateRead.objects.values_list("pk", flat=True))
    assert reading.read_capture(capture.pk) == {"capture": capture.pk, "skipped": "already read"}
    assert list(PlateRead.objects.values_list("pk", flat=True)) == first


def test_a_half_done_reading_is_redone_whole(zone):
    capture = accept(photo(TWO_PLATES, taken=NOV_20_EVENING, gps=IN_ZONE))
    PlateRead.objects.create(capture=capture, text="LEFTOVR", confidence=0.5, box=[0, 0, 1, 1])
    Capture.objects.filter(pk=capture.pk).update(status=Capture.Status.READING)
    reading.read_capture(capture.pk)
    assert sorted(capture.plate_reads.values_list("text", flat=True)) == ["7ABC123", "8XYZ999"]


def test_a_public_submission_has_reads_but_no_sightings_until_verified(zone):
    capture = intake.accept(photo(TWO_PLATES, taken=NOV_20_EVENING, gps=IN_ZONE), source_kind=SourceKind.PUBLIC).capture
    run_jobs()
    assert capture.plate_reads.count() == 2 and Sighting.objects.count() == 0
    capture.refresh_from_db()
    assert not capture.usable_as_evidence
    assert reading.verify(capture, make_user("Reviewer")) == 2
    assert Sighting.objects.count() == 2 and capture.usable_as_evidence


def test_a_file_changed_in_the_store_is_flagged_and_never_read(zone, evidence_root):
    capture = accept(photo(TWO_PLATES, taken=NOV_20_EVENING, gps=IN_ZONE))
    path = evidence_root / capture.stored_path
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"tampered")
    run_jobs()
    capture.refresh_from_db()
    assert capture.integrity_failed_at is not None and capture.status == Capture.Status.FAILED
    assert "no longer matches" in capture.status_detail and not capture.usable_as_evidence
    assert PlateRead.objects.count() == 0


def test_a_broken_engine_fails_the_job_and_leaves_the_capture_waiting(zone, settings):
    from dearjohn.evidence.reading import _reader

    settings.DEARJOHN = {**settings.DEARJOHN, "PLATE_READER": "tests.evidence.fakes.BrokenReader"}
    _reader.cache_clear()
    capture = accept(photo(TWO_PLATES, taken=NOV_20_EVENING, gps=IN_ZONE))
    run_jobs()
    capture.refresh_from_db()
    assert capture.status == Capture.Status.RECEIVED and "plate_rec.onnx is missing" in capture.status_detail
    assert DBTaskResult.objects.get().status == "FAILED"


def test_the_job_says_where_its_time_went(zone):
    capture = accept(photo(TWO_PLATES, taken=NOV_20_EVENING, gps=IN_ZONE))
    summary = reading.read_capture(capture.pk)
    assert summary["reads"] == 2 and set(summary["seconds"]) == {"database", "hash_check", "plate_engine", "crops"}


def test_reads_below_the_minimum_confidence_are_counted_not_kept(zone):
    capture = accept(photo([("7ABC123", (20, 30, 60, 24)), ("CALIF0RNIA", (20, 5, 90, 12), 0.09)], taken=NOV_20_EVENING, gps=IN_ZONE))
    run_jobs()
    capture.refresh_from_db()
    assert list(capture.plate_reads.values_list("text", flat=True)) == ["7ABC123"]
    assert (capture.reads_too_unsure, capture.reads_outside_zones) == (1, 0)
