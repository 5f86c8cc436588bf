"""The retention purge, with the clock walked forward through every period's boundary."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from dearjohn.cases.models import Case
from dearjohn.evidence.models import Capture, PlateRead, Sighting, SourceKind
from dearjohn.letters.models import Letter, Response
from dearjohn.oversight.audit import record
from dearjohn.oversight.models import AppendOnlyError, AuditEvent
from dearjohn.oversight.retention import purge
from dearjohn.vehicles.models import OwnerLookup
from tests import factories
from tests.conftest import make_user

DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


def with_files(sighting):
    """Give a sighting's capture an original and a crop on disk, as the evidence store lays them out."""
    capture = sighting.plate_read.capture
    root = Path(settings.EVIDENCE_ROOT)
    original = root / "originals" / capture.sha256[:2] / capture.sha256[2:4] / capture.sha256
    crop = root / "crops" / capture.sha256[:2] / capture.sha256 / "1.jpg"
    for path in (original, crop):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"fictitious image bytes")
    Capture.objects.filter(pk=capture.pk).update(stored_path=str(original.relative_to(root)))
    PlateRead.objects.filter(pk=sighting.plate_read.pk).update(crop_path=str(crop.relative_to(root)))
    return original, crop


@pytest.fixture
def program(db):
    """One record of each kind, all made now."""
    start = timezone.now()
    reviewer = make_user("Reviewer")
    loose = factories.sighting("7AAA111", seen_at=start)
    in_open = factories.sighting("7BBB222", seen_at=start)
    in_qualifying = factories.sighting("7CCC333", seen_at=start)
    in_held = factories.sighting("7DDD444", seen_at=start)
    in_lettered = factories.sighting("7EEE555", seen_at=start)
    files = {"loose": with_files(loose), "held": with_files(in_held)}
    open_case = factories.case(sightings=[in_open], plate="7BBB222")
    qualifying = factories.case(sightings=[in_qualifying], status=Case.Status.QUALIFYING, plate="7CCC333")
    held = factories.case(sightings=[in_held], status=Case.Status.OPEN, legal_hold=True, plate="7DDD444")
    lettered = factories.case(sightings=[in_lettered], status=Case.Status.LETTERED, plate="7EEE555")
    letter = factories.letter_for(lettered, mailed_at=start)
    factories.response(letter, decision=Response.Decision.WITHDRAWN, decided_at=start)
    public = factories.capture(source_kind=SourceKind.PUBLIC)
    factories.owner_lookup(reviewer, plate="7DDD444", case_number=held.number)
    factories.owner_lookup(reviewer, plate="7BBB222", case_number=open_case.number)
    record("case.view", user=reviewer, obj=held, purpose="legal hold review")
    record("case.view", user=reviewer, obj=open_case, purpose="review")
    return {"start": start, "loose": loose, "in_open": in_open, "in_qualifying": in_qualifying, "in_held": in_held,
            "in_lettered": in_lettered, "open_case": open_case, "qualifying": qualifying, "held": held,
            "lettered": lettered, "public": public, "files": files}


def exists(obj):
    return type(obj).objects.filter(pk=obj.pk).exists()


def walk(program, days, **kwargs):
    return purge(now=program["start"] + timedelta(days=days), **kwargs)


def test_public_submissions_go_after_14_days(program):
    walk(program, 14 - 1 / 1440)
    assert exists(program["public"])
    walk(program, 14 + 1 / 1440)
    assert not exists(program["public"])
    assert exists(program["loose"])


def test_loose_and_unqualified_sightings_go_after_60_days_with_their_files(program):
    walk(program, 60 - 1 / 1440)
    assert Sighting.objects.count() == 5
    result = walk(program, 60 + 1 / 1440)
    assert not exists(program["loose"]) and not exists(program["in_open"])
    assert not exists(program["loose"].plate_read.capture)
    assert not any(path.exists() for path in program["files"]["loose"])
    assert all(path.exists() for path in program["files"]["held"])
    assert exists(program["in_qualifying"]) and exists(program["in_held"]) and exists(program["in_lettered"])
    assert exists(program["open_case"]), "the case itself lives on until its own period ends"
    assert result.counts["sightings"] == 2 and result.counts["files"] == 2


def test_a_cameras_word_to_forget_a_text_goes_with_the_sightings_it_set_aside(program):
    from dearjohn.evidence.models import Camera, ForgottenWriting

    camera = Camera.objects.create(name="Capp & 20th", latitude=1, longitude=1)
    word = ForgottenWriting.objects.create(camera=camera, plate_key="7AAA111", forgotten_by=make_user("Supervisor"),
                                           forgotten_at=program["start"])
    walk(program, 60 - 1 / 1440)
    assert exists(word)
    assert walk(program, 60 + 1 / 1440).counts["forgotten_writing"] == 1
    assert not exists(word) and exists(camera)


