"""Review queue with a million sightings: server time of the queue page and the next-item fragment.

Fills a database of its own with N sightings (default 1,000,000; with their
captures and plate reads), most already reviewed and some waiting, then times
through Django's test Client, signed in as a Reviewer:

  page      GET /cases/review/            the queue page with its first item
  next      GET /cases/review/next?after= the next item after a random cursor (keyset)
  decide    POST /cases/review/<id>/decide  confirm an item and get the next one

and prints the median and 95th percentile of each (server time: the request
through the whole Django stack, no network).

    .venv/bin/python bench/review.py                     # SQLite under /tmp
    .venv/bin/python bench/review.py --postgres          # PostgreSQL (the CI cluster, own database)
    .venv/bin/python bench/review.py --sightings 100000  # a smaller run

The data stay between runs (filling takes minutes); `--refill` starts over.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

PG_URL = "postgres://dearjohn:dearjohn@127.0.0.1:55432/dearjohn"
PG_DATABASE = "dearjohn_bench_review"
BATCH = 10000
READS_PER_CAPTURE = 4


def configure(args):
    kind = "pg" if args.postgres else "sqlite"
    data_dir = Path(args.data_dir or Path(tempfile.gettempdir()) / f"dearjohn-bench-review-{kind}")
    if args.refill and not args.postgres and (data_dir / "dearjohn.sqlite3").exists():
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"dearjohn.sqlite3{suffix}").unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DEARJOHN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearjohn.site.settings")
    if args.postgres:
        import psycopg

        base = os.environ.get("DEARJOHN_BENCH_PG_URL", PG_URL)
        with psycopg.connect(base.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone()
            if exists and args.refill:
                conn.execute(f"DROP DATABASE {PG_DATABASE}")
                exists = False
            if not exists:
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        os.environ["DEARJOHN_DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + PG_DATABASE
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.conftest.sign_in
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return data_dir


def _sql(vendor):
    """The few expressions that differ between SQLite and PostgreSQL."""
    if vendor == "postgresql":
        return {"rand": lambda n: f"floor(random() * {n})::bigint", "time": lambda epoch: f"to_timestamp({epoch})",
                "pad": lambda e, w: f"lpad(({e})::text, {w}, '0')", "json": lambda e: f"({e})::jsonb",
                "series": lambda a, b: f"generate_series({a}, {b}) AS n(i)", "with": lambda a, b: ""}
    return {"rand": lambda n: f"(abs(random()) % {n})", "time": lambda epoch: f"datetime({epoch}, 'unixepoch')",
            "pad": lambda e, w: f"printf('%0{w}d', {e})", "json": lambda e: e,
            "series": lambda a, b: "n", "with": lambda a, b: f"WITH RECURSIVE n(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM n WHERE i < {b}) "}


def _insert(model, exprs, source, prefix=""):
    """INSERT INTO model's table SELECT exprs FROM source; columns not given get their Django default."""
    from django.db import connection

    cols, select, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in exprs:
            continue
        cols.append(connection.ops.quote_name(field.column))
        if field.attname in exprs:
            select.append(exprs[field.attname].replace("%", "%%"))  # literal %, not a placeholder
        else:
            value = field.get_db_prep_save(field.get_default(), connection)
            if value is None and not field.null:
                raise SystemExit(f"bench: {model.__name__}.{field.name} needs a value; add it to the bench")
            select.append("%s")
            params.append(value)
    source, prefix = source.replace("%", "%%"), prefix.replace("%", "%%")
    sql = f"{prefix}INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(select)} FROM {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def fill(total, pending_share, vehicles):
    """Insert `total` sightings over a year, generated inside the database in chunks (seconds, not minutes)."""
    from django.db import connection, transaction

    from dearjohn.evidence.models import Capture, PlateRead, Sighting, Zone

    q = _sql(connection.vendor)
    zone = Zone.objects.get_or_create(name="Bench zone", defaults={"boundary": {"type": "Polygon", "coordinates": [
        [[-122.42, 37.75], [-122.41, 37.75], [-122.41, 37.76], [-122.42, 37.76], [-122.42, 37.75]]]}})[0]
    start = int(datetime(2025, 12, 1, tzinfo=dt_timezone.utc).timestamp())
    span = 365 * 86400
    first = (Sighting.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    base_capture = (Capture.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    base_read = (PlateRead.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    made, t0 = Sighting.objects.count(), time.perf_counter()
    chunk = 100_000
    pending_per_mille = int(pending_share * 1000)
    while made < total:
        n = min(chunk, total - made)
        captures = -(-n // READS_PER_CAPTURE)
        with transaction.atomic():
            when = q["time"](f"{start} + {q['rand'](span)}")
            _insert(Capture, {
                "id": f"{base_capture} + i", "sha256": q["pad"](f"{base_capture} + i", 64),
                "stored_path": f"'bench/' || ({base_capture} + i)", "media_kind": "'image'", "content_type": "'image/jpeg'",
                "size_bytes": "250000", "source_kind": "'camera'", "received_at": when, "taken_at": when,
                "taken_at_source": "'camera'", "status": "'read'",
            }, q["series"](1, captures), q["with"](1, captures))
            # Plate texts are 7B00000..: one per vehicle, so a plate recurs about total/vehicles times.
            text = f"'7B' || {q['pad']('v', 5)}"
            conf = f"(0.4 + (c % 600) / 1000.0)"
            candidates = (f"'[{{\"text\": \"' || {text} || '\", \"confidence\": ' || {conf} || "
                          f"'}}, {{\"text\": \"' || {text} || '8\", \"confidence\": 0.01}}]'")
            _insert(PlateRead, {
                "id": f"{base_read} + i", "capture_id": f"{base_capture} + (i - 1) / {READS_PER_CAPTURE} + 1",
                "text": text, "plate_key": text, "state": "'ca'", "confidence": conf, "candidates": q["json"](candidates),
                "box": q["json"]("'[400, 300, 120, 60]'"), "crop_path": "''", "engine": "'bench'",
                "created_at": q["time"](start),
            }, f"(SELECT i, {q['rand'](vehicles)} AS v, {q['rand'](600)} AS c FROM {q['series'](1, n)}) AS g",
                q["with"](1, n))
            pending = f"({q['rand'](1000)} < {pending_per_mille})"
            _insert(Sighting, {
                "plate_read_id": "r.id", "zone_id": str(zone.pk), "seen_at": "c.taken_at",
                "review_status": f"CASE WHEN r.p THEN 'pending' ELSE 'confirmed' END",
                "reviewed_at": "CASE WHEN r.p THEN NULL ELSE c.taken_at END",
                "confirmed_plate": "CASE WHEN r.p THEN '' ELSE r.text END",
                "confirmed_plate_key": "CASE WHEN r.p THEN '' ELSE r.plate_key END",
                "confirmed_state": "CASE WHEN r.p THEN '' ELSE 'CA' END",
            }, f"(SELECT id, capture_id, text, plate_key, {pending} AS p FROM {PlateRead._meta.db_table} "
               f"WHERE id > {base_read}) AS r JOIN {Capture._meta.db_table} c ON c.id = r.capture_id")
        base_capture += captures
        base_read += n
        made += n
        print(f"\r  {made:,} of {total:,} sightings ({made / (time.perf_counter() - t0):,.0f}/s)", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = fn()
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code in (200, 302), response.status_code
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sightings", type=int, default=1_000_000)
    parser.add_argument("--pending", type=float, default=0.05, help="share of sightings waiting for review (default 0.05)")
    parser.add_argument("--vehicles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60, help="requests per measurement")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--data-dir")
    args = parser.parse_args(argv)
    configure(args)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from dearjohn.cases import review
    from dearjohn.evidence.models import Sighting
    from tests.conftest import make_user, sign_in

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    have = Sighting.objects.count()
    if have < args.sightings:
        print(f"Filling {args.sightings - have:,} sightings ({args.pending:.0%} waiting for review)...")
        fill(args.sightings, args.pending, args.vehicles)
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.filter(username="bench-reviewer").first() or make_user("Reviewer", "bench-reviewer")
    client = sign_in(Client(), reviewer)

    pending = Sighting.objects.filter(review_status="pending")
    print(f"Database: {connection.vendor}, {Sighting.objects.count():,} sightings, "
          f"{pending.count():,} waiting; {args.repeat} requests per figure")
    rng = random.Random(7)
    cursors = [f"{s.seen_at.isoformat()}|{s.pk}" for s in
               pending.order_by("seen_at", "id")[:: max(1, pending.count() // 500)][:500]]
    queue_url, next_url = reverse("cases:review_queue"), reverse("cases:review_next")
    client.get(queue_url)  # warm the connection and templates

    page = timed(lambda: client.get(queue_url), args.repeat)
    nxt = timed(lambda: client.get(next_url, {"after": rng.choice(cursors)}, HTTP_X_REQUESTED_WITH="fetch"), args.repeat)

    def decide_one():
        sighting = review.next_pending()
        read = sighting.plate_read
        return client.post(reverse("cases:review_decide", args=[sighting.pk]),
                           {"action": "confirm", "plate": read.text, "state": "CA"}, HTTP_X_REQUESTED_WITH="fetch")

    decide = timed(decide_one, max(10, args.repeat // 3))
    print(f"{'request':<40} {'median ms':>10} {'p95 ms':>10}")
    for name, (median, p95) in [("queue page  GET /cases/review/", page), ("next item   GET /cases/review/next", nxt),
                                ("decide      POST .../decide (+ next item)", decide)]:
        print(f"{name:<40} {median:>10.1f} {p95:>10.1f}")
    target = 150
    ok = page[0] <= target and nxt[0] <= target
    print(f"target: median <= {target} ms for page and next item: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
