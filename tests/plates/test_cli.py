"""`dearjohn read` command line: JSON shape, table, errors and exit codes."""

import json
import os
import signal
import subprocess
import sys

import cv2
import numpy as np

from dearjohn.plates import plate_key
from dearjohn.plates.cli import main

from .conftest import render_scene


def _lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_json_output_has_the_documented_shape(tmp_path, capsys):
    path = tmp_path / "car.png"
    render_scene([("ABC1234", (500, 400), 200)]).save(path)
    assert main(["--json", "--top", "3", str(path)]) == 0
    (obj,) = _lines(capsys)
    assert set(obj) == {"source", "plates", "ms"}
    assert obj["source"] == str(path)
    plate = obj["plates"][0]
    assert set(plate) == {"text", "confidence", "box", "state", "candidates"}
    assert plate_key(plate["text"]) == "ABC1234"
    assert len(plate["box"]) == 4 and all(isinstance(v, int) for v in plate["box"])
    assert 1 <= len(plate["candidates"]) <= 3
    assert set(plate["candidates"][0]) == {"text", "confidence"}
    assert isinstance(obj["ms"], float)


def test_quick_passes_read_a_plate_too(tmp_path, capsys):
    path = tmp_path / "car.png"
    render_scene([("ABC1234", (500, 400), 200)]).save(path)
    assert main(["--json", "--passes", "quick", str(path)]) == 0
    (obj,) = _lines(capsys)
    assert plate_key(obj["plates"][0]["text"]) == "ABC1234"


def test_an_unreadable_input_is_reported_and_the_run_continues(tmp_path, capsys):
    bad = tmp_path / "bad.jpg"
    bad.write_text("not an image")
    good = tmp_path / "good.png"
    render_scene([], seed=2, size=(320, 240)).save(good)
    assert main(["--json", str(bad), str(good)]) == 1
    first, second = _lines(capsys)
    assert first["source"] == str(bad) and "error" in first and first["error"]
    assert second["source"] == str(good) and "plates" in second


def test_video_reads_carry_first_and_last_seconds(tmp_path, capsys):
    path = tmp_path / "clip.avi"
    frame = np.asarray(render_scene([("GTR5518", (300, 250), 180)], size=(960, 540)))[:, :, ::-1].copy()
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (960, 540))
    for _ in range(10):
        writer.write(frame)
    writer.release()
    assert main(["--json", str(path)]) == 0
    (obj,) = _lines(capsys)
    plate = obj["plates"][0]
    assert {"first_s", "last_s"} <= set(plate)
    assert plate_key(plate["text"]) == "GTR5518"


def test_table_output_is_readable(tmp_path, capsys):
    path = tmp_path / "car.jpg"
    render_scene([("ABC1234", (500, 400), 200)]).save(path)
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "ABC1234" in out.replace("O", "0") and "conf" in out


def test_python_dash_m_runs_the_cli(tmp_path):
    bad = tmp_path / "empty.jpg"
    bad.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "dearjohn.plates", "--json", str(bad)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "empty" in json.loads(run.stdout)["error"]


