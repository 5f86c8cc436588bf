"""`dearjohn worker`: a worker killed in the middle of a job; the job runs again and finishes once.

This runs the real command line in separate processes against a database
file of its own (the test database lives in this process's memory).
"""

import json
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
for path in {paths!r}:
    intake.accept(open(path, "rb"), source_kind=SourceKind.OFFICER, filename=path.rsplit("/", 1)[-1])
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
    subprocess.run([DEARJOHN, "shell", "-v0", "-c", SETUP.format(paths=[str(image)])], env=env, check=True, cwd=ROOT)

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


class Database:
    """A database of the test's own for worker processes: a SQLite file, or a fresh PostgreSQL database."""

    def __init__(self, tmp_path):
        url = os.environ.get("DEARJOHN_DATABASE_URL", "")
        self.postgres = url.startswith("postgres")
        if self.postgres:
            import psycopg

            self.name = f"dearjohn_workers_{os.getpid()}"
            self.server = url.rsplit("/", 1)[0]
            with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name}")
                conn.execute(f"CREATE DATABASE {self.name}")
            self.url = f"{self.server}/{self.name}"
        else:
            self.file = tmp_path / "data" / "dearjohn.sqlite3"

    def env(self, data_dir, **extra):
        return _env(data_dir, **({"DEARJOHN_DATABASE_URL": self.url} if self.postgres else {}), **extra)

    def query(self, sql):
        if not self.postgres:
            return _query(self.file, sql)
        import psycopg

        with psycopg.connect(self.url) as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]

    def drop(self):
        if self.postgres:
            import psycopg

            with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


@pytest.mark.skipif(not Path(DEARJOHN).exists(), reason="the dearjohn command is not installed in this environment")
def test_two_workers_share_the_queue_and_run_every_job_once(tmp_path):
    """Run on SQLite always, and on PostgreSQL when the suite runs against it (.ci/run)."""
    data = tmp_path / "data"
    data.mkdir()
    database = Database(tmp_path)
    try:
        paths = []
        for n in range(8):
            image = tmp_path / f"car{n}.jpg"
            image.write_bytes(photo([(f"7WRK{n:03d}", (10, 10, 60, 20))], taken=NOV_20_EVENING, gps=IN_ZONE))
            paths.append(str(image))
        subprocess.run([DEARJOHN, "shell", "-v0", "-c", SETUP.format(paths=paths)], env=database.env(data), check=True, cwd=ROOT)

        env = database.env(data, DEARJOHN_TEST_READ_DELAY="0.7")
        workers = [subprocess.Popen([DEARJOHN, "worker", "--burst", "-v0"], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
                   for _ in range(2)]
        for worker in workers:
            assert worker.wait(timeout=180) == 0, worker.stderr.read()

        jobs = database.query(f"select status, worker_ids from django_tasks_database_dbtaskresult where {READING_JOB}")
        assert len(jobs) == 8 and {status for status, _ in jobs} == {"SUCCESSFUL"}
        claims = [ids if isinstance(ids, list) else json.loads(ids) for _, ids in jobs]  # JSON text on SQLite
        assert all(len(c) == 1 for c in claims), claims  # no job was claimed twice
        assert len({c[0] for c in claims}) == 2, "both workers took jobs"
        assert sorted(database.query("select text from evidence_plateread")) == [(f"7WRK{n:03d}",) for n in range(8)]
        assert database.query("select status, count(*) from evidence_capture group by status") == [("read", 8)]
    finally:
        database.drop()
