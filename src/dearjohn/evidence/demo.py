"""The demo's day of camera footage, pushed through the real intake pipeline.

Renders street photos (and one short video) of cars with fictitious plates
for the demo cameras, hands them to `intake.accept()` like any camera would,
and reads them at once (instead of waiting for a worker) so the demo opens
with sightings. Idempotent: rendering is deterministic, and files already in
the store are skipped.
"""

import hashlib
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from . import intake, reading, store, synthetic
from .models import Camera, Capture, SourceKind

# camera, hour, minute, which plate (index into the demo plates). Hours after
# midnight belong to the next morning. Daytime passes fall outside the zone
# hours: they are read, counted, and not kept.
DAY = [
    ("Capp & 19th", 12, 30, 0), ("Shotwell & 18th", 15, 5, 1), ("Capp & 21st", 17, 45, 2),
    ("Capp & 19th", 20, 40, 0), ("Capp & 21st", 21, 10, 3), ("Shotwell & 18th", 21, 55, 4),
    ("Capp & 19th", 22, 25, 5), ("Shotwell & 20th", 22, 50, 0), ("Capp & 21st", 23, 35, 6),
    ("Capp & 19th", 23, 58, 3), ("Shotwell & 20th", 24 + 0, 40, 7), ("Capp & 21st", 24 + 1, 15, 0),
    ("Shotwell & 18th", 24 + 2, 5, 5),
]
VIDEO = ("Shotwell & 20th", 23, 20, 2)
UNREGISTERED = {"8NQZ417": "Blue", "6WDX250": "Beige"}  # fictitious plates with no registration in the demo registry


def demo_plates():
    """{plate: the colour of its car}: six California plates of the demo registry, then the unregistered ones.

    Taken from the demo registry as seeded, not from the table: the demo's
    history adds registrations of its own, and a second `make demo` must
    render the same photos (which the store then skips), not new ones. A
    registered car has its registered colour in every photo, so the
    reviewer's vehicle check has something true to compare.
    """
    from dearjohn.site.demo import demo_registry

    california = sorted({(r.plate_key, r.plate, r.color) for r in demo_registry() if r.state == "CA"})
    return {plate: colour for _, plate, colour in california[:6]} | UNREGISTERED


def _when(day, hour, minute):
    local = datetime.combine(day + timedelta(days=hour // 24), time(hour % 24, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local


def footage_day(now=None):
    """Yesterday, unless its night (which runs past midnight) is not over yet: then the day before.

    Intake refuses times in the future, so a demo loaded at 1 a.m. cannot
    show yesterday's 2 a.m. passes.
    """
    now = timezone.localtime(now or timezone.now())
    day = now.date() - timedelta(days=1)
    last = max(_when(day, hour, minute) for _name, hour, minute, _which in [*DAY, VIDEO])
    return day if last <= now else day - timedelta(days=1)


def seed_footage():
    cameras = {c.name: c for c in Camera.objects.all()}
    if not all(name in cameras for name, *_ in DAY):
        return "Footage: the demo cameras are missing; no footage loaded."
    colours = demo_plates()
    plates = list(colours)
    day = footage_day()
    new = []
    for n, (name, hour, minute, which) in enumerate(DAY):
        when = _when(day, hour, minute)
        scene = synthetic.street_scene(plates[which], seed=n, night=not 7 <= hour < 18, colour=colours[plates[which]])
        data = synthetic.jpeg_bytes(scene)
        new += _accept(data, cameras[name], when, f"{name} {when:%Y%m%d-%H%M}.jpg")
    name, hour, minute, which = VIDEO
    store.root().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=store.root()) as folder:
        clip = synthetic.street_video(Path(folder) / "clip.avi", plates[which], seconds=3, fps=6, colour=colours[plates[which]])
        when = _when(day, hour, minute)
        new += _accept(clip, cameras[name], when, f"{name} {when:%Y%m%d-%H%M}.avi")
    if not new:
        return "Footage: already loaded."
    read = 0
    for i, capture in enumerate(new):
        try:
            reading.read_capture(capture.pk)
            read += 1
        except Exception as e:  # the engine is not usable here: leave the rest to `dearjohn worker`
            for waiting in new[i:]:
                intake.queue_reading(waiting)
            return (f"Footage: {len(new)} captures from {len(cameras)} cameras for {day}; the plate reader is not "
                    f"available ({e}); {len(new) - i} wait for `dearjohn worker`.")
    captures = Capture.objects.filter(pk__in=[c.pk for c in new])
    sightings = sum(c.plate_reads.filter(sighting__isnull=False).count() for c in captures)
    outside = sum(c.reads_outside_zones for c in captures)
    return (f"Footage: {len(new)} captures (photos and a video) from the demo cameras for {day}, read: "
            f"{sightings} sightings in the zones, {outside} reads outside zone hours (counted, not kept).")


def _accept(source, camera, when, filename):
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if Capture.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists():
        return []
    accepted = intake.accept(source, source_kind=SourceKind.CAMERA, camera=camera, filename=filename,
                             taken_at=when, taken_at_source=Capture.TimeSource.CAMERA, enqueue=False)
    return [accepted.capture]
