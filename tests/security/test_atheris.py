"""Coverage-guided fuzzing in CI: every atheris target for a bounded number of inputs, the same ones each run.

Longer runs: see fuzz/atheris_targets.py (e.g. `-max_total_time=3600`).
"""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris", reason="atheris is not installed (pip install -e '.[test]' installs it)")

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "fuzz" / "atheris_targets.py"
TARGETS = ["image", "plate_image", "camera_reads", "zone_boundary", "address", "reference"]
RUNS = 5000


def test_every_target_is_run_here():
    listed = subprocess.run([sys.executable, str(HARNESS), "--list"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert listed.returncode == 0 and [line.split()[0] for line in listed.stdout.splitlines()] == TARGETS


@pytest.mark.parametrize("target", TARGETS)
def test_the_parser_survives_the_fuzzer(target, tmp_path):
    # the fuzzer's log may quote raw input bytes (its recommended dictionary, a parser's message)
    run = subprocess.run([sys.executable, str(HARNESS), target, f"-runs={RUNS}", "-seed=1", f"-artifact_prefix={tmp_path}/"],
                         capture_output=True, text=True, encoding="utf-8", errors="backslashreplace", cwd=tmp_path, timeout=600)
    found = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert run.returncode == 0 and not found, run.stderr[-3000:]
    assert f"Done {RUNS} runs" in run.stderr
