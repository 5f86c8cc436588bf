"""The one way into the program: `accept()` takes a photo or video from any source.

The import command, the camera API, the officer upload page, the public
submission page, the live-stream watcher and the demo all call `accept()`, so
every file gets the same checks, the same storage and the same chain of
custody:

1. `prepare()` copies the bytes to the store's incoming folder while hashing
   them (never holding the file in memory), checks the type by content,
   the size, decompression bombs and damage, and reads EXIF time and place.
   It touches no database, so the import command runs it in worker processes.
2. `record()` settles when and where the capture was taken and which source
   said so, keeps the file under its SHA-256 (once, however often it arrives),
   writes one Capture per hash and one Receipt per arrival, and queues the
   plate reading job.

A file that fails a check raises EvidenceError with a message for the sender;
the rejection is written to the audit log.
"""

import hashlib
import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from dearjohn.oversight.audit import record as audit
from dearjohn.plates.images import still_image_type, strict_decoding

from . import store
from .errors import EvidenceError
from .models import Camera, Capture, Receipt, SourceKind

ACCEPTED = "JPEG, PNG, WebP, HEIC or AVIF photos; MP4, MOV, AVI, MKV or WebM videos"


def sniff(head):
    """(media kind, content type) from a file's first bytes, or None; the name is never trusted."""
    if head[:3] == b"\xff\xd8\xff":
        return Capture.MediaKind.IMAGE, "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return Capture.MediaKind.IMAGE, "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Capture.MediaKind.IMAGE, "image/webp"
    if head[4:8] == b"ftyp":
        if photo_type := still_image_type(head):
            return Capture.MediaKind.IMAGE, photo_type
        return Capture.MediaKind.VIDEO, "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Capture.MediaKind.VIDEO, "video/x-msvideo"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return Capture.MediaKind.VIDEO, "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    return None


def _megabytes(n):
    return f"{n / (1024 * 1024):,.0f} MB"


@dataclass
class Prepared:
    """A received file that passed every check, waiting in the incoming folder to be recorded."""

    temp_path: str
    sha256: str
    size: int
    media_kind: str
    content_type: str
    filename: str = ""
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    exif_time: datetime | None = None
    exif_location: tuple[float, float] | None = None
    warnings: list[str] = field(default_factory=list)

    def discard(self):
        try:
            os.unlink(self.temp_path)
        except FileNotFoundError:
            pass


