"""Print batches and the mail log: approved letters into one PDF in mailing order, then mailed, delivered or returned.

Printing claims the batch's letters (APPROVED → PRINTED) in one short
transaction that locks their rows, and renders after it commits; a second run,
or a run racing this one, finds nothing approved and prints nothing twice. If
rendering fails the claim is undone. If the process dies while rendering, the
batch stays unfinished (no PDF checksum, no files or only whole ones: files are
written beside and renamed into place); printing the same batch name again
finishes it with the same letters, and the batch cannot be marked mailed before.
"""

import csv
import hashlib
import io
import logging
import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dearjohn.cases.models import Case
from dearjohn.oversight.audit import record
from dearjohn.site import crypto

from . import drafting, render
from .errors import LetterError
from .models import Letter, PrintBatch
from .references import clean_reference

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintResult:
    batch: PrintBatch | None
    skipped: tuple  # (letter reference, why) for approved letters left out of this batch


def output_dir():
    path = settings.DEARJOHN["LETTERS"]["OUTPUT_DIR"] / "batches"
    path.mkdir(parents=True, exist_ok=True)
    return path


def batch_file(relative):
    return settings.DEARJOHN["LETTERS"]["OUTPUT_DIR"] / relative


def default_batch_name(now=None):
    now = timezone.localtime(now or timezone.now())
    stem = f"{now:%Y-%m-%d}"
    taken = set(PrintBatch.objects.filter(name__startswith=stem).values_list("name", flat=True))
    n = 1
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def _refresh_owners(letters, user, request):
    """Repeat stale owner lookups before printing; a changed owner or vehicle stops the letter."""
    from dearjohn.vehicles.models import VehiclesError
    from dearjohn.vehicles.lookup import ensure_fresh

    skipped = []
    for letter in letters:
        if letter.kind not in drafting.NOTICES:
            continue
        try:
            fresh = ensure_fresh(letter.case, user, request=request)
        except VehiclesError as e:
            skipped.append((letter.reference, f"The owner lookup is out of date and could not be repeated: {e}"))
            continue
        if not fresh.may_print:
            drafting.cancel(letter, user, "The registry changed since approval (sold, or a new owner or address): "
                                          "the case goes back to review.", request=request)
            skipped.append((letter.reference, "Cancelled: the registered owner or vehicle changed since approval."))
    return skipped


def _mailing_order(letters):
    return sorted(letters, key=lambda letter: (letter.recipient_zip, letter.recipient_name, letter.reference))


def print_batch(name=None, user=None, request=None, now=None):
    """Print every approved letter into batch `name`; PrintResult.batch is None when nothing was printed."""
    now = now or timezone.now()
    name = slugify(name or default_batch_name(now))
    if not name:
        raise LetterError("Give the batch a name made of letters, digits and dashes.")
    existing = PrintBatch.objects.filter(name=name).first()
    if existing and not existing.is_finished:
        finish_batch(existing, user=user, request=request, resumed=True)
        return PrintResult(existing, ())
    if existing:
        raise LetterError(f"Batch '{name}' was already printed on {timezone.localtime(existing.created_at):%Y-%m-%d %H:%M}; "
                          "its letters are not printed again. Download it, or choose a new name.")
    waiting = list(Letter.objects.filter(status=Letter.Status.APPROVED).select_related("case"))
    skipped = _refresh_owners(waiting, user, request)
    left_out = {ref for ref, _ in skipped}

    with transaction.atomic():
        claimed = []
        for letter in (Letter.objects.select_for_update(of=("self",)).filter(status=Letter.Status.APPROVED)
                       .select_related("case__registration", "template")):
            if letter.reference in left_out:
                continue
            if letter.kind in drafting.NOTICES:
                blockers = drafting.notice_blockers(letter.case, now, letter=letter)
                if blockers:
                    letter.status, letter.cancelled_reason = Letter.Status.CANCELLED, blockers[0][:300]
                    letter.save(update_fields=["status", "cancelled_reason"])
                    record("letter.cancelled", user=user, obj=letter, request=request, case=letter.case.number,
                           reason=blockers[0])
                    skipped.append((letter.reference, f"Cancelled: {blockers[0]}"))
                    continue
            claimed.append(letter)
        if not claimed:
            return PrintResult(None, tuple(skipped))
        claimed = _mailing_order(claimed)
        batch = PrintBatch.objects.create(name=name, created_by=user, letter_count=len(claimed),
                                          pdf_path=f"batches/{name}.pdf", manifest_path=f"batches/{name}.csv")
        Letter.objects.filter(pk__in=[letter.pk for letter in claimed]).update(
            status=Letter.Status.PRINTED, batch=batch, printed_at=now)

    try:
        finish_batch(batch, user=user, request=request)
    except Exception:
        log.exception("Rendering batch %s failed; its letters go back to approved", name)
        with transaction.atomic():
            Letter.objects.filter(batch=batch).update(status=Letter.Status.APPROVED, batch=None, printed_at=None)
            batch.delete()
        raise
    return PrintResult(batch, tuple(skipped))


