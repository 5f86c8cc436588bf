"""Backup, then restore into a fresh data dir and database in another process: same records, same files."""

import io
import json
import os
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from dearjohn.oversight.audit import record
from dearjohn.oversight.backup import excluded_labels, restore, verify
from dearjohn.oversight.errors import OversightError
from dearjohn.oversight.models import Agency
from tests import factories
from tests.conftest import make_user

DEARJOHN = str(Path(sys.executable).with_name("dearjohn"))


def objects(dump):
    """The dumped records as comparable items, without the restore's own audit entry."""
    items = []
    for obj in json.loads(dump):
        if obj["model"] == "oversight.auditevent" and obj["fields"]["action"] == "backup.restore":
            continue
        items.append(json.dumps(obj, sort_keys=True))
    return sorted(items)


def fresh_env(data_dir):
    env = dict(os.environ, DEARJOHN_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dearjohn.site.settings",
               DEARJOHN_DATABASE_URL=f"sqlite:///{data_dir}/restored.sqlite3")
    env.pop("DEARJOHN_ENCRYPTION_KEY_FILE", None)
    return env


@pytest.fixture
def program(db):
    reviewer = make_user("Reviewer")
    sighting = factories.sighting("7BKP100")
    capture = sighting.plate_read.capture
    original = settings.EVIDENCE_ROOT / "originals" / capture.sha256[:2] / capture.sha256[2:4] / capture.sha256
    original.parent.mkdir(parents=True, exist_ok=True)
    original.write_bytes(os.urandom(4096))
    factories.case(sightings=[sighting], plate="7BKP100", legal_hold=True)
    factories.registration("7BKP100", owner_name="Rowan Brightwater")
    factories.owner_lookup(reviewer, plate="7BKP100", case_number="C-1")
    agency = Agency.objects.create(name="Oakland Police Department", jurisdiction="City of Oakland")
    # Within a millisecond of a whole second: a dump cut to milliseconds would restore it as a whole second.
    Agency.objects.filter(pk=agency.pk).update(added_at=datetime(2026, 3, 1, 9, 30, 0, 512, tzinfo=UTC))
    record("case.view", user=reviewer, purpose="backup test")
    return original


def test_backup_then_restore_gives_identical_records_and_files(program, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    manifest = verify(archive)
    assert manifest["records"]["evidence.sighting"] >= 1 and manifest["records"]["vehicles.registration"] >= 1
    member = "files/" + program.relative_to(settings.DATA_DIR).as_posix()
    assert member in manifest["files"]

    target = tmp_path / "fresh"
    target.mkdir()
    env = fresh_env(target)
    done = subprocess.run([DEARJOHN, "restore", str(archive)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "verified" in done.stdout

    dumped = subprocess.run([DEARJOHN, "dumpdata", "--format", "exactjson", "--natural-foreign", "--natural-primary",
                             *[arg for model in excluded_labels() for arg in ("-e", model)]],
                            env=env, capture_output=True, text=True, timeout=300)
    assert dumped.returncode == 0, dumped.stderr
    with tarfile.open(archive) as tar:
        original_dump = tar.extractfile("db.json").read().decode()
    assert objects(dumped.stdout) == objects(original_dump)
    assert "Rowan Brightwater" in dumped.stdout, "owner data reads back with the restored keys"

    for name in manifest["files"]:
        if name.startswith("files/"):
            relative = name[len("files/"):]
            assert (target / relative).read_bytes() == (settings.DATA_DIR / relative).read_bytes(), relative


def test_a_damaged_backup_is_refused(program, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == "db.json":
                data = data.replace(b"7BKP100", b"7BKP101")
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(OversightError, match="does not match its hash"):
        verify(damaged)


def test_restore_refuses_a_database_in_use(program, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(OversightError, match="already has"):
        restore(archive)
