"""`dearjohn import PATH... --camera NAME`: bring folders of camera exports into the program."""

import multiprocessing
import os
from collections import Counter
from datetime import datetime, timezone as dt_timezone
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dearjohn.evidence import importing, intake
from dearjohn.evidence.errors import EvidenceError
from dearjohn.evidence.models import Camera, Capture, SourceKind


def files_under(paths):
    for given in paths:
        p = Path(given)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts))
        elif p.is_file():
            yield p
        else:
            raise CommandError(f"{given}: no such file or folder.")


class Command(BaseCommand):
    help = "Import photos and videos exported from a fixed camera; re-running skips what is already in."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (searched recursively)")
        parser.add_argument("--camera", required=True, help="name of the camera that took them")
        parser.add_argument("--processes", type=int, default=2, help="processes that hash and check files (default 2)")

    def handle(self, paths, camera, processes, **options):
        try:
            cam = Camera.objects.get(name=camera)
        except Camera.DoesNotExist:
            names = ", ".join(Camera.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"No camera named {camera!r}; cameras: {names}.") from None
        files = [str(f) for f in files_under(paths)]
        known = frozenset(Capture.objects.values_list("sha256", flat=True))
        counts, reasons = Counter(), []
        # Fresh processes, not forks: see evidence/importing.py.
        ctx = multiprocessing.get_context("spawn")
        start = (os.environ.get("DJANGO_SETTINGS_MODULE", "dearjohn.site.settings"), settings.EVIDENCE_ROOT,
                 settings.DEARJOHN, known)
        with ctx.Pool(max(1, processes), initializer=importing.start_worker, initargs=start) as pool, \
                tqdm(total=len(files), unit="file", desc="Importing") as bar:
            for outcome, path, value in pool.imap_unordered(importing.examine, files, chunksize=4):
                if outcome == "known":
                    counts["already in"] += 1
                elif outcome == "rejected":
                    self._reject(path, value, cam, counts, reasons)
                else:
                    self._record(path, value, cam, counts, reasons)
                bar.update(1)
        self.stdout.write(
            f"Imported {counts['imported']}, duplicates {counts['duplicate'] + counts['already in']} "
            f"({counts['already in']} already in before this run), rejected {counts['rejected']}."
        )
        if counts["camera clock"]:
            self.stdout.write(f"{counts['camera clock']} file(s) had no time in them; the camera's clock (file time) was used.")
        for path, reason in reasons:
            self.stdout.write(f"  rejected {path}: {reason}")

    def _reject(self, path, reason, cam, counts, reasons):
        counts["rejected"] += 1
        reasons.append((path, reason))
        intake.reject(EvidenceError(reason), filename=Path(path).name, source_kind=SourceKind.CAMERA, camera=cam)

    def _record(self, path, prepared, cam, counts, reasons):
        try:
            mtime = datetime.fromtimestamp(Path(path).stat().st_mtime, tz=dt_timezone.utc)
        except OSError:
            mtime = None
        try:
            accepted = intake.record(prepared, source_kind=SourceKind.CAMERA, camera=cam, taken_at=mtime,
                                     taken_at_source=Capture.TimeSource.CAMERA)
        except EvidenceError as e:
            counts["rejected"] += 1
            reasons.append((path, str(e)))
            return
        if accepted.created:
            counts["imported"] += 1
            counts["camera clock"] += accepted.capture.taken_at_source == Capture.TimeSource.CAMERA
        else:
            counts["duplicate"] += 1