def finish_batch(batch, user=None, request=None, resumed=False):
    """Render the files of a claimed batch: right after the claim, or again after a print was interrupted."""
    letters = _mailing_order(batch.letters.select_related("case__registration", "template", "about_letter"))
    write_batch_files(batch, letters)
    for letter in letters:
        record("letter.printed", user=user, obj=letter, request=request, case=letter.case.number, batch=batch.name)
    record("letters.batch_printed", user=user, obj=batch, request=request, letters=len(letters), sha256=batch.pdf_sha256,
           **({"resumed": True} if resumed else {}))


def letter_data(letter, with_image=True):
    """What `letter` prints, from what was fixed when it was drafted (plus its apology's original)."""
    earlier = letter.about_letter
    observed = letter.observed or {}
    image = vehicle_image(letter) if with_image and letter.kind in drafting.NOTICES else None
    return render.LetterData(
        kind=letter.kind, language=letter.language, reference=letter.reference,
        date=timezone.localdate(letter.printed_at or timezone.now()),
        recipient_lines=tuple(letter.address_lines), observed=observed, vehicle=observed.get("vehicle", {}),
        earlier_date=timezone.localdate(earlier.mailed_at or earlier.printed_at or earlier.drafted_at) if earlier else None,
        earlier_reference=earlier.reference if earlier and letter.kind == Letter.Kind.APOLOGY else "",
        image_jpeg=image)


def letter_pdf(letter):
    return render.render_pdf([(letter.template.html, letter_data(letter))], title=f"Letter {letter.reference}")


def write_batch_files(batch, letters):
    """The batch's PDF and mailing manifest, encrypted with the owner-data keys: both hold names and addresses."""
    pdf = render.render_pdf([(letter.template.html, letter_data(letter)) for letter in letters],
                            title=f"Letters batch {batch.name}")
    output_dir()
    write_whole(batch_file(batch.manifest_path), crypto.encrypt_bytes(manifest_csv(letters).encode("utf-8")))
    write_whole(batch_file(batch.pdf_path), crypto.encrypt_bytes(pdf))
    batch.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    batch.save(update_fields=["pdf_sha256"])


def read_batch_file(relative):
    """A batch file's content, decrypted. Files written before batch files were encrypted are read as they are."""
    data = batch_file(relative).read_bytes()
    return crypto.decrypt_bytes(data) if crypto.is_token(data) else data


def reencrypt_batch_files(rewrite):
    """Read every batch file with the configured keys and, with `rewrite`, store it under the newest key.

    Files written before batch files were encrypted are encrypted too: they
    hold the same names and addresses, and a rotation is when someone is
    looking after the keys. Returns (encrypted files read, plain files
    found), for `dearjohn keys check` and `keys rotate`.
    """
    read = plain = 0
    for path in sorted(output_dir().iterdir()):
        if path.name.startswith(".") or not path.is_file():  # a part file of a write under way
            continue
        data = path.read_bytes()
        if crypto.is_token(data):
            data = crypto.decrypt_bytes(data)
            read += 1
        else:
            plain += 1
        if rewrite:
            write_whole(path, crypto.encrypt_bytes(data))
    return read, plain