def _chunks(source):
    """Yield the bytes of a path, bytes, a Django upload or a binary file object, a chunk at a time."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        for i in range(0, len(data), store.CHUNK):
            yield data[i:i + store.CHUNK]
    elif isinstance(source, (str, Path)):
        with open(source, "rb") as f:
            while chunk := f.read(store.CHUNK):
                yield chunk
    elif hasattr(source, "chunks"):
        yield from source.chunks(store.CHUNK)
    else:
        while chunk := source.read(store.CHUNK):
            yield chunk


def prepare(source, filename=""):
    """Copy `source` into the incoming folder while hashing it, and check it. No database access."""
    limits = settings.DEARJOHN["INTAKE"]
    name = filename or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "") or "")
    digest = hashlib.sha256()
    size = 0
    kind = None
    temp = store.incoming_file()
    try:
        with temp:
            for chunk in _chunks(source):
                if kind is None and chunk:
                    kind = sniff(chunk[:64])
                    if kind is None:
                        raise EvidenceError(f"This file is not a photo or video the program accepts ({ACCEPTED}); its content was checked, not its name.")
                    limit = limits["MAX_IMAGE_BYTES"] if kind[0] == Capture.MediaKind.IMAGE else limits["MAX_VIDEO_BYTES"]
                size += len(chunk)
                if kind is not None and size > limit:
                    what = "photos" if kind[0] == Capture.MediaKind.IMAGE else "videos"
                    raise EvidenceError(f"This file is larger than the {_megabytes(limit)} limit for {what}.")
                digest.update(chunk)
                temp.write(chunk)
        if size == 0:
            raise EvidenceError("This file is empty (0 bytes).")
        prepared = Prepared(temp_path=temp.name, sha256=digest.hexdigest(), size=size,
                            media_kind=kind[0], content_type=kind[1], filename=name[:255])
        if prepared.media_kind == Capture.MediaKind.IMAGE:
            _inspect_image(prepared, limits["MAX_IMAGE_PIXELS"])
        else:
            _inspect_video(prepared)
        return prepared
    except BaseException:
        try:
            os.unlink(temp.name)
        except FileNotFoundError:
            pass
        raise


def _inspect_image(prepared, max_pixels):
    """Decode the photo (cheaply) to prove it is whole, refuse bombs, and read its EXIF."""
    with warnings.catch_warnings(), strict_decoding():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(prepared.temp_path) as im:
                width, height = im.size
                if width * height > max_pixels:
                    raise EvidenceError(
                        f"This photo claims {width:,} × {height:,} pixels, more than the {max_pixels:,} the program "
                        "accepts; it looks like a decompression bomb and was not opened."
                    )
                exif = im.getexif()
                if im.format == "JPEG":
                    # Decoding at 1/8 scale still walks every compressed byte, so
                    # truncation and damage show up at a fraction of the cost.
                    im.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                im.load()
        except EvidenceError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise EvidenceError("This photo is too large to open safely (a decompression bomb); it was not opened.") from None
        except UnidentifiedImageError:
            raise EvidenceError("This photo cannot be opened: it is damaged or not really a photo.") from None
        except (OSError, SyntaxError, ValueError) as e:
            if "truncated" in str(e):
                raise EvidenceError("This photo is incomplete (the file was cut short); send the whole file.") from None
            raise EvidenceError("This photo cannot be opened: it is damaged.") from None
    prepared.width, prepared.height = width, height
    prepared.exif_time = exif_time(exif)
    prepared.exif_location = exif_location(exif)


def _inspect_video(prepared):
    import cv2

    cap = cv2.VideoCapture(prepared.temp_path)
    try:
        ok, frame = cap.read() if cap.isOpened() else (False, None)
        if not ok or frame is None:
            raise EvidenceError("This video cannot be played: it is damaged or in a format the program cannot open.")
        prepared.height, prepared.width = frame.shape[:2]
        fps = cap.get(cv2.CAP_PROP_FPS) or 0
        frames = cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0
        if 0 < fps < 1000 and frames > 0:
            prepared.duration_s = round(frames / fps, 3)
    finally:
        cap.release()


EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME, DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x0132, 0x9003, 0x9011


def exif_time(exif):
    """When the photo says it was taken, or None when it does not say (or says nonsense).

    Without an offset tag, the time is read as the department's local time:
    phones write local wall-clock time.
    """
    sub = exif.get_ifd(EXIF_IFD) if exif else {}
    raw = sub.get(DATETIME_ORIGINAL) or (exif.get(DATETIME) if exif else None)
    if not raw or not isinstance(raw, str):
        return None
    try:
        naive = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(OFFSET_TIME_ORIGINAL)
    tz = None
    if isinstance(offset, str) and len(offset.strip("\x00 ")) == 6:
        o = offset.strip("\x00 ")
        try:
            sign = -1 if o[0] == "-" else 1
            tz = dt_timezone(sign * timedelta(hours=int(o[1:3]), minutes=int(o[4:6])))
        except ValueError:
            tz = None
    when = naive.replace(tzinfo=tz or ZoneInfo(settings.TIME_ZONE))
    if when.year < 2000 or when > timezone.now() + timedelta(days=1):
        return None
    return when


def exif_location(exif):
    """(latitude, longitude) from the photo's GPS tags, or None."""
    gps = exif.get_ifd(GPS_IFD) if exif else {}
    try:
        lat = _degrees(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
        lon = _degrees(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return round(lat, 7), round(lon, 7)


def _degrees(dms):
    d, m, s = (float(v) for v in dms)
    return d + m / 60 + s / 3600


@dataclass
class Accepted:
    capture: Capture
    receipt: Receipt
    created: bool

    @property
    def duplicate(self):
        return not self.created


def accept(source, *, source_kind, filename="", request=None, **details):
    """Take one file from any way in; returns Accepted or raises EvidenceError (recorded in the audit log).

    `details` are those of `record()`.
    """
    name = filename or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "") or "")
    try:
        prepared = prepare(source, name)
    except EvidenceError as e:
        reject(e, filename=name, source_kind=source_kind, camera=details.get("camera"),
               sender=details.get("sender"), request=request)
        raise
    return record(prepared, source_kind=source_kind, request=request, **details)