def test_a_reader_that_stops_listening_ends_the_run_quietly(tmp_path):
    """`dearjohn read --json *.jpg | head -1`: no traceback when head has what it wants."""
    paths = []
    for i in range(3):
        path = tmp_path / f"car{i}.png"
        render_scene([("ABC1234", (500, 400), 200)], seed=i).save(path)
        paths.append(str(path))
    proc = subprocess.Popen([sys.executable, "-m", "dearjohn.plates", "--json", *paths],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # as head does after its first line
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert json.loads(first)["source"] == paths[0]
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_a_folder_stands_for_its_photos_and_videos_in_name_order(tmp_path, capsys):
    render_scene([("ABC1234", (500, 400), 200)]).save(tmp_path / "b.png")
    render_scene([("XYZ7788", (500, 400), 200)]).save(tmp_path / "a.JPG")
    (tmp_path / "a.txt").write_text("a.JPG\t500\t400\t200\t100\tXYZ7788\n")  # a data set's label file
    (tmp_path / "nested").mkdir()
    render_scene([("QRS5500", (500, 400), 200)]).save(tmp_path / "nested" / "c.png")
    assert main(["--json", str(tmp_path)]) == 0
    objs = _lines(capsys)
    assert [o["source"] for o in objs] == [str(tmp_path / "a.JPG"), str(tmp_path / "b.png")]
    assert [plate_key(o["plates"][0]["text"]) for o in objs] == ["XYZ7788", "ABC1234"]


def test_a_folder_without_photos_is_an_error_and_the_run_goes_on(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("nothing here")
    photo = tmp_path / "car.png"
    render_scene([("ABC1234", (500, 400), 200)]).save(photo)
    assert main(["--json", str(empty), str(photo)]) == 1
    error, read = _lines(capsys)
    assert error == {"source": str(empty), "error": f"no photos or videos in this folder: {empty}"}
    assert read["source"] == str(photo) and read["plates"]


def test_a_folder_that_cannot_be_listed_is_an_error_not_a_crash(tmp_path, capsys, monkeypatch):
    from pathlib import Path

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    assert main(["--json", str(tmp_path)]) == 1
    (error,) = _lines(capsys)
    assert error == {"source": str(tmp_path), "error": f"cannot list this folder (Permission denied): {tmp_path}"}


def test_an_avif_photo_is_read_as_a_photo_by_name_or_by_content(tmp_path, capsys):
    folder = tmp_path / "phone"
    folder.mkdir()
    render_scene([("ABC1234", (500, 400), 200)]).save(folder / "car.avif", "AVIF", quality=90)
    render_scene([("XYZ7788", (500, 400), 200)]).save(tmp_path / "upload-0001", "AVIF", quality=90)  # no extension
    assert main(["--json", str(folder), str(tmp_path / "upload-0001")]) == 0
    objs = _lines(capsys)
    assert [plate_key(o["plates"][0]["text"]) for o in objs] == ["ABC1234", "XYZ7788"]
    assert all("first_s" not in o["plates"][0] for o in objs)


def test_several_jobs_give_the_same_lines_in_the_inputs_order(tmp_path, capsys):
    paths = []
    for n, text in enumerate(["ABC1234", None, "7XYZ321"]):
        path = tmp_path / f"{n}.png"
        if text:
            render_scene([(text, (500, 400), 200)], seed=n).save(path)
        else:
            path.write_text("not an image")
        paths.append(str(path))
    assert main(["--json", *paths]) == 1
    alone = _lines(capsys)
    assert main(["--json", "--jobs", "2", *paths]) == 1
    together = _lines(capsys)
    for line in alone + together:
        line.pop("ms", None)
    assert together == alone
    assert [line["source"] for line in together] == paths and "error" in together[1]


def test_a_watched_run_shows_its_progress_on_stderr(tmp_path, capsys, monkeypatch):
    bad, good = tmp_path / "a.jpg", tmp_path / "b.png"
    bad.write_text("not an image")
    render_scene([], seed=2, size=(320, 240)).save(good)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # output to a file, a person at the terminal
    assert main(["--json", str(bad), str(good)]) == 1
    captured = capsys.readouterr()
    assert "2/2 read, 1 could not be read" in captured.err and captured.err.endswith("\n")
    assert [json.loads(line)["source"] for line in captured.out.splitlines()] == [str(bad), str(good)]


def test_an_unwatched_run_prints_no_progress(tmp_path, capsys):
    good = tmp_path / "b.png"
    render_scene([], seed=2, size=(320, 240)).save(good)
    assert main(["--json", str(good)]) == 0
    assert capsys.readouterr().err == ""


def test_ctrl_c_ends_the_run_with_the_lines_so_far_and_no_traceback(tmp_path):
    for n in range(40):
        render_scene([("ABC1234", (500, 400), 200)], seed=n).save(tmp_path / f"{n:02}.png")
    run = subprocess.Popen([sys.executable, "-m", "dearjohn.plates", "--json", "--jobs", "2", str(tmp_path)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    first = run.stdout.readline()
    os.killpg(run.pid, signal.SIGINT)  # as a terminal does: to the command and its worker processes
    out, err = run.communicate(timeout=60)
    assert run.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert json.loads(first)["source"].endswith("00.png")
