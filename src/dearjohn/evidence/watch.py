"""Following a live camera stream: sample frames, keep those with a plate as captures.

Used by `dearjohn watch`. OpenCV (FFmpeg) opens RTSP and HTTP MJPEG streams.
A dropped or unreachable stream is retried with a growing pause (1 s up to
30 s). A frame is read by the plate engine only every `every` seconds; a
frame with a plate becomes a capture through `intake.accept()` (which also
queues the full reading, crops and zone check in the worker) unless every
plate in it was already kept within `min_gap` seconds, so one car passing
makes one capture, not fifty.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

from django.db import close_old_connections
from django.utils import timezone

from . import intake
from .errors import EvidenceError
from .models import Camera, Capture, SourceKind, plate_key
from .reading import get_reader

logger = logging.getLogger(__name__)


@dataclass
class Health:
    """What the watcher reports about one stream."""

    state: str = "connecting"
    frames: int = 0
    sampled: int = 0
    kept: int = 0
    reconnects: int = 0
    started: float = field(default_factory=time.monotonic)

    def fps(self):
        return self.frames / max(1e-6, time.monotonic() - self.started)

    def line(self, name):
        return (f"{name}: {self.state}, {self.fps():.1f} fps received, {self.sampled} frames read, "
                f"{self.kept} kept, {self.reconnects} reconnects")


class Watcher:
    def __init__(self, camera, url, *, every=0.5, min_gap=10.0, open_timeout_s=10, read_timeout_s=10):
        self.camera, self.url = camera, url
        self.every, self.min_gap = every, min_gap
        self.open_timeout_s, self.read_timeout_s = open_timeout_s, read_timeout_s
        self.health = Health()
        self.last_kept = {}  # plate key -> monotonic time

    def run(self, stop):
        import cv2

        reader = get_reader()
        pause = 1.0
        while not stop.is_set():
            cap = cv2.VideoCapture(self.url, cv2.CAP_FFMPEG, [
                cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(self.open_timeout_s * 1000),
                cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(self.read_timeout_s * 1000)])
            if not cap.isOpened():
                self.health.state = f"cannot connect, retrying in {pause:.0f} s"
                logger.warning("%s: cannot open %s; retrying in %.0f s", self.camera.name, self.url, pause)
                stop.wait(pause)
                pause = min(30.0, pause * 2)
                self.health.reconnects += 1
                continue
            self.health.state = "connected"
            pause = 1.0
            last_sample = 0.0
            try:
                while not stop.is_set():
                    ok, frame = cap.read()
                    if not ok:
                        self.health.state = "stream dropped, reconnecting"
                        self.health.reconnects += 1
                        break
                    self.health.frames += 1
                    now = time.monotonic()
                    if now - last_sample < self.every:
                        continue
                    last_sample = now
                    self.health.sampled += 1
                    self._consider(frame, reader.read(frame), now)
            finally:
                cap.release()
                close_old_connections()
        self.health.state = "stopped"

    def _consider(self, frame, reads, now):
        import cv2

        if not reads:
            return
        keys = {plate_key(r.text) for r in reads}
        if all(now - self.last_kept.get(k, -1e9) < self.min_gap for k in keys):
            return
        ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 92])
        if not ok:
            return
        try:
            intake.accept(jpeg.tobytes(), source_kind=SourceKind.CAMERA, filename=f"stream-{timezone.now():%Y%m%dT%H%M%S}.jpg",
                          camera=self.camera, taken_at=timezone.now(), taken_at_source=Capture.TimeSource.CAMERA,
                          camera_reads=[{"text": r.text, "confidence": round(float(r.confidence), 4)} for r in reads])
        except EvidenceError as e:
            logger.warning("%s: frame refused: %s", self.camera.name, e)
            return
        for k in keys:
            self.last_kept[k] = now
        self.health.kept += 1


def watch(pairs, *, duration=None, report_every=30.0, report=print, **options):
    """Watch several (camera name, url) streams at once, one thread each, until `duration` or Ctrl+C."""
    watchers = [Watcher(Camera.objects.get(name=name), url, **options) for name, url in pairs]
    stop = threading.Event()
    if len(watchers) == 1:
        timer = threading.Timer(duration, stop.set) if duration else None
        reporter = threading.Thread(target=_report, args=(watchers, stop, report_every, report), daemon=True)
        reporter.start()
        if timer:
            timer.start()
        try:
            watchers[0].run(stop)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            if timer:
                timer.cancel()
    else:
        threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in watchers]
        for t in threads:
            t.start()
        try:
            _report(watchers, stop, report_every, report, deadline=time.monotonic() + duration if duration else None)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=15)
    for w in watchers:
        report(w.health.line(w.camera.name))
    return watchers


def _report(watchers, stop, every, report, deadline=None):
    while not stop.is_set():
        wait = every if deadline is None else max(0.0, min(every, deadline - time.monotonic()))
        if stop.wait(wait):
            return
        if deadline is not None and time.monotonic() >= deadline:
            stop.set()
            return
        for w in watchers:
            report(w.health.line(w.camera.name))
