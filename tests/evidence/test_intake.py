"""The one way in: `intake.accept()` checks, stores once, records every arrival, queues reading."""

import io
import os
import zlib
import struct
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from dearjohn.evidence import intake, store
from dearjohn.evidence.errors import EvidenceError
from dearjohn.evidence.models import Capture, Receipt, SourceKind
from dearjohn.oversight.models import AuditEvent
from tests.conftest import make_user
from tests.evidence.conftest import IN_ZONE, NOV_20_EVENING, photo, video

pytestmark = pytest.mark.django_db


def accept_public(data, **kw):
    return intake.accept(data, source_kind=SourceKind.PUBLIC, filename=kw.pop("filename", "x.jpg"), **kw)


def test_it_stores_the_original_untouched_under_its_sha256(evidence_root):
    data = photo([("7ABC123", (10, 10, 50, 20))], taken=NOV_20_EVENING)
    capture = accept_public(data).capture
    path = evidence_root / capture.stored_path
    assert path.read_bytes() == data
    assert capture.sha256 == store.file_sha256(path) and path.name == capture.sha256
    assert not os.access(path, os.W_OK) or os.geteuid() == 0
    assert (path.stat().st_mode & 0o222) == 0
    assert capture.media_kind == "image" and capture.content_type == "image/jpeg" and capture.size_bytes == len(data)
    assert (capture.width, capture.height) == (320, 240)


def test_the_same_bytes_twice_make_one_capture_and_two_receipts():
    data = photo(taken=NOV_20_EVENING)
    first = accept_public(data, filename="a.jpg")
    officer = make_user("Officer")
    second = intake.accept(data, source_kind=SourceKind.OFFICER, filename="b.jpg", sender=officer)
    assert first.created and second.duplicate
    assert Capture.objects.count() == 1
    assert list(Receipt.objects.values_list("original_filename", "sender__username")) == [("a.jpg", None), ("b.jpg", "officer")]
    assert AuditEvent.objects.filter(action="capture.received").count() == 2


def test_it_queues_one_reading_job_per_new_capture():
    from django_tasks_db.models import DBTaskResult

    data = photo(taken=NOV_20_EVENING)
    capture = accept_public(data).capture
    accept_public(data)
    assert DBTaskResult.objects.count() == 1
    assert str(DBTaskResult.objects.get().id) == capture.read_job_id


def test_exif_time_and_place_win_and_say_so():
    data = photo(taken=datetime(2026, 11, 20, 22, 15), gps=IN_ZONE)
    capture = accept_public(data, taken_at=datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc), latitude=1.0, longitude=2.0).capture
    assert capture.taken_at == datetime(2026, 11, 21, 6, 15, tzinfo=timezone.utc)  # 22:15 Pacific
    assert capture.taken_at_source == Capture.TimeSource.EXIF
    assert (capture.latitude, capture.longitude, capture.location_source) == (*IN_ZONE, Capture.TimeSource.EXIF)


def test_exif_offset_is_honoured():
    capture = accept_public(photo(taken=datetime(2026, 11, 20, 22, 15), offset="-05:00")).capture
    assert capture.taken_at == datetime(2026, 11, 21, 3, 15, tzinfo=timezone.utc)


def test_without_exif_time_the_entered_time_is_used_and_labelled():
    when = datetime(2026, 11, 20, 22, 0, tzinfo=timezone.utc)
    capture = accept_public(photo(), taken_at=when).capture
    assert (capture.taken_at, capture.taken_at_source) == (when, Capture.TimeSource.ENTERED)


def test_without_any_time_a_person_is_asked_for_it():
    with pytest.raises(EvidenceError, match="has no time in it; enter when it was taken"):
        accept_public(photo(), require_time=True)
    assert Capture.objects.count() == 0
    assert AuditEvent.objects.get(action="capture.rejected").detail["reason"].startswith("This photo has no time")


def test_a_camera_without_time_uses_the_time_received_and_its_own_place(camera):
    capture = intake.accept(photo(), source_kind=SourceKind.CAMERA, camera=camera).capture
    assert capture.taken_at_source == Capture.TimeSource.RECEIVED
    assert abs(capture.taken_at - capture.received_at) < timedelta(seconds=5)
    assert (capture.latitude, capture.longitude, capture.location_source) == (camera.latitude, camera.longitude, "camera")
    camera.refresh_from_db()
    assert camera.last_seen_at is not None


