"""Retention: destroy what the program no longer needs, on schedule, and say how much.

The periods come from settings.DEARJOHN["RETENTION_DAYS"] (README,
"Retention"). A case on legal hold keeps itself and everything it relies on
(its sightings, their captures and files, its letters, lookups and audit
entries) whatever its age.

Destroyed records are tallied by calendar year of the event they recorded
(a capture by when it arrived, a lookup by when it was made), and the purge's
audit entry keeps those tallies: counts, never contents. The annual report adds
them to what is still held, so destroying data on time never shrinks last
year's numbers.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from dearjohn.cases.models import Case
from dearjohn.evidence.models import Capture, ForgottenWriting, PlateRead, Sighting, SourceKind
from dearjohn.letters.models import Letter, Response
from dearjohn.vehicles.models import OwnerLookup

from .audit import record
from .models import AuditEvent, Disclosure

log = logging.getLogger(__name__)

KINDS = ["lettered_cases", "cases", "sightings", "public_unverified", "captures", "print_batches", "owner_lookups", "disclosures", "audit_log"]
# A case at one of these stages (or with a letter, or on hold) keeps its sightings.
QUALIFIED = [Case.Status.QUALIFYING, Case.Status.LETTER_PENDING, Case.Status.LETTERED]


def retention_days():
    return dict(settings.DEARJOHN["RETENTION_DAYS"])


@dataclass
class PurgeResult:
    now: datetime
    dry_run: bool
    counts: Counter = field(default_factory=Counter)  # rows (and files) destroyed, per kind of record
    by_year: dict = field(default_factory=lambda: defaultdict(Counter))  # measure -> {year: n}
    blocked: list = field(default_factory=list)  # kinds another record still protects, with the reason
    # Ids already destroyed (or, in a dry run, planned) this run, so no record is counted twice.
    planned: dict = field(default_factory=lambda: defaultdict(set))

    def claim(self, model, ids):
        fresh = [pk for pk in ids if pk not in self.planned[model]]
        self.planned[model].update(fresh)
        return fresh

    def tally(self, measure, dates):
        for when in dates:
            if when is not None:
                self.by_year[measure][str(timezone.localtime(when).year)] += 1

    def as_detail(self):
        return {
            "now": self.now.isoformat(),
            "dry_run": self.dry_run,
            "counts": dict(sorted(self.counts.items())),
            "destroyed_by_year": {m: dict(sorted(years.items())) for m, years in sorted(self.by_year.items())},
            "blocked": self.blocked,
        }


def held_cases():
    return Case.objects.filter(legal_hold=True)


def expired_lettered_cases(now, days):
    """Cases with letters whose last letter or response activity is older than their period."""
    cutoff = now - timedelta(days=days["lettered_cases"])
    candidates = Case.objects.filter(letters__isnull=False, legal_hold=False, updated_at__lt=cutoff).distinct()
    expired = []
    for case in candidates.prefetch_related("letters__responses"):
        stamps = [case.updated_at]
        for letter in case.letters.all():
            stamps += [letter.drafted_at, letter.approved_at, letter.printed_at, letter.mailed_at, letter.delivery_updated_at]
            for response in letter.responses.all():
                stamps += [response.received_at, response.decided_at]
        if max(s for s in stamps if s is not None) < cutoff:
            expired.append(case.pk)
    return Case.objects.filter(pk__in=expired)


def expired_cases(now, days):
    cutoff = now - timedelta(days=days["cases"])
    return Case.objects.filter(letters__isnull=True, legal_hold=False, updated_at__lt=cutoff)


def kept_cases(now, days):
    """Cases that keep their sightings: qualified, lettered or held, and not themselves expiring."""
    going = set(expired_cases(now, days).values_list("pk", flat=True)) | set(expired_lettered_cases(now, days).values_list("pk", flat=True))
    keeping = Case.objects.filter(Q(status__in=QUALIFIED) | Q(letters__isnull=False) | Q(legal_hold=True))
    return keeping.exclude(pk__in=going).values("pk")


def expired_sightings(now, days):
    cutoff = now - timedelta(days=days["sightings"])
    return Sighting.objects.filter(seen_at__lt=cutoff).exclude(cases__in=kept_cases(now, days))


def _captures_in_use(now, days):
    """Captures that still carry a sighting that stays."""
    staying = Sighting.objects.exclude(pk__in=expired_sightings(now, days).values("pk"))
    return staying.values("plate_read__capture")


def expired_public_unverified(now, days):
    cutoff = now - timedelta(days=days["public_unverified"])
    held = Sighting.objects.filter(cases__in=kept_cases(now, days)).values("plate_read__capture")
    return Capture.objects.filter(source_kind=SourceKind.PUBLIC, verified_at__isnull=True, received_at__lt=cutoff).exclude(pk__in=held)


def expired_captures(now, days):
    cutoff = now - timedelta(days=days["captures"])
    return Capture.objects.filter(received_at__lt=cutoff).exclude(pk__in=_captures_in_use(now, days))


def expired_owner_lookups(now, days):
    cutoff = now - timedelta(days=days["owner_lookups"])
    return OwnerLookup.objects.filter(looked_up_at__lt=cutoff).exclude(case_number__in=held_cases().values("number"))


def expired_disclosures(now, days):
    cutoff = now - timedelta(days=days["disclosures"])
    return Disclosure.objects.filter(at__lt=cutoff).exclude(case_number__in=held_cases().values("number"))


def audit_cutoff(now, days):
    return now - timedelta(days=days["audit_log"])


def held_audit_entries():
    """Audit entries about a held case stay with it."""
    return Q(object_type=Case._meta.label_lower, object_id__in=[str(pk) for pk in held_cases().values_list("pk", flat=True)])


def purge(now=None, dry_run=False, user=None):
    """Destroy every record and file past its retention period; returns what was (or would be) destroyed.

    `now` lets a test (or an operator checking a plan) ask what the purge does
    on another day. A dry run changes nothing and writes no audit entry.
    """
    now = now or timezone.now()
    days = retention_days()
    result = PurgeResult(now=now, dry_run=dry_run)

    _purge_cases(result, "lettered_cases", expired_lettered_cases(now, days), dry_run)
    _purge_cases(result, "cases", expired_cases(now, days), dry_run)
    # Sightings of the cases just destroyed are now free to go in the same run;
    # a dry run must imagine those cases gone, which kept_cases() does.
    _purge_sightings(result, expired_sightings(now, days), dry_run)
    _purge_forgotten_writing(result, now, days, dry_run)
    _purge_captures(result, "public_unverified", expired_public_unverified(now, days), dry_run)
    _purge_captures(result, "captures", expired_captures(now, days), dry_run)
    _purge_print_batches(result, now, days, dry_run)
    _purge_rows(result, "owner_lookups", expired_owner_lookups(now, days), dry_run, year_measure=("lookups", "looked_up_at"))
    _purge_rows(result, "disclosures", expired_disclosures(now, days), dry_run, year_measure=("disclosures", "at"))

    audit = AuditEvent.objects.filter(at__lt=audit_cutoff(now, days)).exclude(held_audit_entries())
    if dry_run:
        result.counts["audit_log"] = audit.count()
    else:
        result.counts["audit_log"] = AuditEvent.purge_expired(audit_cutoff(now, days), keeping=held_audit_entries())
        record("retention.purge", user=user, **result.as_detail())
        log.info("retention purge: %s", dict(result.counts))
    return result


def _purge_cases(result, kind, cases, dry_run):
    ids = list(cases.values_list("pk", flat=True))
    letters = Letter.objects.filter(case__in=ids)
    result.planned[Letter].update(letters.values_list("pk", flat=True))
    responses = Response.objects.filter(letter__in=letters)
    _destroy(
        result, kind, dry_run,
        counts={kind: len(ids), "letters": letters.count(), "responses": responses.count()},
        tallies={
            "letters": letters.values_list("mailed_at", flat=True),
            "responses": responses.values_list("received_at", flat=True),
            "withdrawals": responses.filter(decision=Response.Decision.WITHDRAWN).values_list("decided_at", flat=True),
        },
        files=[],
        action=lambda: (responses.delete(), letters.delete(), Case.objects.filter(pk__in=ids).delete()),
    )


def _purge_sightings(result, sightings, dry_run):
    ids = result.claim(Sighting, sightings.values_list("pk", flat=True))
    sightings = Sighting.objects.filter(pk__in=ids)
    reads = PlateRead.objects.filter(pk__in=result.claim(PlateRead, PlateRead.objects.filter(sighting__in=ids).values_list("pk", flat=True)))
    _destroy(
        result, "sightings", dry_run,
        counts={"sightings": len(ids), "plate_reads": reads.count()},
        tallies=_sighting_tallies(sightings, reads),
        files=[p for p in reads.values_list("crop_path", flat=True) if p],
        action=lambda: reads.delete(),
    )


def _purge_forgotten_writing(result, now, days, dry_run):
    """A camera told to forget a text keeps that word only while rejections of it from before may remain.

    Rejected sightings belong to no case, so after the sightings' period
    every rejection the word set aside is gone, and the plate key it holds
    need not be kept either.
    """
    rows = ForgottenWriting.objects.filter(forgotten_at__lt=now - timedelta(days=days["sightings"]))
    ids = list(rows.values_list("pk", flat=True))
    _destroy(result, "forgotten_writing", dry_run, counts={"forgotten_writing": len(ids)}, tallies={}, files=[],
             action=lambda: ForgottenWriting.objects.filter(pk__in=ids).delete())


def _purge_captures(result, kind, captures, dry_run):
    ids = result.claim(Capture, captures.values_list("pk", flat=True))
    captures = Capture.objects.filter(pk__in=ids)
    reads = PlateRead.objects.filter(pk__in=result.claim(PlateRead, PlateRead.objects.filter(capture__in=ids).values_list("pk", flat=True)))
    sightings = Sighting.objects.filter(pk__in=result.claim(Sighting, Sighting.objects.filter(plate_read__capture__in=ids).values_list("pk", flat=True)))
    tallies = _sighting_tallies(sightings, reads)
    tallies["captures"] = captures.values_list("received_at", flat=True)
    _destroy(
        result, kind, dry_run,
        counts={kind: len(ids), "plate_reads": reads.count(), "sightings": sightings.count()},
        tallies=tallies,
        files=list(captures.values_list("stored_path", flat=True)) + [p for p in reads.values_list("crop_path", flat=True) if p],
        action=lambda: Capture.objects.filter(pk__in=ids).delete(),
    )


def _purge_print_batches(result, now, days, dry_run):
    """A print run's PDF and manifest go once none of its letters is kept any more."""
    from dearjohn.letters.models import PrintBatch

    cutoff = now - timedelta(days=days["lettered_cases"])
    batches = PrintBatch.objects.filter(created_at__lt=cutoff).exclude(letters__isnull=False)
    if dry_run:
        letters_going = Letter.objects.filter(pk__in=result.planned[Letter])
        batches = PrintBatch.objects.filter(created_at__lt=cutoff).exclude(letters__in=Letter.objects.exclude(pk__in=letters_going))
    ids = list(batches.values_list("pk", flat=True))
    paths = [p for pair in PrintBatch.objects.filter(pk__in=ids).values_list("pdf_path", "manifest_path") for p in pair if p]
    _destroy(result, "print_batches", dry_run, counts={"print_batches": len(ids)}, tallies={}, files=paths,
             action=lambda: PrintBatch.objects.filter(pk__in=ids).delete(), files_root=settings.DEARJOHN["LETTERS"]["OUTPUT_DIR"])


