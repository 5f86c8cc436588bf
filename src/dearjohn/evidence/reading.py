"""Reading a capture's plates and turning reads in an active zone into sightings.

`read_capture()` is what the background job runs (and the demo runs
directly). It is safe to run twice: a capture already read is left alone,
and a reading writes all of its rows in one transaction, so a worker killed
half-way leaves nothing behind and the job simply runs again.

Reads outside every active zone or its hours are counted on the capture and
otherwise dropped: their plate text is never stored. So are reads below
MIN_READ_CONFIDENCE: the engine reports any plate-like writing (a state
name, a dealer frame) with a low confidence, and those would only fill the
review queue. And so are a camera's reads of writing its reviewers keep
rejecting as not a plate (Camera.writing_not_plates): a sign it sees
every night.
"""

import io
import logging
import time
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from PIL import Image

from dearjohn.oversight.audit import record as audit

from . import store, zones
from dearjohn.plates import PlateReadingError
from dearjohn.plates.images import upright_rgb

from .errors import IntegrityFailure
from .models import Capture, PlateRead, Sighting, plate_key

logger = logging.getLogger(__name__)
CROP_MARGIN = 0.15


@lru_cache(maxsize=4)
def _reader(path, detectors="", passes="", recognizers=""):
    """`detectors`: "" (the reader's default), "int8", "float", or "int8+float" (frame + second looks).

    `passes`: "" (the reader's default) or a name in dearjohn.plates.reader.DETECTION_PASSES.
    `recognizers`: "" (the reader's default), "int8" or "float".
    """
    options = {"passes": passes} if passes else {}
    if recognizers:
        options["recognizer_model"] = recognizers
    if detectors:
        frame, _, second_looks = detectors.partition("+")
        options["detector_model"] = frame
        if second_looks:
            options["refine_detector_model"] = second_looks
    return import_string(path)(**options)


def get_reader():
    """The plate reader named in settings.DEARJOHN["PLATE_READER"], built once per process."""
    dj = settings.DEARJOHN
    return _reader(dj["PLATE_READER"], dj.get("PLATE_DETECTOR", ""), dj.get("PLATE_PASSES", ""), dj.get("PLATE_RECOGNIZER", ""))


def engine_name():
    return settings.DEARJOHN["PLATE_READER"].rsplit(".", 1)[-1][:50]


def read_capture(capture_id):
    """Read one capture's plates; returns a short summary for the job's result.

    The summary includes where the time went (hash check, plate engine,
    crops, database), which `bench/intake.py` adds up.
    """
    clock = time.perf_counter()
    seconds = {}

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - clock
        clock = now

    capture = Capture.objects.select_related("camera").get(pk=capture_id)
    if capture.status == Capture.Status.READ:
        return {"capture": capture.pk, "skipped": "already read"}
    if capture.integrity_failed_at:
        return _fail(capture, "The stored file no longer matches its fingerprint; it was not read.")
    Capture.objects.filter(pk=capture.pk).update(status=Capture.Status.READING)
    lap("database")
    try:
        path = store.verified_path(capture)
    except IntegrityFailure as e:
        return _fail(capture, str(e))
    lap("hash_check")
    reader = get_reader()
    try:
        found = _read_video(reader, path) if capture.media_kind == Capture.MediaKind.VIDEO else _read_image(reader, path, lap)
    except PlateReadingError as e:  # the engine refuses this file; say so on the capture
        logger.warning("capture %s could not be read: %s", capture.pk, e)
        return _fail(capture, f"The plate reader could not read this file: {e}")
    except Exception as e:
        # The engine itself is broken (e.g. a model file missing): leave the
        # capture waiting, fail the job loudly, so it can be run again once fixed.
        Capture.objects.filter(pk=capture.pk).update(status=Capture.Status.RECEIVED,
                                                     status_detail=f"Plate reader unavailable: {e}"[:300])
        raise
    lap("crops" if capture.media_kind == Capture.MediaKind.IMAGE else "plate_engine")

    kept, outside, unsure, not_plates = [], 0, 0, 0
    prefer = capture.camera.zone if capture.camera_id else None
    signs = capture.camera.writing_not_plates() if capture.camera_id else {}
    floor = settings.DEARJOHN["INTAKE"]["MIN_READ_CONFIDENCE"]
    for result, offset, crop in found:
        if result.confidence < floor:
            unsure += 1
            continue
        if plate_key(result.text) in signs:
            not_plates += 1
            continue
        when = capture.taken_at + timedelta(seconds=offset or 0)
        zone = zones.zone_at(capture.latitude, capture.longitude, when, prefer=prefer)
        if zone is None:
            outside += 1
        else:
            kept.append((result, offset, crop, zone, when))
    lap("database")
    # Crop files have fixed names, so writing them before the transaction is
    # safe: a reading that dies here is redone and overwrites them.
    crop_paths = []
    for index, (_, _, crop, _, _) in enumerate(kept):
        crop_paths.append(store.crop_path(capture.sha256, index) if crop else "")
        if crop:
            store.write_derived(crop_paths[-1], crop)
    lap("crops")

    with transaction.atomic():
        capture = Capture.objects.select_for_update().get(pk=capture.pk)
        if capture.status == Capture.Status.READ:  # another worker finished it meanwhile
            return {"capture": capture.pk, "skipped": "already read"}
        capture.plate_reads.all().delete()
        for (result, offset, _, zone, when), crop_rel in zip(kept, crop_paths):
            read = PlateRead.objects.create(
                capture=capture, text=result.text[:12], state=(result.state or "")[:2], confidence=float(result.confidence),
                candidates=[{"text": c.text, "confidence": round(float(c.confidence), 4)} for c in result.candidates],
                box=result.box.as_list(), frame_time_s=offset, crop_path=crop_rel, engine=engine_name(),
            )
            if capture.usable_as_evidence:
                Sighting.objects.create(plate_read=read, zone=zone, seen_at=when,
                                        latitude=capture.latitude, longitude=capture.longitude)
        capture.status = Capture.Status.READ
        capture.status_detail = ""
        capture.reads_outside_zones = outside
        capture.reads_too_unsure = unsure
        capture.reads_not_plates = not_plates
        capture.read_at = timezone.now()
        capture.save(update_fields=["status", "status_detail", "reads_outside_zones", "reads_too_unsure", "reads_not_plates", "read_at"])
    lap("database")
    return {"capture": capture.pk, "reads": len(kept), "outside_zones": outside, "too_unsure": unsure, "not_plates": not_plates,
            "seconds": {k: round(v, 4) for k, v in seconds.items()}}


