"""`dearjohn worker`: a worker killed in the middle of a job; the job runs again and finishes once.

This runs the real command line in separate processes against a database
file of its own (the test database lives in this process's memory).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.evidence.conftest import FAKE_READER, IN_ZONE, NOV_20_EVENING, photo

ROOT = Path(__file__).resolve().parents[2]
DEARJOHN = str(Path(sys.executable).with_name("dearjohn"))

SETUP = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from dearjohn.evidence import intake
from dearjohn.evidence.models import SourceKind
from tests import factories
factories.zone()
intake.accept(open({path!r}, "rb"), source_kind=SourceKind.OFFICER, filename="car.jpg")
"""


def _env(data_dir, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEARJOHN_")}
    env.update(DEARJOHN_DATA_DIR=str(data_dir), DEARJOHN_PLATE_READER=FAKE_READER, DJANGO_SETTINGS_MODULE="dearjohn.site.settings",
               PYTHONPATH=str(ROOT), **extra)
    return env


READING_JOB = "task_path like 'dearjohn.evidence.%'"


def _query(db, sql):
    with sqlite3.connect(db, timeout=20) as conn:
        return conn.execute(sql).fetchall()


def _wait_for(db, sql, expected, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _query(db, sql) == expected:
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{sql} never gave {expected}; last {_query(db, sql)}")


@pytest.mark.skipif(not Path(DEARJOHN).exists(), reason="the dearjohn command is not installed in this environment")
def test_a_killed_worker_job_is_run_again_and_finishes_exactly_once(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "dearjohn.sqlite3"
    env = _env(data)
    image = tmp_path / "car.jpg"
    image.write_bytes(photo([("7ABC123", (10, 10, 60, 20)), ("8XYZ999", (100, 100, 60, 20))], taken=NOV_20_EVENING, gps=IN_ZONE))
    subprocess.run([DEARJOHN, "shell", "-v0", "-c", SETUP.format(path=str(image))], env=env, check=True, cwd=ROOT)

    slow = subprocess.Popen([DEARJOHN, "worker", "-v0"], env=_env(data, DEARJOHN_TEST_READ_DELAY="60"), cwd=ROOT)
    try:
        _wait_for(db, "select status from evidence_capture", [("reading",)])
        assert _query(db, f"select status from django_tasks_database_dbtaskresult where {READING_JOB}") == [("RUNNING",)]
        # A long-running worker also puts the daily retention purge and, on a new installation, the first
        # insights refresh on the queue.
        assert sorted(_query(db, f"select task_path, status from django_tasks_database_dbtaskresult where not {READING_JOB}")) == [
            ("dearjohn.insights.tasks.refresh_figures", "READY"), ("dearjohn.oversight.tasks.daily_purge", "READY")]
    finally:
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait()

    done = subprocess.run([DEARJOHN, "worker", "--burst", "-v1"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Put back 1 job(s) left running by a worker that stopped." in done.stderr
    assert _query(db, "select status, reads_outside_zones from evidence_capture") == [("read", 0)]
    assert sorted(_query(db, "select text from evidence_plateread")) == [("7ABC123",), ("8XYZ999",)]
    assert _query(db, "select count(*) from evidence_sighting") == [(2,)]
    jobs = _query(db, f"select status, worker_ids from django_tasks_database_dbtaskresult where {READING_JOB}")
    assert len(jobs) == 1 and jobs[0][0] == "SUCCESSFUL" and jobs[0][1].count(":") == 4  # claimed twice

    again = subprocess.run([DEARJOHN, "worker", "--burst", "-v0"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "Put back" not in again.stderr
    assert _query(db, "select count(*) from evidence_plateread") == [(2,)]