def _sighting_tallies(sightings, reads):
    return {
        "sightings": sightings.values_list("seen_at", flat=True),
        "reviews": sightings.exclude(review_status=Sighting.ReviewStatus.PENDING).values_list("reviewed_at", flat=True),
        "reads": reads.values_list("created_at", flat=True),
    }


def _purge_rows(result, kind, rows, dry_run, year_measure):
    measure, date_field = year_measure
    ids = list(rows.values_list("pk", flat=True))
    rows = rows.model.objects.filter(pk__in=ids)
    _destroy(result, kind, dry_run, counts={kind: len(ids)}, tallies={measure: rows.values_list(date_field, flat=True)},
             files=[], action=lambda: rows.delete())


def _destroy(result, kind, dry_run, counts, tallies, files, action, files_root=None):
    """Delete one kind in a transaction, then its files; a record another app still protects stops only that kind.

    Counts and tallies are read before anything is deleted and added to the
    result only once the delete has happened (or, in a dry run, would).
    """
    tallies = {measure: list(dates) for measure, dates in tallies.items()}
    if not dry_run and counts.get(kind):
        try:
            with transaction.atomic():
                action()
        except (ProtectedError, RestrictedError) as e:
            blockers = sorted({obj._meta.label for obj in getattr(e, "protected_objects", None) or getattr(e, "restricted_objects", [])})
            result.blocked.append({"kind": kind, "protected_by": blockers})
            log.error("retention purge: %s kept, still referenced by %s", kind, ", ".join(blockers) or "another record")
            return
    for name, n in counts.items():
        result.counts[name] += n
    for measure, dates in tallies.items():
        result.tally(measure, dates)
    root = Path(files_root or settings.EVIDENCE_ROOT)
    if dry_run:
        result.counts["files"] += sum(1 for relative in files if (root / relative).is_file())
    else:
        _remove_files(result, files, root)


def _remove_files(result, relative_paths, root):
    """Delete files under `root` (and folders left empty) after their rows are gone."""
    root = Path(root).resolve()
    for relative in relative_paths:
        path = (root / relative).resolve()
        if root not in path.parents:
            log.error("retention purge: refusing to delete %s outside %s", relative, root)
            continue
        try:
            path.unlink()
            result.counts["files"] += 1
        except FileNotFoundError:
            continue
        parent = path.parent
        while parent != root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
