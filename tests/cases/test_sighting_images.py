import hashlib
import io

import pytest
from django.urls import reverse
from PIL import Image

from dearjohn.oversight.models import AuditEvent
from tests import factories


def image_from(response):
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


@pytest.mark.django_db
def test_the_whole_image_has_the_plate_boxed_and_the_view_is_logged(client_for):
    s = factories.stored_sighting("7ABC123")
    image = image_from(client_for("Reviewer").get(reverse("cases:sighting_image", args=[s.pk]))).convert("RGB")
    x, y, w, h = s.plate_read.box
    assert image.size == (960, 540)
    r, g, b = image.getpixel((x + w // 2, y - 3))  # just outside the plate: the box's amber line
    assert r > 200 and 150 < g < 235 and b < 120
    event = AuditEvent.objects.get(action="evidence.image_viewed")
    assert event.username == "reviewer" and event.detail == {"kind": "whole"}


@pytest.mark.django_db
def test_the_crop_is_the_plate_enlarged(client_for):
    s = factories.stored_sighting("7ABC123")
    crop = image_from(client_for("Supervisor").get(reverse("cases:sighting_crop", args=[s.pk]))).convert("L")
    assert crop.width >= 560 and crop.width / crop.height > 2
    band = [crop.getpixel((x, crop.height // 2)) for x in range(crop.width)]
    assert sum(v > 200 for v in band) > crop.width * 0.2  # the white plate
    assert sum(v < 90 for v in band) > crop.width * 0.05  # its dark letters


@pytest.mark.django_db
def test_a_file_that_no_longer_matches_its_hash_is_not_shown(client_for, settings):
    s = factories.stored_sighting("7ABC123")
    path = settings.EVIDENCE_ROOT / s.plate_read.capture.stored_path
    path.write_bytes(path.read_bytes() + b"tampered")
    response = client_for("Reviewer").get(reverse("cases:sighting_image", args=[s.pk]))
    assert response.status_code == 409 and "no longer matches" in response.content.decode()
    s.plate_read.capture.refresh_from_db()
    assert s.plate_read.capture.integrity_failed_at is not None
    assert not AuditEvent.objects.filter(action="evidence.image_viewed").exists()


@pytest.mark.django_db
def test_a_missing_image_is_404(client_for):
    s = factories.sighting("7ABC123")
    assert client_for("Reviewer").get(reverse("cases:sighting_crop", args=[s.pk])).status_code in (404, 409)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["AVIF", "HEIF"])
def test_a_phone_photo_in_a_newer_format_is_shown_as_jpeg(client_for, settings, fmt):
    if fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    s = factories.stored_sighting("7ABC123")
    capture = s.plate_read.capture
    path = settings.EVIDENCE_ROOT / capture.stored_path
    buf = io.BytesIO()
    Image.open(path).save(buf, fmt, quality=90)
    path.write_bytes(buf.getvalue())
    capture.sha256 = hashlib.sha256(buf.getvalue()).hexdigest()
    capture.size_bytes = len(buf.getvalue())
    capture.save()
    client = client_for("Reviewer")
    assert image_from(client.get(reverse("cases:sighting_image", args=[s.pk]))).size == (960, 540)
    assert image_from(client.get(reverse("cases:sighting_crop", args=[s.pk]))).width >= 560