def reject(error, *, filename, source_kind, camera=None, sender=None, request=None):
    """Write a refused file to the audit log: what, from whom, why (no content is kept)."""
    audit("capture.rejected", user=sender, request=request, filename=filename[:255], source=str(source_kind),
          camera=camera.name if camera else "", reason=str(error))


def record(prepared, *, source_kind, camera=None, sender=None, remote_address=None, taken_at=None,
           taken_at_source=None, latitude=None, longitude=None, location_source=None, note="",
           camera_reads=None, require_time=False, enqueue=True, request=None):
    """Keep a prepared file and write its Capture (if new), Receipt and reading job.

    Time: the file's own EXIF time wins; then `taken_at` from the sender
    (`taken_at_source` says whose clock: the camera's, or entered by a
    person); then, if `require_time`, the sender is asked; else the time it
    arrived. Place: EXIF GPS, then the given latitude/longitude, then the
    sending camera's position.
    """
    now = timezone.now()
    person = source_kind != SourceKind.CAMERA
    if prepared.exif_time:
        when, when_source = prepared.exif_time, Capture.TimeSource.EXIF
    elif taken_at:
        if timezone.is_naive(taken_at):
            taken_at = timezone.make_aware(taken_at, ZoneInfo(settings.TIME_ZONE))
        when = taken_at
        when_source = taken_at_source or (Capture.TimeSource.ENTERED if person else Capture.TimeSource.CAMERA)
    elif require_time:
        prepared.discard()
        what = "photo" if prepared.media_kind == Capture.MediaKind.IMAGE else "video"
        error = EvidenceError(f"This {what} has no time in it; enter when it was taken and send it again.")
        reject(error, filename=prepared.filename, source_kind=source_kind, camera=camera, sender=sender, request=request)
        raise error
    else:
        when, when_source = now, Capture.TimeSource.RECEIVED
    if when > now + timedelta(minutes=10):
        prepared.discard()
        error = EvidenceError("The time given for this file is in the future; check the date and time.")
        reject(error, filename=prepared.filename, source_kind=source_kind, camera=camera, sender=sender, request=request)
        raise error

    if prepared.exif_location:
        (lat, lon), where_source = prepared.exif_location, Capture.TimeSource.EXIF
    elif latitude is not None and longitude is not None:
        lat, lon = latitude, longitude
        where_source = location_source or (Capture.TimeSource.ENTERED if person else Capture.TimeSource.CAMERA)
    elif camera is not None:
        lat, lon, where_source = camera.latitude, camera.longitude, Capture.TimeSource.CAMERA
    else:
        lat = lon = None
        where_source = ""

    with transaction.atomic():
        capture = Capture.objects.filter(sha256=prepared.sha256).first()
        created = capture is None
        if created:
            stored = store.keep(prepared.temp_path, prepared.sha256)
            try:
                with transaction.atomic():
                    capture = Capture.objects.create(
                        sha256=prepared.sha256, stored_path=stored, media_kind=prepared.media_kind,
                        content_type=prepared.content_type, size_bytes=prepared.size, source_kind=source_kind,
                        camera=camera, uploaded_by=sender, taken_at=when, taken_at_source=when_source,
                        latitude=lat, longitude=lon, location_source=where_source, note=note,
                        width=prepared.width, height=prepared.height, duration_s=prepared.duration_s,
                        camera_reads=camera_reads or [],
                    )
            except IntegrityError:  # the same bytes arrived through another process just now
                capture, created = Capture.objects.get(sha256=prepared.sha256), False
        else:
            prepared.discard()
        receipt = Receipt.objects.create(
            capture=capture, source_kind=source_kind, camera=camera, sender=sender,
            original_filename=prepared.filename, remote_address=remote_address,
        )
        if camera is not None:
            Camera.objects.filter(pk=camera.pk).update(last_seen_at=now)
        if created and enqueue:
            queue_reading(capture)
        audit("capture.received", user=sender, obj=capture, request=request, filename=prepared.filename,
              source=str(source_kind), camera=camera.name if camera else "", duplicate=not created,
              sha256=prepared.sha256)
    return Accepted(capture, receipt, created)


def queue_reading(capture):
    """Queue the plate-reading job for a capture (in the caller's transaction)."""
    from .tasks import read_capture

    job = read_capture.enqueue(capture.pk)
    capture.read_job_id = str(job.id)
    Capture.objects.filter(pk=capture.pk).update(read_job_id=capture.read_job_id)
    return job