def write_whole(path, data):
    """Write beside and rename into place, so a reader (or a process killed halfway) never sees half a file."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    with open(part, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)


MANIFEST_COLUMNS = ["sequence", "reference", "kind", "language", "template_version", "case", "recipient_name",
                    "address", "zip"]


def manifest_csv(letters):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MANIFEST_COLUMNS)
    for n, letter in enumerate(letters, 1):
        writer.writerow([n, letter.reference, letter.kind, letter.language, letter.template_version, letter.case.number,
                         letter.recipient_name, " | ".join(letter.address_lines[1:]), letter.recipient_zip])
    return out.getvalue()


def vehicle_image(letter):
    """A JPEG of the vehicle only (oversight redaction), or None when off, unavailable or not redactable."""
    if not settings.DEARJOHN["LETTERS"]["VEHICLE_IMAGE"]:
        return None
    from PIL import Image

    from dearjohn.evidence import store
    from dearjohn.evidence.models import Sighting
    from dearjohn.oversight.redaction import redact_for_release

    ids = (letter.observed or {}).get("sighting_ids", [])
    for sighting in Sighting.objects.filter(pk__in=ids).select_related("plate_read__capture").order_by("-seen_at"):
        read = sighting.plate_read
        if read.capture.media_kind != read.capture.MediaKind.IMAGE:
            continue
        try:
            with Image.open(store.verified_path(read.capture)) as im:
                released = redact_for_release(im, tuple(int(v) for v in read.box))  # the gate turns it upright
        except Exception as e:  # a missing or altered file, or an image that cannot be redacted: print no picture
            log.info("No vehicle image for letter %s: %s", letter.reference, e)
            continue
        released.thumbnail((480, 480))
        out = io.BytesIO()
        released.save(out, "JPEG", quality=70, optimize=True)
        return out.getvalue()
    return None


def mark_mailed(batch, user, request=None, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        batch = PrintBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.is_finished:
            raise LetterError(f"Batch '{batch.name}' was interrupted while printing and has no complete PDF yet; "
                              "print it again under the same name to finish it.")
        letters = list(batch.letters.select_for_update().filter(status=Letter.Status.PRINTED).select_related("case"))
        if not letters:
            raise LetterError(f"Batch '{batch.name}' has no printed letters waiting to be mailed.")
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(status=Letter.Status.MAILED, mailed_at=now)
        cases = [letter.case_id for letter in letters if letter.kind in drafting.NOTICES]
        Case.objects.filter(pk__in=cases, status=Case.Status.LETTER_PENDING).update(status=Case.Status.LETTERED, updated_at=now)
        batch.mailed_at, batch.mailed_by = now, user
        batch.save(update_fields=["mailed_at", "mailed_by"])
        for letter in letters:
            record("letter.mailed", user=user, obj=letter, request=request, case=letter.case.number, batch=batch.name)
    return len(letters)


REFERENCE_IN_TEXT = re.compile(r"([2-9A-Z]{5}-?[2-9A-Z]{5}-?[2-9A-Z]{5})\s*$", re.IGNORECASE)


def reference_from_scan(text):
    """The reference in what a person typed or a scanner sent (the code itself or the QR code's URL)."""
    text = (text or "").strip().rstrip("/")
    match = REFERENCE_IN_TEXT.search(text)
    return clean_reference(match.group(1)) if match else clean_reference(text)


def record_delivery(text, outcome, user, request=None, now=None):
    """Mail log: a letter came back (returned to sender) or was confirmed delivered."""
    if outcome not in (Letter.Status.DELIVERED, Letter.Status.RETURNED):
        raise LetterError("Choose delivered or returned to sender.")
    reference = reference_from_scan(text)
    if reference is None:
        raise LetterError("That is not a letter reference; type the 15-character code or scan the letter's QR code.")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(reference=reference).select_related("case").first()
        if letter is None:
            raise LetterError(f"No letter has the reference {reference}.")
        if letter.status not in (Letter.Status.MAILED, Letter.Status.DELIVERED, Letter.Status.RETURNED):
            raise LetterError(f"Letter {reference} is {letter.get_status_display().lower()}, not mailed.")
        letter.status, letter.delivery_updated_at = outcome, now or timezone.now()
        letter.save(update_fields=["status", "delivery_updated_at"])
        record(f"letter.{outcome}", user=user, obj=letter, request=request, case=letter.case.number)
    return letter
