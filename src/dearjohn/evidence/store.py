"""The evidence store: each original file kept once, named by its SHA-256, never modified.

Layout under settings.EVIDENCE_ROOT:
  originals/ab/cd/<sha256>   the files exactly as received (read-only)
  crops/ab/<sha256>/<n>.jpg  plate crops made from them (derived, may be redone)
  incoming/                  files being received, before they are checked
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .errors import IntegrityFailure

CHUNK = 1024 * 1024


def root():
    return Path(settings.EVIDENCE_ROOT)


def relative_path(sha256):
    return f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def absolute(relative):
    path = (root() / relative).resolve()
    if root().resolve() not in path.parents:
        raise ValueError(f"{relative!r} is outside the evidence store")
    return path


def incoming_file():
    """An open temporary file on the store's disk, so keeping it is a rename, not a copy."""
    folder = root() / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return tempfile.NamedTemporaryFile(dir=folder, prefix="in-", delete=False)


def keep(temp_path, sha256):
    """Move a checked incoming file to its content address; the same bytes already kept stay untouched."""
    final = root() / relative_path(sha256)
    if final.exists():
        os.unlink(temp_path)
        return relative_path(sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(temp_path, 0o444)
    os.replace(temp_path, final)
    return relative_path(sha256)


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verified_path(capture):
    """The capture's original, after checking it still has the hash it arrived with.

    Every use of a file as evidence goes through here. A mismatch (or a missing
    file) flags the capture for good and raises IntegrityFailure.
    """
    path = absolute(capture.stored_path)
    actual = file_sha256(path) if path.exists() else None
    if actual == capture.sha256 and not capture.integrity_failed_at:
        return path
    if not capture.integrity_failed_at:
        from dearjohn.oversight.audit import record

        capture.integrity_failed_at = timezone.now()
        type(capture).objects.filter(pk=capture.pk).update(integrity_failed_at=capture.integrity_failed_at)
        record("capture.integrity_failed", obj=capture, expected=capture.sha256, found=actual or "missing file")
    raise IntegrityFailure(
        f"The stored file of capture {capture.pk} no longer matches its SHA-256 fingerprint; "
        "it cannot be used as evidence."
    )


def crop_path(sha256, index):
    return f"crops/{sha256[:2]}/{sha256}/{index}.jpg"


def write_derived(relative, data):
    path = root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
