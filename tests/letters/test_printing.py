"""Print batches: one PDF in mailing order plus a manifest, never anything twice; then mailed, delivered, returned."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from dearjohn.cases.models import Case
from dearjohn.letters import printing
from dearjohn.letters.errors import LetterError
from dearjohn.letters.models import Letter, Suppression
from dearjohn.oversight.models import AuditEvent
from dearjohn.vehicles.models import OwnerLookup, Registration
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return make_user("Supervisor")


def test_a_batch_prints_every_approved_letter_once_in_zip_order(letter_output, supervisor):
    north = factories.approved_letter(plate="7AAA111", zip_code="94612")
    south = factories.approved_letter(plate="7BBB222", zip_code="94110", owner_name="Casey Brightwater")
    result = printing.print_batch("monday", user=supervisor)
    assert result.batch.letter_count == 2 and result.skipped == ()
    pdf = printing.read_batch_file("batches/monday.pdf")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert [south.reference in pages[0].extract_text(), north.reference in pages[1].extract_text()] == [True, True]
    rows = list(csv.DictReader(io.StringIO(printing.read_batch_file("batches/monday.csv").decode())))
    assert [r["reference"] for r in rows] == [south.reference, north.reference]
    assert rows[0]["zip"] == "94110" and rows[0]["template_version"] == "1"
    assert set(Letter.objects.values_list("status", flat=True)) == {"printed"}
    assert AuditEvent.objects.filter(action="letter.printed").count() == 2


def test_printing_again_prints_nothing_twice(letter_output, supervisor):
    factories.approved_letter()
    printing.print_batch("first-run", user=supervisor)
    assert printing.print_batch("second-run", user=supervisor).batch is None
    with pytest.raises(LetterError, match="already printed"):
        printing.print_batch("first-run", user=supervisor)
    assert Letter.objects.get().batch.name == "first-run"


def test_a_letter_suppressed_or_withdrawn_after_approval_is_not_printed(letter_output, supervisor):
    factories.approved_letter(plate="7AAA111")
    withdrawn = factories.approved_letter(plate="7BBB222")
    Suppression.objects.create(state="CA", plate_key="7AAA111", reason="legal review")
    Case.objects.filter(pk=withdrawn.case_id).update(status=Case.Status.WITHDRAWN)
    result = printing.print_batch("b", user=supervisor)
    assert result.batch is None and len(result.skipped) == 2
    assert set(Letter.objects.values_list("status", flat=True)) == {"cancelled"}


def test_a_stale_owner_lookup_is_repeated_before_printing(letter_output, supervisor):
    letter = factories.approved_letter()
    OwnerLookup.objects.filter(pk=letter.case.owner_lookup_id).update(looked_up_at=timezone.now() - timedelta(days=90))
    result = printing.print_batch("b", user=supervisor)
    assert result.batch.letter_count == 1
    fresh = OwnerLookup.objects.filter(purpose=OwnerLookup.Purpose.PRE_PRINT_RECHECK)
    assert fresh.count() == 1 and fresh.get().user == supervisor


def test_a_letter_whose_owner_changed_since_approval_is_cancelled(letter_output, supervisor):
    letter = factories.approved_letter()
    OwnerLookup.objects.filter(pk=letter.case.owner_lookup_id).update(looked_up_at=timezone.now() - timedelta(days=90))
    Registration.objects.filter(pk=letter.case.registration_id).update(owner_name="Someone Newowner")
    result = printing.print_batch("b", user=supervisor)
    assert result.batch is None and "changed" in result.skipped[0][1]
    assert Letter.objects.get().status == Letter.Status.CANCELLED


def test_a_stale_lookup_without_a_person_to_repeat_it_waits(letter_output):
    letter = factories.approved_letter()
    OwnerLookup.objects.filter(pk=letter.case.owner_lookup_id).update(looked_up_at=timezone.now() - timedelta(days=90))
    result = printing.print_batch("b", user=None)
    assert result.batch is None and "out of date" in result.skipped[0][1]
    assert Letter.objects.get().status == Letter.Status.APPROVED


def vehicle_photos(relative):
    """The photographs on page one (JPEG; the QR code is a PNG)."""
    pdf = PdfReader(io.BytesIO(printing.read_batch_file(relative)))
    return [im.image for im in pdf.pages[0].images if im.image.format == "JPEG"]


def test_the_letter_shows_the_redacted_vehicle_photo(letter_output, supervisor, settings):
    factories.approved_letter(with_photo=True)
    printing.print_batch("b", user=supervisor)
    photos = vehicle_photos("batches/b.pdf")
    assert len(photos) == 1 and max(photos[0].size) <= 480


def test_without_the_photo_setting_no_image_is_printed(letter_output, supervisor, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "LETTERS": {**settings.DEARJOHN["LETTERS"], "VEHICLE_IMAGE": False}}
    factories.approved_letter(with_photo=True)
    printing.print_batch("b", user=supervisor)
    assert vehicle_photos("batches/b.pdf") == []


def test_marking_a_batch_mailed_updates_letters_and_cases(letter_output, supervisor):
    letter = factories.approved_letter()
    batch = printing.print_batch("b", user=supervisor).batch
    assert printing.mark_mailed(batch, supervisor) == 1
    letter.refresh_from_db()
    assert letter.status == Letter.Status.MAILED and letter.mailed_at is not None
    assert Case.objects.get(pk=letter.case_id).status == Case.Status.LETTERED
    with pytest.raises(LetterError, match="no printed letters"):
        printing.mark_mailed(batch, supervisor)


def test_the_mail_log_takes_a_typed_reference_or_the_scanned_qr_url(letter_output, supervisor):
    letter = factories.approved_letter()
    printing.mark_mailed(printing.print_batch("b", user=supervisor).batch, supervisor)
    typed = letter.reference.lower().replace("-", " ")
    assert printing.record_delivery(typed, "delivered", supervisor).status == Letter.Status.DELIVERED
    scanned = f"https://letters.example.org/r/{letter.reference}"
    assert printing.record_delivery(scanned, "returned", supervisor).status == Letter.Status.RETURNED
    assert AuditEvent.objects.filter(action="letter.returned", object_id=str(letter.pk)).exists()
    with pytest.raises(LetterError, match="No letter"):
        printing.record_delivery("22222-33333-44444", "returned", supervisor)


class Killed(BaseException):
    """Stands in for the process dying: not an Exception, so nothing in print_batch catches it."""


def interrupted_print(monkeypatch, name, user):
    def die(*args, **kwargs):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(printing.render, "render_pdf", die)
        with pytest.raises(Killed):
            printing.print_batch(name, user=user)


def test_an_interrupted_print_keeps_its_letters_and_is_finished_by_printing_the_same_name(letter_output, supervisor, monkeypatch):
    letters = [factories.approved_letter(plate=f"7KIL{n:03d}", zip_code=f"9411{n}") for n in range(3)]
    interrupted_print(monkeypatch, "friday", supervisor)
    batch = Letter.objects.get(pk=letters[0].pk).batch
    assert batch.name == "friday" and not batch.is_finished
    assert set(Letter.objects.values_list("status", flat=True)) == {"printed"}
    assert not (letter_output / "batches" / "friday.pdf").exists()
    assert printing.print_batch("saturday", user=supervisor).batch is None  # nothing printed twice
    with pytest.raises(LetterError, match="interrupted"):
        printing.mark_mailed(batch, supervisor)

    finished = printing.print_batch("friday", user=supervisor).batch
    assert finished.pk == batch.pk and finished.is_finished
    pdf = printing.read_batch_file("batches/friday.pdf")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert [any(letter.reference in page.extract_text() for page in pages) for letter in letters] == [True] * 3
    assert len(pages) == 3
    assert AuditEvent.objects.filter(action="letters.batch_printed", detail__resumed=True).count() == 1
    assert printing.mark_mailed(finished, supervisor) == 3
    with pytest.raises(LetterError, match="already printed"):
        printing.print_batch("friday", user=supervisor)


def test_batch_files_are_written_whole_or_not_at_all(letter_output, supervisor, monkeypatch):
    factories.approved_letter()
    real_replace = printing.os.replace
    moved = []

    def replace_then_die(source, target):
        if moved:
            raise Killed  # dies after the manifest, before the PDF is moved into place
        moved.append(target)
        real_replace(source, target)

    monkeypatch.setattr(printing.os, "replace", replace_then_die)
    with pytest.raises(Killed):
        printing.print_batch("halfway", user=supervisor)
    monkeypatch.undo()
    files = sorted(p.name for p in (letter_output / "batches").iterdir() if not p.name.startswith("."))
    assert files == ["halfway.csv"]  # no half PDF under the batch's name
    assert printing.print_batch("halfway", user=supervisor).batch.is_finished
    assert printing.read_batch_file("batches/halfway.pdf").startswith(b"%PDF")


def test_batch_files_on_disk_are_encrypted(letter_output, supervisor):
    factories.approved_letter(owner_name="Casey Brightwater", zip_code="94110")
    printing.print_batch("sealed", user=supervisor)
    for name in ("sealed.pdf", "sealed.csv"):
        on_disk = (letter_output / "batches" / name).read_bytes()
        assert not on_disk.startswith(b"%PDF") and b"BRIGHTWATER" not in on_disk.upper() and b"94110" not in on_disk
    assert b"CASEY BRIGHTWATER" in printing.read_batch_file("batches/sealed.csv").upper()
    assert printing.read_batch_file("batches/sealed.pdf").startswith(b"%PDF")


def test_batch_files_written_before_encryption_still_open(letter_output):
    printing.output_dir()
    (letter_output / "batches" / "old.csv").write_bytes(b"sequence,reference\n1,DJ-OLD\n")
    assert printing.read_batch_file("batches/old.csv") == b"sequence,reference\n1,DJ-OLD\n"