def test_a_time_in_the_future_is_refused():
    with pytest.raises(EvidenceError, match="in the future"):
        accept_public(photo(), taken_at=datetime.now(timezone.utc) + timedelta(days=2))


def test_a_video_is_accepted_with_its_size_and_duration(tmp_path):
    path = video(tmp_path / "clip.avi")
    capture = accept_public(str(path), taken_at=datetime(2026, 11, 20, 22, 0, tzinfo=timezone.utc)).capture
    assert capture.media_kind == "video" and capture.content_type == "video/x-msvideo"
    assert (capture.width, capture.height) == (160, 120) and capture.duration_s == pytest.approx(1.5)


def _png_claiming(width, height):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


BAD_FILES = {
    "zero-byte": (b"", "empty (0 bytes)"),
    "wrong type (a PDF named .jpg)": (b"%PDF-1.7\n1 0 obj << >> endobj\n", "not a photo or video the program accepts"),
    "truncated": (None, "incomplete"),
    "corrupt": (b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50, "damaged"),
    "decompression bomb": (_png_claiming(40000, 40000), "decompression bomb"),
    "corrupt video": (b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 200, "cannot be played"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_files_are_refused_with_a_reason_and_recorded(kind, evidence_root):
    data, reason = BAD_FILES[kind]
    if data is None:
        whole = photo(size=(800, 600), color=(10, 200, 30))
        data = whole[: len(whole) // 2]
    with pytest.raises(EvidenceError) as refused:
        accept_public(data, filename="evil.jpg")
    assert reason in str(refused.value)
    assert Capture.objects.count() == 0
    event = AuditEvent.objects.get(action="capture.rejected")
    assert event.detail["filename"] == "evil.jpg" and reason in event.detail["reason"]
    assert not list((evidence_root / "incoming").iterdir())


def test_over_size_files_are_refused_by_the_configured_limit(settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "INTAKE": {**settings.DEARJOHN["INTAKE"], "MAX_IMAGE_BYTES": 1000}}
    with pytest.raises(EvidenceError, match="larger than the 0 MB limit for photos"):  # 1000 bytes, in MB
        accept_public(photo(size=(640, 480)))


def test_a_file_object_streams_in_chunks_without_being_read_whole():
    data = photo(taken=NOV_20_EVENING)
    reads = []

    class Recording(io.BytesIO):
        def read(self, size=-1):
            reads.append(size)
            return super().read(size)

    accept_public(Recording(data))
    assert reads and all(0 < size <= store.CHUNK for size in reads)


def test_a_photo_is_recognised_by_content_not_by_name():
    buf = io.BytesIO()
    Image.new("RGB", (50, 40), (1, 2, 3)).save(buf, "PNG")
    capture = accept_public(buf.getvalue(), filename="holiday.mp4", taken_at=datetime(2026, 11, 20, tzinfo=timezone.utc)).capture
    assert (capture.media_kind, capture.content_type) == ("image", "image/png")


def test_a_phone_heic_photo_is_accepted():
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 20, 30)).save(buf, "HEIF")
    capture = accept_public(buf.getvalue(), filename="IMG_0001.HEIC", taken_at=datetime(2026, 11, 20, tzinfo=timezone.utc)).capture
    assert (capture.media_kind, capture.content_type, capture.width) == ("image", "image/heic", 64)


def test_an_avif_photo_is_a_photo_not_a_video():
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 20, 30)).save(buf, "AVIF")
    capture = accept_public(buf.getvalue(), filename="PXL_0001.avif", taken_at=datetime(2026, 11, 20, tzinfo=timezone.utc)).capture
    assert (capture.media_kind, capture.content_type, capture.width) == ("image", "image/avif", 64)


def test_a_truncated_photo_is_refused_even_when_another_library_relaxed_pillow(monkeypatch):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does
    whole = photo(size=(800, 600), color=(10, 200, 30))
    with pytest.raises(EvidenceError, match="incomplete"):
        accept_public(whole[: len(whole) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