def test_cases_without_letters_go_after_180_days_taking_their_sightings(program):
    walk(program, 180 - 1 / 1440)
    assert exists(program["qualifying"]) and exists(program["in_qualifying"])
    walk(program, 180 + 1 / 1440)
    assert not exists(program["open_case"]) and not exists(program["qualifying"])
    assert not exists(program["in_qualifying"])
    assert exists(program["lettered"]) and exists(program["held"])


def test_lettered_cases_go_two_years_after_their_last_activity(program):
    walk(program, 730 - 1 / 1440)
    assert exists(program["lettered"]) and Letter.objects.count() == 1
    walk(program, 730 + 1 / 1440)
    assert not exists(program["lettered"]) and not exists(program["in_lettered"])
    assert Letter.objects.count() == 0 and Response.objects.count() == 0


def test_legal_hold_keeps_the_case_and_everything_it_relies_on(program):
    walk(program, 5000)
    assert exists(program["held"]) and exists(program["in_held"])
    assert all(path.exists() for path in program["files"]["held"])
    assert list(OwnerLookup.objects.values_list("case_number", flat=True)) == [program["held"].number]
    assert set(AuditEvent.objects.exclude(action="retention.purge").values_list("object_label", flat=True)) == {program["held"].number}
    assert Case.objects.count() == 1 and Sighting.objects.count() == 1


def test_lifting_the_hold_lets_the_case_go(program):
    Case.objects.filter(pk=program["held"].pk).update(legal_hold=False)
    walk(program, 181)
    assert not exists(program["held"]) and not exists(program["in_held"])


def test_the_audit_log_keeps_its_own_period(program):
    walk(program, 1095 - 1 / 1440)
    assert AuditEvent.objects.filter(action="case.view").count() == 2
    walk(program, 1095 + 1 / 1440)
    assert AuditEvent.objects.filter(action="case.view").count() == 1, "only the held case's entry stays"


def test_a_dry_run_counts_the_same_and_changes_nothing(program):
    before = (Sighting.objects.count(), Case.objects.count(), Capture.objects.count(), AuditEvent.objects.count())
    planned = walk(program, 181, dry_run=True)
    assert (Sighting.objects.count(), Case.objects.count(), Capture.objects.count(), AuditEvent.objects.count()) == before
    done = walk(program, 181)
    assert planned.counts == done.counts
    assert done.counts["cases"] == 2 and done.counts["sightings"] == 3


def test_it_logs_counts_and_years_not_contents(program):
    walk(program, 181)
    entry = AuditEvent.objects.get(action="retention.purge")
    year = str(timezone.localtime(program["start"]).year)
    assert entry.detail["counts"]["cases"] == 2
    assert entry.detail["destroyed_by_year"]["sightings"] == {year: 3}
    assert entry.detail["destroyed_by_year"]["captures"] == {year: 4}
    text = json.dumps(entry.detail)
    assert "7AAA111" not in text and "7BBB222" not in text and program["open_case"].number not in text


def test_retention_periods_come_from_settings(program, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "RETENTION_DAYS": {**settings.DEARJOHN["RETENTION_DAYS"], "sightings": 5}}
    walk(program, 6)
    assert not exists(program["loose"])


def test_the_command_reports_counts(program, capsys):
    when = (program["start"] + timedelta(days=61)).isoformat()
    call_command("purge", "--dry-run", "--now", when)
    assert "would destroy" in capsys.readouterr().out and exists(program["loose"])
    call_command("purge", "--now", when)
    out = capsys.readouterr().out
    assert "destroyed" in out and "2 sightings" in out and not exists(program["loose"])


@pytest.mark.django_db
def test_normal_delete_paths_stay_refused_after_a_purge():
    record("test.action")
    purge()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.first().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(purpose="x")


def test_a_print_batch_and_its_files_go_with_its_last_letter(program, settings):
    from dearjohn.letters.models import PrintBatch

    out = settings.DEARJOHN["LETTERS"]["OUTPUT_DIR"] / "batches"
    out.mkdir(parents=True, exist_ok=True)
    (out / "purge-test.pdf").write_bytes(b"%PDF fictitious")
    (out / "purge-test.csv").write_text("reference\n")
    batch = PrintBatch.objects.create(name="purge-test", pdf_path="batches/purge-test.pdf", manifest_path="batches/purge-test.csv")
    Letter.objects.filter(case=program["lettered"]).update(batch=batch)
    assert walk(program, 731, dry_run=True).counts["print_batches"] == 1
    walk(program, 729)
    assert exists(batch) and (out / "purge-test.pdf").exists()
    walk(program, 731)
    assert not exists(batch) and not (out / "purge-test.pdf").exists() and not (out / "purge-test.csv").exists()
