"""`dearjohn import`: folders of camera exports, two processes, resumable, with a summary."""

import os
from datetime import datetime, timezone

import pytest
from django.core.management import CommandError, call_command

from dearjohn.evidence.models import Capture, Receipt
from dearjohn.oversight.models import AuditEvent
from tests.evidence.conftest import NOV_20_EVENING, photo, video

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "export"
    (folder / "day1").mkdir(parents=True)
    for i in range(4):
        (folder / "day1" / f"img{i}.jpg").write_bytes(photo([(f"7ABC12{i}", (10, 10, 60, 20))], taken=NOV_20_EVENING))
    no_time = folder / "day1" / "no-exif.jpg"
    no_time.write_bytes(photo(color=(200, 10, 10)))
    stamp = datetime(2026, 11, 20, 23, 0, tzinfo=timezone.utc).timestamp()
    os.utime(no_time, (stamp, stamp))
    video(folder / "day1" / "clip.avi")
    (folder / "day1" / "copy-of-img0.jpg").write_bytes((folder / "day1" / "img0.jpg").read_bytes())
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x01" * 300)
    (folder / "readme.txt").write_text("camera export notes")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / ".hidden.jpg").write_bytes(photo(color=(0, 0, 1)))
    return folder


def run(capsys, *args):
    call_command("import", *args)
    return capsys.readouterr().out


def test_it_imports_a_folder_with_a_summary_of_reasons(camera, export, capsys):
    out = run(capsys, str(export), "--camera", camera.name)
    assert "Imported 6, duplicates 1 (0 already in before this run), rejected 3." in out
    assert "broken.jpg: This photo cannot be opened" in out
    assert "readme.txt: This file is not a photo or video" in out and "empty.jpg: This file is empty" in out
    assert Capture.objects.count() == 6 and Receipt.objects.count() == 7
    assert set(Capture.objects.values_list("camera__name", flat=True)) == {camera.name}
    assert AuditEvent.objects.filter(action="capture.rejected").count() == 3


def test_a_photo_without_exif_takes_the_cameras_clock_and_says_so(camera, export, capsys):
    out = run(capsys, str(export), "--camera", camera.name)
    assert "2 file(s) had no time in them; the camera's clock (file time) was used." in out  # the photo and the video
    no_exif = Receipt.objects.get(original_filename="no-exif.jpg").capture
    assert (no_exif.taken_at, no_exif.taken_at_source) == (datetime(2026, 11, 20, 23, 0, tzinfo=timezone.utc), "camera")
    assert Receipt.objects.get(original_filename="img1.jpg").capture.taken_at_source == "exif"


def test_running_it_again_skips_what_is_in(camera, export, capsys):
    run(capsys, str(export), "--camera", camera.name)
    out = run(capsys, str(export), "--camera", camera.name)
    assert "Imported 0, duplicates 7 (7 already in before this run), rejected 3." in out
    assert Receipt.objects.count() == 7


def test_each_new_capture_gets_one_reading_job(camera, export, capsys):
    from django_tasks_db.models import DBTaskResult

    run(capsys, str(export), "--camera", camera.name, "--processes", "1")
    assert DBTaskResult.objects.count() == Capture.objects.count() == 6


def test_an_unknown_camera_is_named(export, camera):
    with pytest.raises(CommandError, match="No camera named 'Nope'; cameras: Test cam."):
        call_command("import", str(export), "--camera", "Nope")
