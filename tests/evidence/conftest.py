"""Real files for intake tests: photos and videos rendered here, with the fake reader configured."""

import io
from datetime import datetime

import cv2
import numpy as np
import pytest
from PIL import Image

from tests import factories

FAKE_READER = "tests.evidence.fakes.FakeReader"


def photo(plates=(), *, taken=None, offset=None, gps=None, size=(320, 240), color=(90, 110, 130), fmt="JPEG"):
    """Bytes of a photo. `plates`: [(text, (x, y, w, h)[, confidence])]; `taken`: naive datetime for EXIF; `gps`: (lat, lon)."""
    image = Image.new("RGB", size, color)
    image.putpixel((0, 0), (len(plates), 0, 0))
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            exif.get_ifd(0x8769)[0x9011] = offset
    if gps is not None:
        lat, lon = gps
        exif.get_ifd(0x8825).update({1: "N" if lat >= 0 else "S", 2: _dms(abs(lat)), 3: "E" if lon >= 0 else "W", 4: _dms(abs(lon))})
    buf = io.BytesIO()
    extra = {"comment": "plates:" + ";".join(f"{p[0]}@{','.join(map(str, p[1]))}" + "".join(f"@{c}" for c in p[2:]) for p in plates)} if fmt == "JPEG" and plates else {}
    image.save(buf, fmt, exif=exif, **extra)
    return buf.getvalue()


def _dms(value):
    d = int(value)
    m = int((value - d) * 60)
    s = round((value - d - m / 60) * 3600, 4)
    return (float(d), float(m), s)


def video(path, bright_frames=range(5, 10), frames=15, fps=10, size=(160, 120)):
    """An MJPG AVI whose bright frames show the fake reader's plate."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    for i in range(frames):
        level = 250 if i in bright_frames else 40
        writer.write(np.full((size[1], size[0], 3), level, np.uint8))
    writer.release()
    return path


# Inside factories.SQUARE (the test zone, active around the clock).
IN_ZONE = (37.755, -122.415)
OUT_OF_ZONE = (37.70, -122.30)


@pytest.fixture(autouse=True)
def fake_reader(settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "PLATE_READER": FAKE_READER}
    from dearjohn.evidence import reading

    reading._reader.cache_clear()
    yield
    reading._reader.cache_clear()


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


@pytest.fixture
def zone(db):
    return factories.zone()


@pytest.fixture
def camera(db, zone):
    from dearjohn.evidence.models import Camera

    return Camera.objects.create(name="Test cam", latitude=IN_ZONE[0], longitude=IN_ZONE[1], zone=zone)


@pytest.fixture(autouse=True)
def keep_the_test_connection(worker_keeps_the_test_connection, monkeypatch):
    """The stream watcher, like the worker, keeps the test's connection in in-process runs."""
    from dearjohn.evidence import watch

    monkeypatch.setattr(watch, "close_old_connections", lambda: None)


def run_jobs():
    """Run every queued job now, as `dearjohn worker --burst` does."""
    from django.core.management import call_command

    call_command("worker", "--burst", verbosity=0)


NOV_20_EVENING = datetime(2026, 11, 20, 22, 15)
