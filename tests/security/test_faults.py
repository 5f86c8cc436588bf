"""Faults on the real processes: `dearjohn serve` killed in the middle of an upload, a print killed halfway, a full disk.

Each test runs the real command line (gunicorn, `dearjohn letters`) in its own data dir on
127.0.0.1. The worker killed in the middle of a job is tested by
tests/evidence/test_worker.py (the job runs again and finishes exactly once).
"""

import hashlib
import http.client
import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
DEARJOHN = [sys.executable, "-m", "dearjohn"]
CAMERA = ("import django; django.setup()\n"
          "from dearjohn.evidence.models import Camera\n"
          "c = Camera.objects.create(name='Fault camera', street='Test St', latitude=37.75, longitude=-122.41, facing='N')\n"
          "t = c.issue_token(); c.save(); print(c.pk, t)")


def env_for(data):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEARJOHN_", "DJANGO_"))}
    env.update(DEARJOHN_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="dearjohn.site.settings", PYTHONPATH=str(ROOT),
               DEARJOHN_LOG_LEVEL="ERROR")
    return env


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One migrated database with a camera, copied into each test's data dir (migrating takes a while)."""
    data = tmp_path_factory.mktemp("template")
    env = env_for(data)
    subprocess.run([*DEARJOHN, "migrate", "-v0"], env=env, check=True, cwd=ROOT, timeout=180)
    pk, token = subprocess.run([sys.executable, "-c", CAMERA], env=env, check=True, cwd=ROOT, capture_output=True,
                               text=True, timeout=60).stdout.split()
    return data, int(pk), token


def prepare(data, template):
    source, camera, token = template
    for name in ("dearjohn.sqlite3", "secret_key", "encryption_keys"):
        if (source / name).exists():
            shutil.copy2(source / name, data / name)
    return camera, token


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data, port):
    server = subprocess.Popen([*DEARJOHN, "serve", "--port", str(port), "--workers", "1"], env=env_for(data), cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise AssertionError("dearjohn serve did not start")


def stop(server, sig=signal.SIGTERM):
    try:
        os.killpg(server.pid, sig)
    except ProcessLookupError:
        pass
    server.wait(timeout=30)


def noisy_png(side, seed):
    image = Image.frombytes("RGB", (side, side), hashlib.shake_256(f"{seed}".encode()).digest(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def upload_body(image):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cam.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def push(port, camera, token, image):
    body, ctype = upload_body(image)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", f"/api/cameras/{camera}/captures", body=body,
                 headers={"Authorization": f"Bearer {token}", "Content-Type": ctype})
    response = conn.getresponse()
    return response.status, response.read()


def rows(data, sql):
    with sqlite3.connect(data / "dearjohn.sqlite3", timeout=20) as conn:
        return conn.execute(sql).fetchall()


def stored_files(data):
    return [p for p in (data / "evidence").rglob("*") if p.is_file() and "incoming" not in p.parts]


def test_a_server_killed_mid_upload_keeps_nothing_half_and_the_retry_is_stored_once(tmp_path, template):
    camera, token = prepare(tmp_path, template)
    port = free_port()
    image = noisy_png(900, "killed")  # about 2.4 MB
    body, ctype = upload_body(image)
    server = start(tmp_path, port)
    try:
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall((f"POST /api/cameras/{camera}/captures HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      f"Authorization: Bearer {token}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode())
        sock.sendall(body[: len(body) // 2])
        time.sleep(1.0)  # the worker is now reading the upload
    finally:
        stop(server, signal.SIGKILL)
        sock.close()
    assert rows(tmp_path, "select count(*) from evidence_capture") == [(0,)]
    assert stored_files(tmp_path) == []

    server = start(tmp_path, port)
    try:
        first = push(port, camera, token, image)
        again = push(port, camera, token, image)  # the camera retries: it never saw an answer
    finally:
        stop(server)
    assert first[0] == 201 and again[0] == 200 and json.loads(again[1])["duplicate"] is True
    assert rows(tmp_path, "select count(*), sha256 from evidence_capture") == [(1, hashlib.sha256(image).hexdigest())]
    assert rows(tmp_path, "select count(*) from evidence_receipt") == [(2,)]
    assert len(stored_files(tmp_path)) == 1


@pytest.fixture
def small_disk(tmp_path):
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(evidence)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.decode().strip() or 'not root'})")
    try:
        yield tmp_path
    finally:
        subprocess.run(["umount", "-l", str(evidence)], check=False)


def test_a_full_disk_refuses_new_captures_cleanly_and_keeps_serving(small_disk, template):
    data = small_disk
    camera, token = prepare(data, template)
    port = free_port()
    server = start(data, port)
    try:
        answers = [push(port, camera, token, noisy_png(500, n)) for n in range(8)]  # about 750 kB each into 4 MB
        statuses = [status for status, _ in answers]
        health = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        health.request("GET", "/healthz")
        healthy = health.getresponse().status
        public = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        public.request("GET", "/submit/")
        public_status = public.getresponse().status
    finally:
        stop(server)
    refused = [(status, body) for status, body in answers if status >= 400]
    assert statuses.count(201) >= 1 and refused, statuses
    for status, body in refused:
        assert status == 507 and json.loads(body) == {"error": "Storage full; nothing was kept. Try again later."}
    assert healthy == 200 and public_status == 200
    assert rows(data, "select count(*) from evidence_capture") == [(statuses.count(201),)]
    for path in stored_files(data):  # nothing half-written in the store
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name.split(".")[0]


PRINT_THEN_HANG = """
import os, time, django
django.setup()
from tests import factories
from dearjohn.letters import printing, render

for n in range(3):
    factories.approved_letter(plate=f"7KIL{n:03d}", zip_code=f"9411{n}")

def hang(*args, **kwargs):  # the letters are claimed; the process dies while laying them out
    open(os.environ["RENDERING"], "w").close()
    time.sleep(600)

render.render_pdf = hang
printing.print_batch("night-run")
"""


def test_a_print_killed_halfway_is_finished_by_printing_again_and_prints_nothing_twice(tmp_path, template):
    prepare(tmp_path, template)
    env = {**env_for(tmp_path), "RENDERING": str(tmp_path / "rendering")}
    printer = subprocess.Popen([sys.executable, "-c", PRINT_THEN_HANG], env=env, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "rendering").exists():
            assert printer.poll() is None and time.monotonic() < deadline, "the print did not start"
            time.sleep(0.1)
    finally:
        stop(printer, signal.SIGKILL)
    assert rows(tmp_path, "select status, count(*) from letters_letter group by status") == [("printed", 3)]
    assert rows(tmp_path, "select name, pdf_sha256 from letters_printbatch") == [("night-run", "")]

    other = subprocess.run([*DEARJOHN, "letters", "print", "--batch", "morning", "--out", str(tmp_path / "m.pdf")],
                           env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert other.returncode != 0 and "No approved letters" in other.stderr  # nothing is printed twice

    again = subprocess.run([*DEARJOHN, "letters", "print", "--batch", "night-run", "--out", str(tmp_path / "n.pdf")],
                           env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    from pypdf import PdfReader

    assert len(PdfReader(tmp_path / "n.pdf").pages) == 3
    (sha,), = rows(tmp_path, "select pdf_sha256 from letters_printbatch where name = 'night-run'")
    assert sha == hashlib.sha256((tmp_path / "n.pdf").read_bytes()).hexdigest()
    assert rows(tmp_path, "select count(*) from letters_printbatch") == [(1,)]