def _fail(capture, detail):
    Capture.objects.filter(pk=capture.pk).update(status=Capture.Status.FAILED, status_detail=detail[:300])
    return {"capture": capture.pk, "failed": detail}


def _read_image(reader, path, lap):
    results = reader.read(str(path))
    lap("plate_engine")
    if not results:
        return []
    with Image.open(path) as im:
        picture = upright_rgb(im)
    return [(r, None, _crop(picture, r.box)) for r in results]


def _read_video(reader, path):
    import cv2

    results = reader.read_video(str(path))
    out = []
    cap = cv2.VideoCapture(str(path))
    try:
        for r in results:
            cap.set(cv2.CAP_PROP_POS_FRAMES, r.best_frame)
            ok, frame = cap.read()
            crop = _crop(Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)), r.box) if ok else b""
            out.append((r, float(r.best_s), crop))
    finally:
        cap.release()
    return out


def _crop(image, box):
    """JPEG of the plate with a margin, so a reviewer sees the plate and a little of the car around it."""
    mx, my = int(box.w * CROP_MARGIN) + 4, int(box.h * CROP_MARGIN) + 4
    left, top = max(0, box.x - mx), max(0, box.y - my)
    right, bottom = min(image.width, box.x + box.w + mx), min(image.height, box.y + box.h + my)
    if right <= left or bottom <= top:
        return b""
    buf = io.BytesIO()
    image.crop((left, top, right, bottom)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def make_sightings(capture):
    """Sightings for a capture's stored reads that have none (after an officer verifies a public submission)."""
    made = 0
    with transaction.atomic():
        for read in capture.plate_reads.filter(sighting__isnull=True):
            when = capture.taken_at + timedelta(seconds=read.frame_time_s or 0)
            zone = zones.zone_at(capture.latitude, capture.longitude, when)
            if zone is not None:
                Sighting.objects.create(plate_read=read, zone=zone, seen_at=when,
                                        latitude=capture.latitude, longitude=capture.longitude)
                made += 1
    return made


def verify(capture, user, request=None):
    """An officer's word that a public submission may be used as evidence; checks the file first."""
    store.verified_path(capture)
    capture.verified_by, capture.verified_at = user, timezone.now()
    capture.save(update_fields=["verified_by", "verified_at"])
    made = make_sightings(capture)
    audit("capture.verified", user=user, obj=capture, request=request, sightings=made)
    return made
