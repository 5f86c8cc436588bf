"""`dearjohn watch`: a live MJPEG stream on loopback, dropped and reconnected, frames with a plate kept."""

import pytest
from django.core.management import CommandError, call_command

from dearjohn.evidence.models import Capture, Receipt
from tests.evidence.conftest import run_jobs
from tests.evidence.fakes import BRIGHT_PLATE
from tests.evidence.mjpeg import MJPEGCamera

pytestmark = pytest.mark.django_db


def test_it_keeps_frames_with_a_plate_and_reconnects_after_a_drop(camera, capsys):
    with MJPEGCamera(fps=10, cycle=20, bright=range(5, 10), frames_per_connection=25) as stream:
        call_command("watch", "--camera", camera.name, stream.url, "--every", "0.2", "--duration", "5",
                     "--report-every", "2")
    out = capsys.readouterr().out
    assert stream.connections >= 2
    capture = Capture.objects.get()  # one car pass, one capture: the same plate is not kept again within 10 s
    assert capture.camera == camera and capture.taken_at_source == "camera"
    assert capture.camera_reads == [{"text": BRIGHT_PLATE, "confidence": 0.93}]
    assert Receipt.objects.get().original_filename.startswith("stream-")
    camera.refresh_from_db()
    assert camera.last_seen_at is not None
    assert "fps received" in out and "1 kept" in out and "reconnects" in out
    run_jobs()
    assert capture.plate_reads.get().text == BRIGHT_PLATE


def test_an_unreachable_stream_is_retried_until_the_time_is_up(camera, capsys):
    call_command("watch", "--camera", camera.name, "http://127.0.0.1:9/none.mjpg", "--duration", "2", "--report-every", "1")
    out = capsys.readouterr().out
    assert "cannot connect, retrying" in out and not Capture.objects.exists()


def test_an_unknown_camera_is_named(camera):
    with pytest.raises(CommandError, match="No camera named 'Nope'"):
        call_command("watch", "--camera", "Nope", "http://127.0.0.1:9/")
