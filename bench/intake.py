"""Intake bench: N rendered street photos imported, then read with one worker and with two.

    .venv/bin/python bench/intake.py [--count 1000] [--reader dotted.path.Reader] [--passes quick]

Works in a throw-away data dir (SQLite) with a zone and a camera of its own.
Prints the import time, photos per hour per worker with one and with two
workers, each worker's peak memory (max RSS), how often the read matched the
rendered plate, and where the workers' time went: the plate engine versus the
hash re-check, crop files and the database (from each job's own timings), plus
what was spent outside jobs (claiming and recording jobs).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEARJOHN = str(Path(sys.executable).with_name("dearjohn"))
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def plate_for(i):
    rng = random.Random(i)
    return f"{rng.randint(2, 9)}{''.join(rng.choices(LETTERS, k=3))}{rng.randint(0, 999):03d}"


def render(args):
    i, folder = args
    from dearjohn.evidence import synthetic

    text = plate_for(i)
    image = synthetic.street_scene(text, seed=i, night=i % 3 == 0)
    (Path(folder) / f"{i:05d}-{text}.jpg").write_bytes(synthetic.jpeg_bytes(image))


def run_workers(n, env):
    """Start n burst workers at once; returns (wall seconds, [peak RSS MB per worker], CPU seconds of all)."""
    start = time.perf_counter()
    procs = [subprocess.Popen([DEARJOHN, "worker", "--burst", "-v0"], env=env, cwd=ROOT) for _ in range(n)]
    peaks, cpu = [], 0.0
    for p in procs:
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode:
            raise SystemExit(f"a worker failed with exit code {p.returncode}")
        peaks.append(usage.ru_maxrss / 1024)
        cpu += usage.ru_utime + usage.ru_stime
    return time.perf_counter() - start, peaks, cpu


def summarise(label, n_workers, wall, peaks, cpu, count):
    from django_tasks_db.models import DBTaskResult

    from dearjohn.evidence.models import Capture, PlateRead

    split = {}
    for value in DBTaskResult.objects.filter(status="SUCCESSFUL").values_list("return_value", flat=True):
        for key, seconds in (value or {}).get("seconds", {}).items():
            split[key] = split.get(key, 0.0) + seconds
    in_jobs = sum(split.values())
    from django.db.models import Max, Min

    span = DBTaskResult.objects.aggregate(first=Min("started_at"), last=Max("finished_at"))
    working = (span["last"] - span["first"]).total_seconds()
    worker_time = working * n_workers
    split["outside jobs (claim, record)"] = max(0.0, worker_time - in_jobs)
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL").count()
    right = 0
    for capture_name, texts in _reads_by_file():
        expected = capture_name.split("-", 1)[1].rsplit(".", 1)[0]
        right += expected in texts
    print(f"\n{label}: {count} photos in {wall:.1f} s wall, of which {wall - working:.1f} s starting up; "
          f"{count / working * 3600 / n_workers:,.0f} photos/hour per worker once running "
          f"({count / working * 3600:,.0f} photos/hour in all); failed jobs: {failed}")
    print(f"  CPU time of the workers: {cpu:.1f} s = {count / cpu * 3600:,.0f} photos per CPU-hour "
          f"(what one worker does with a core to itself; the wall figures depend on what else the machine runs)")
    print(f"  peak memory per worker (max RSS): {', '.join(f'{p:.0f} MB' for p in peaks)}")
    print(f"  plate read matched the rendered plate on {right}/{count} photos; {PlateRead.objects.count()} reads stored, "
          f"{sum(Capture.objects.values_list('reads_outside_zones', flat=True))} outside zones")
    print("  where the worker time went (between the first job's start and the last job's end):")
    for key, seconds in sorted(split.items(), key=lambda kv: -kv[1]):
        print(f"    {key:<28} {seconds:8.1f} s  {100 * seconds / worker_time:5.1f} %  ({1000 * seconds / count:6.1f} ms/photo)")


def _reads_by_file():
    from dearjohn.evidence.models import Receipt, plate_key

    for receipt in Receipt.objects.select_related("capture").prefetch_related("capture__plate_reads"):
        yield receipt.original_filename, {plate_key(r.text) for r in receipt.capture.plate_reads.all()}


def reset_reading():
    from django_tasks_db.models import DBTaskResult

    from dearjohn.evidence import intake
    from dearjohn.evidence.models import Capture, PlateRead

    PlateRead.objects.all().delete()
    DBTaskResult.objects.all().delete()
    Capture.objects.update(status=Capture.Status.RECEIVED, read_at=None, reads_outside_zones=0)
    for capture in Capture.objects.all():
        intake.queue_reading(capture)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--reader", default="", help="plate reader class (default: the configured engine)")
    parser.add_argument("--passes", default="", help="the reader's detection passes (DEARJOHN_PLATE_PASSES; default: standard)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to measure (default 1 2)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (photos, store, database)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dearjohn-bench-"))
    (work / "data").mkdir()
    photos = work / "photos"
    photos.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEARJOHN_")}
    env.update(DEARJOHN_DATA_DIR=str(work / "data"), DJANGO_SETTINGS_MODULE="dearjohn.site.settings",
               PYTHONPATH=f"{ROOT}:{ROOT / 'src'}", DEARJOHN_LOG_LEVEL="WARNING")
    if args.reader:
        env["DEARJOHN_PLATE_READER"] = args.reader
    if args.passes:
        env["DEARJOHN_PLATE_PASSES"] = args.passes
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    import django

    django.setup()
    from django.core.management import call_command

    from dearjohn.evidence.models import Camera, Zone

    call_command("migrate", verbosity=0)
    square = {"type": "Polygon", "coordinates": [[[-122.42, 37.75], [-122.41, 37.75], [-122.41, 37.76], [-122.42, 37.76], [-122.42, 37.75]]]}
    zone = Zone.objects.create(name="Bench zone", boundary=square,
                               active_hours={d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    Camera.objects.create(name="Bench camera", latitude=37.755, longitude=-122.415, zone=zone)

    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(render, [(i, str(photos)) for i in range(args.count)], chunksize=16)
    print(f"rendered {args.count} photos (1280x720 JPEG) in {time.perf_counter() - start:.1f} s; work dir {work}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")

    start = time.perf_counter()
    subprocess.run([DEARJOHN, "import", str(photos), "--camera", "Bench camera"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    print(f"import (2 processes, hash + checks + store + queue): {wall:.1f} s = {args.count / wall * 3600:,.0f} photos/hour")

    for i, n in enumerate(args.workers):
        if i:
            reset_reading()
        wall, peaks, cpu = run_workers(n, env)
        summarise(f"{n} worker{'s' if n > 1 else ''}", n, wall, peaks, cpu, args.count)
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
