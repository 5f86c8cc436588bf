"""Insights pages with a year of heavy program history: server time per page.

Fills a database of its own with 1,000,000 sightings (and their captures and
plate reads) and 10,000 mailed letters, then times the dashboard, its charts,
the map and the deterrence page through Django's test Client (median of
several requests): reading the stored figures, as users do, and computing
them afresh, as the worker's refresh job does (insights/figures.py).

    .venv/bin/python bench/insights.py                      # SQLite under ~/.cache/dearjohn-insights-bench
    .venv/bin/python bench/insights.py --postgres           # PostgreSQL (the CI cluster, own database)
    .venv/bin/python bench/insights.py --sightings 100000   # a smaller run

The data stay between runs (filling takes minutes); `--refill` starts over.
"""

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

PG_URL = "postgres://dearjohn:dearjohn@127.0.0.1:55432/dearjohn"
PG_DATABASE = "dearjohn_bench_insights"
BATCH = 5000


def configure(args):
    # Kept out of /tmp: the filled database takes minutes to make and test runs clean up temporary folders.
    data_dir = Path(args.data_dir or Path.home() / ".cache" / "dearjohn-insights-bench" / ("postgresql" if args.postgres else "sqlite"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DEARJOHN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearjohn.site.settings")
    if args.postgres:
        import psycopg

        base = os.environ.get("DEARJOHN_BENCH_PG_URL", PG_URL)
        with psycopg.connect(base.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone():
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        os.environ["DEARJOHN_DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + PG_DATABASE
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return data_dir


def fill(sightings, vehicles, seed=1):
    """Bulk-insert a year of fictitious history; the same seed gives the same data."""
    from django.db import transaction
    from django.db.models import F

    from dearjohn.evidence.models import Capture, PlateRead, Sighting, SourceKind, Zone

    rng = random.Random(seed)
    end = datetime.now(dt_timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=365)
    zones = []
    for i, (west, south) in enumerate([(-122.4192, 37.7525), (-122.4163, 37.7500), (-122.4140, 37.7480), (-122.4110, 37.7560)]):
        boundary = {"type": "Polygon", "coordinates": [[[west, south], [west + 0.0016, south], [west + 0.0016, south + 0.012],
                                                         [west, south + 0.012], [west, south]]]}
        zones.append(Zone.objects.get_or_create(name=f"Bench zone {i + 1}", defaults={"boundary": boundary})[0])
    plates = [(f"B{n:06d}", "NV" if n % 9 == 0 else "CA") for n in range(vehicles)]
    # A few vehicles come often, most once or twice: weights fall off like 1/rank.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(vehicles)]
    who = rng.choices(range(vehicles), weights=weights, k=sightings)
    home_zone = [rng.randrange(len(zones)) for _ in range(vehicles)]
    statuses = ["confirmed"] * 17 + ["corrected", "rejected", "pending"]
    made = 0
    t0 = time.perf_counter()
    while made < sightings:
        n = min(BATCH, sightings - made)
        captures, reads, rows = [], [], []
        for i in range(made, made + n):
            v = who[i]
            day = start + timedelta(days=rng.randrange(365))
            seen_at = day.replace(hour=rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 3, 4, 5, 6])) + timedelta(minutes=rng.randrange(60))
            zone = zones[home_zone[v] if rng.random() < 0.8 else rng.randrange(len(zones))]
            plate, state = plates[v]
            status = "pending" if seen_at > end - timedelta(days=10) and rng.random() < 0.6 else rng.choice(statuses)
            captures.append(Capture(sha256=hashlib.sha256(f"bench-{seed}-{i}".encode()).hexdigest(), stored_path="",
                                    media_kind="image", content_type="image/jpeg", size_bytes=0, source_kind=SourceKind.CAMERA,
                                    taken_at=seen_at, taken_at_source="camera", note="bench history"))
            reads.append(PlateRead(text=plate, plate_key=plate, state=state, confidence=0.9, box=[0, 0, 1, 1]))
            lat, lon = zone.boundary["coordinates"][0][0][1] + rng.random() * 0.012, zone.boundary["coordinates"][0][0][0] + rng.random() * 0.0016
            reviewed = status != "pending"
            rows.append(Sighting(zone=zone, seen_at=seen_at, latitude=lat, longitude=lon, review_status=status,
                                 reviewed_at=seen_at + timedelta(hours=rng.randrange(2, 120)) if reviewed else None,
                                 confirmed_plate=plate if status in ("confirmed", "corrected") else "",
                                 confirmed_plate_key=plate if status in ("confirmed", "corrected") else "",
                                 confirmed_state=state if status in ("confirmed", "corrected") else ""))
        with transaction.atomic():
            Capture.objects.bulk_create(captures)
            if captures[0].pk is None:  # backends that do not return keys (none we use, but be sure)
                captures = list(Capture.objects.filter(sha256__in=[c.sha256 for c in captures]))
            for capture, read in zip(captures, reads):
                read.capture = capture
            PlateRead.objects.bulk_create(reads)
            for read, row in zip(reads, rows):
                row.plate_read = read
            Sighting.objects.bulk_create(rows)
        made += n
        if made % 100000 == 0 or made == sightings:
            print(f"  {made:>9,} sightings  {time.perf_counter() - t0:6.0f} s", flush=True)
    Capture.objects.filter(note="bench history").update(received_at=F("taken_at"))


def fill_letters(letters, seed=1):
    """First notices for the most-seen vehicles, mailed a few weeks after each was first confirmed."""
    from django.db import transaction
    from django.db.models import Count, F, Min

    from dearjohn.cases.models import Case
    from dearjohn.evidence.models import Sighting
    from dearjohn.letters.models import Letter

    rng = random.Random(seed)
    t0 = time.perf_counter()
    end = datetime.now(dt_timezone.utc) - timedelta(days=1)
    vehicles = (Sighting.objects.filter(review_status__in=["confirmed", "corrected"])
                .values_list("confirmed_plate_key", "confirmed_state")
                .annotate(first=Min("seen_at"), n=Count("id")).order_by("-n")[:letters])
    cases, mail = [], []
    for plate, state, first, _ in vehicles:
        cases.append(Case(number=f"BENCH-{plate}", plate_key=plate, state=state, status="lettered"))
        mail.append(min(first + timedelta(days=rng.randrange(7, 60)), end))
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=BATCH)
        by_number = dict(Case.objects.filter(number__startswith="BENCH-").values_list("number", "pk"))
        rows = []
        for case, mailed_at in zip(cases, mail):
            status = rng.choice(["mailed"] * 8 + ["delivered", "returned"])
            rows.append(Letter(case_id=by_number[case.number], kind="first", reference=hashlib.sha256(case.number.encode()).hexdigest()[:24],
                               status=status, recipient_name="Bench Owner", recipient_address="1 Bench St\nNowhere CA 90000",
                               approved_at=mailed_at - timedelta(days=2), printed_at=mailed_at - timedelta(days=1), mailed_at=mailed_at,
                               delivery_updated_at=mailed_at + timedelta(days=6) if status == "returned" else None))
        Letter.objects.bulk_create(rows, batch_size=BATCH)
        Letter.objects.filter(case__number__startswith="BENCH-").update(drafted_at=F("approved_at") - timedelta(days=1))
    print(f"  {len(rows):>9,} letters     {time.perf_counter() - t0:6.0f} s", flush=True)


def median_ms(client, url, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(response.content), max(times)


def measure(repeat):
    """Server time per page: reading stored figures (what a user waits for) and computing them (the worker's job)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from dearjohn.insights import figures, views
    from dearjohn.insights.models import Figure

    user, _ = get_user_model().objects.get_or_create(username="bench-supervisor")
    user.groups.add(Group.objects.get(name="Supervisor"))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.conftest import sign_in  # the project's one way to a signed-in staff session

    client = sign_in(Client(), user)
    pages = [("dashboard page", reverse("insights:dashboard"))]
    pages += [(f"chart {name}", reverse("insights:chart", kwargs={"name": name})) for name in figures.CHARTS]
    pages += [("map page", reverse("insights:map")), ("map SVG", reverse("insights:map_svg")),
              ("deterrence page", reverse("insights:deterrence")), ("deterrence SVG", reverse("insights:deterrence_chart", kwargs={"fmt": "svg"})),
              ("deterrence CSV", reverse("insights:deterrence_csv"))]

    print("Refreshing every stored figure (the worker's job):")
    Figure.objects.all().delete()
    started = time.perf_counter()
    figures.refresh_all(progress=lambda key, seconds: print(f"  {key:<26} {seconds * 1000:>9.0f} ms", flush=True))
    print(f"  {'all':<26} {(time.perf_counter() - started) * 1000:>9.0f} ms")
    print(f"{'page':<26} {'stored ms':>10} {'p-max ms':>9} {'computing ms':>13} {'bytes':>9}")
    worst = 0.0
    for label, url in pages:
        with override_settings(ALLOWED_HOSTS=["testserver", "*"]):
            views._curve_chart.cache_clear()
            stored, size, slowest = median_ms(client, url, repeat)
            worst = max(worst, slowest)
            with override_settings(DEARJOHN={**settings.DEARJOHN, "INSIGHTS": {**settings.DEARJOHN["INSIGHTS"], "REFRESH_MINUTES": 0}}):
                computing, _, _ = median_ms(client, url, 1)
        print(f"{label:<26} {stored:>10.1f} {slowest:>9.1f} {computing:>13.0f} {size:>9,}", flush=True)
    print(f"slowest page view reading stored figures: {worst:.0f} ms (target <= 1000 ms)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--data-dir")
    parser.add_argument("--sightings", type=int, default=1_000_000)
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--vehicles", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--fill-only", action="store_true")
    args = parser.parse_args()
    data_dir = configure(args)
    from django.db import connection

    from dearjohn.evidence.models import Sighting
    from dearjohn.letters.models import Letter

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); data dir {data_dir}")
    if args.refill:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
    have = Sighting.objects.count()
    if have < args.sightings:
        print(f"Filling: {args.sightings - have:,} sightings, {args.letters:,} letters")
        if have:
            sys.exit("the bench database holds a partial fill; run again with --refill")
        fill(args.sightings, args.vehicles)
    if not Letter.objects.filter(case__number__startswith="BENCH-").exists():
        fill_letters(args.letters)
    print(f"Holding {Sighting.objects.count():,} sightings and {Letter.objects.exclude(mailed_at=None).count():,} mailed letters")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if not args.fill_only:
        measure(args.repeat)


if __name__ == "__main__":
    main()
