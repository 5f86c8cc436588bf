"""read_video: frame sampling, tracking a plate across frames, voting, bad videos."""

import cv2
import numpy as np
import pytest

from dearjohn.plates import PlateReadingError, plate_key

from .conftest import render_scene


def _write_video(path, frames, fps=10.0):
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened()
    for f in frames:
        writer.write(f)
    writer.release()


def _bgr(img):
    return np.asarray(img)[:, :, ::-1].copy()


def test_it_follows_one_plate_across_frames_and_votes(reader, tmp_path):
    # 2 s at 10 fps: empty road for 0.5 s, then a car whose plate moves right
    frames = [_bgr(render_scene([], size=(960, 540), seed=1))] * 5
    frames += [_bgr(render_scene([("GTR5518", (200 + 20 * i, 250), 180)], size=(960, 540), seed=1)) for i in range(15)]
    path = tmp_path / "pass.avi"
    _write_video(path, frames)
    passes = reader.read_video(path, fps=5)
    confident = [p for p in passes if p.confidence > 0.5]
    assert len(confident) == 1
    p = confident[0]
    assert plate_key(p.text) == "GTR5518"
    assert 0.4 <= p.first_s <= 0.8
    assert p.last_s > p.first_s
    assert p.first_s <= p.best_s <= p.last_s
    assert p.frames >= 2


def test_a_cameras_ticking_clock_is_not_a_vehicle_pass(reader, tmp_path):
    """Surveillance video carries its time in a corner; the plate recognizers read "13:17:04" as 131704."""
    from PIL import ImageDraw

    from .conftest import SMALL_FONT, _font

    frames = []
    for i in range(30):  # 3 s at 10 fps; the clock ticks every second
        scene = render_scene([("GTR5518", (200 + 10 * i, 300), 160)], size=(960, 540), seed=1)
        draw = ImageDraw.Draw(scene)
        draw.rectangle([0, 0, 330, 30], fill=(20, 20, 20))
        draw.text((6, 4), f"13:17:{4 + i // 10:02d}", font=_font(SMALL_FONT, 22), fill=(235, 235, 235))
        frames.append(_bgr(scene))
    path = tmp_path / "clock.avi"
    _write_video(path, frames)
    passes = reader.read_video(path)
    assert plate_key(max(passes, key=lambda p: p.confidence).text) == "GTR5518"
    assert [plate_key(p.text) for p in passes if p.confidence >= 0.2] == ["GTR5518"], "the intake keeps reads from 0.2"


def test_a_video_without_plates_gives_no_confident_pass(reader, tmp_path):
    path = tmp_path / "empty.avi"
    _write_video(path, [_bgr(render_scene([], size=(640, 360), seed=s)) for s in range(6)])
    assert all(p.confidence < 0.5 for p in reader.read_video(path))


def test_a_broken_video_is_a_clear_error(reader, tmp_path):
    path = tmp_path / "broken.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)
    with pytest.raises(PlateReadingError):
        reader.read_video(path)


def test_an_empty_video_file_is_a_clear_error(reader, tmp_path):
    path = tmp_path / "zero.mp4"
    path.write_bytes(b"")
    with pytest.raises(PlateReadingError, match="empty"):
        reader.read_video(path)


def test_video_frames_get_one_cheap_pass_and_no_survey(tmp_path):
    from dearjohn.plates import PlateReader

    from .test_interfaces import CountingRegion, Fixed

    frames = [_bgr(render_scene([("GTR5518", (300, 250), 180)], size=(960, 540), seed=1))] * 10
    path = tmp_path / "pass.avi"
    _write_video(path, frames)
    detector = CountingRegion()
    reader = PlateReader(detector=detector, recognizer=Fixed([("GTR5518", 0.3)]), passes="quick")
    reader.read_video(path, fps=5)
    assert detector.sides and set(detector.sides) == {reader.video_detection_sides[0]}


@pytest.mark.parametrize("states, named", [(["ca", "ca", "nv"], "ca"), (["ca", "nv"], None), (["ca", None, None], "ca"), ([None], None)])
def test_a_pass_names_the_state_most_of_its_frames_name_and_none_on_a_tie(states, named):
    """Two states named equally often leave the state unknown: it decides whose registry is searched."""
    from dearjohn.plates.results import Box, PlateRead
    from dearjohn.plates.video import _most_named_state, _Track

    track = _Track([(n, n / 5, PlateRead("7ABC123", 0.9, Box(0, 0, 10, 5), state=s)) for n, s in enumerate(states)])
    assert _most_named_state(track) == named
