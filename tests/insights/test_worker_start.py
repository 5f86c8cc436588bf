"""A long-running worker on a new installation computes the insights figures before anyone opens a page."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_new_installation_gets_its_figures_from_the_worker(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEARJOHN_", "DJANGO_"))}
    env.update(DEARJOHN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="dearjohn.site.settings", PYTHONPATH=str(ROOT),
               DEARJOHN_LOG_LEVEL="ERROR")
    subprocess.run([sys.executable, "-m", "dearjohn", "migrate", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    worker = subprocess.Popen([sys.executable, "-m", "dearjohn", "worker"], env=env, cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, keys = time.monotonic() + 120, set()
        while time.monotonic() < deadline and not {"totals", "map", "deterrence", "chart:weekly"} <= keys:
            time.sleep(0.5)
            with sqlite3.connect(tmp_path / "dearjohn.sqlite3", timeout=20) as conn:
                keys = {key for (key,) in conn.execute("select key from insights_figure")}
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    assert {"totals", "map", "deterrence", "chart:weekly"} <= keys
