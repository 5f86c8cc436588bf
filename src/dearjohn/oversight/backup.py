"""Backup and restore: the database, the evidence store and every other file in the data dir, in one tar.

The database goes in as Django's own JSON dump with natural keys, so the same
backup restores onto SQLite or PostgreSQL whichever it came from. The tar's
manifest lists the SHA-256 of every member and the number of records of every
model; restore checks both before and after it writes anything.

The backup holds the secret key and whatever keys the data dir keeps: store
it as carefully as the database itself.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from .audit import record
from .errors import OversightError

FORMAT = 1
# Rebuilt by `migrate`, or not worth restoring (sessions, queued jobs).
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions", "django_tasks_database", "axes"]
# Data-dir paths a backup leaves out: the database itself, caches, half-received uploads.
SKIPPED = ("static", "evidence/incoming")
CHUNK = 1024 * 1024


def _data_dir():
    return Path(settings.DATA_DIR).resolve()


def _is_database_file(path):
    name = settings.DATABASES["default"].get("NAME")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" or not name:
        return False
    db = Path(str(name)).resolve()
    return path in {db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), db.with_name(db.name + "-journal")}


def data_files(exclude=()):
    """Files in the data dir a backup carries, as (absolute path, member name)."""
    root = _data_dir()
    excluded = {Path(p).resolve() for p in exclude}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        dirnames[:] = sorted(d for d in dirnames if (f"{rel_dir}/{d}" if rel_dir != "." else d) not in SKIPPED)
        for name in sorted(filenames):
            path = Path(dirpath, name).resolve()
            if _is_database_file(path) or path in excluded:
                continue
            yield path, "files/" + path.relative_to(root).as_posix()


def record_counts():
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed or _excluded(label):
            continue
        counts[label] = model._base_manager.count()
    return dict(sorted(counts.items()))


def _excluded(label):
    app = label.split(".")[0]
    return label in EXCLUDED_MODELS or app in EXCLUDED_MODELS


def excluded_labels():
    """What the dump leaves out: EXCLUDED_MODELS and models without a table of their own."""
    unmanaged = [m._meta.label for m in apps.get_models() if not m._meta.managed]
    return EXCLUDED_MODELS + unmanaged


def dump_database():
    out = io.StringIO()
    call_command("dumpdata", natural_foreign=True, natural_primary=True, exclude=excluded_labels(),
                 format="exactjson", indent=None, stdout=out)
    return out.getvalue().encode()


@contextmanager
def snapshot():
    """On PostgreSQL, dump and count inside one repeatable-read snapshot, so a busy server gives a consistent backup.

    SQLite has no such mode without locking writers out for the whole dump;
    there, take backups when intake is quiet (e.g. beside the nightly purge).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def backup(target, user=None):
    """Write the backup tar to `target`; returns the manifest."""
    target = Path(target).resolve()
    with snapshot():
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "database": connection.vendor,
                    "records": record_counts(), "files": {}}
        db = dump_database()
    manifest["files"]["db.json"] = hashlib.sha256(db).hexdigest()
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        _add_bytes(tar, "db.json", db)
        for path, member in data_files(exclude=[target, partial]):
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
            manifest["files"][member] = digest.hexdigest()
            tar.add(path, arcname=member, recursive=False)
        _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
    os.replace(partial, target)
    record("backup.create", user=user, files=len(manifest["files"]) - 1, records=sum(manifest["records"].values()))
    return manifest


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def read_manifest(tar):
    try:
        return json.load(tar.extractfile("manifest.json"))
    except KeyError:
        raise OversightError("this file is not a Dear John backup (no manifest.json)") from None


def _safe_member(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not (name == "db.json" or name.startswith("files/")):
        raise OversightError(f"the backup holds an unexpected member {name!r}; refusing to restore it")
    return path


def verify(path):
    """Check every member against the manifest's hash; returns the manifest."""
    with tarfile.open(path, "r:gz") as tar:
        manifest = read_manifest(tar)
        if manifest.get("format") != FORMAT:
            raise OversightError(f"backup format {manifest.get('format')} is not one this version restores ({FORMAT})")
        seen = set()
        for member in tar:
            if member.name == "manifest.json":
                continue
            _safe_member(member.name)
            if not member.isfile():
                raise OversightError(f"backup member {member.name!r} is not a regular file")
            digest = hashlib.sha256()
            f = tar.extractfile(member)
            while chunk := f.read(CHUNK):
                digest.update(chunk)
            if manifest["files"].get(member.name) != digest.hexdigest():
                raise OversightError(f"backup member {member.name!r} does not match its hash: the file is damaged")
            seen.add(member.name)
        missing = set(manifest["files"]) - seen
        if missing:
            raise OversightError(f"the backup lacks {len(missing)} file(s) its manifest lists, e.g. {sorted(missing)[0]}")
    return manifest


def check_empty():
    """Restore only onto a fresh install: a database never migrated, a data dir without evidence or media."""
    tables = connection.introspection.table_names()
    if tables:
        raise OversightError(f"the database already has {len(tables)} table(s); restore into a new, empty database "
                             "(PostgreSQL: createdb; SQLite: a new data dir) before running migrate")
    # Top-level files are keys a fresh install generates on first use; the backup's replace them.
    extra = [member for _, member in data_files() if "/" in member[len("files/"):]]
    if extra:
        raise OversightError(f"the data dir {_data_dir()} already holds files (e.g. {extra[0][6:]}); restore into an empty one")


def _extract(tar, member, root):
    relative = _safe_member(member.name).relative_to("files")
    target = (root / relative).resolve()
    if root not in target.parents:
        raise OversightError(f"backup member {member.name!r} points outside the data dir")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.chmod(target, 0o600)
    with tar.extractfile(member) as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    os.chmod(target, member.mode & 0o777)


def _reload_keys():
    """Make the owner-data keyring read the restored key file now, not within the second."""
    from dearjohn.site.crypto import keyring

    keyring.fernet(force=True)


def restore(path, user=None):
    """Restore a backup onto an empty data dir and database, then check hashes and record counts."""
    manifest = verify(path)
    check_empty()
    root = _data_dir()
    with tarfile.open(path, "r:gz") as tar:
        # Files first: the key files among them must be in place before
        # loaddata encrypts owner data with whatever keys it finds.
        for member in tar:
            if member.name.startswith("files/"):
                _extract(tar, member, root)
        _reload_keys()
        call_command("migrate", interactive=False, verbosity=0)
        with tempfile.TemporaryDirectory(dir=root) as scratch:
            db_path = Path(scratch) / "db.json"
            db_path.write_bytes(tar.extractfile("db.json").read())
            call_command("loaddata", str(db_path), verbosity=0)

    problems = []
    for member, expected in manifest["files"].items():
        if member == "db.json":
            continue
        digest = hashlib.sha256((root / member[len("files/"):]).read_bytes()).hexdigest()
        if digest != expected:
            problems.append(member)
    counts = record_counts()
    mismatched = [label for label, n in manifest["records"].items() if counts.get(label) != n]
    if problems or mismatched:
        raise OversightError(f"restore finished but does not match the backup: files {problems[:3]}, records {mismatched[:3]}")
    record("backup.restore", user=user, records=sum(counts.values()), files=len(manifest["files"]) - 1,
           backup_created_at=manifest["created_at"])
    return manifest, Counter(counts)
