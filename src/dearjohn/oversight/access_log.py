"""The access log Civil Code 1798.90.52 asks for: every owner lookup and record view, with flags.

Rows come from two places: `vehicles.OwnerLookup` (one per registered-owner
search) and audit entries whose action ends in ".view" (a person's record
opened). Both are merged newest first, so the page and the CSV stream the same
sequence without loading it all.

Flags an auditor should look at (thresholds in settings.DEARJOHN["ACCESS_LOG"]):
- no_case: an owner lookup without a case number;
- off_hours: a lookup outside the user's usual hours. With enough history
  (HISTORY_MIN lookups in HISTORY_DAYS), usual hours are the busiest hours of
  day that together hold USUAL_SHARE of that user's lookups; with less, the
  department's WORKING_HOURS;
- bulk: one of more than BULK_LOOKUPS lookups by one user within BULK_MINUTES.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from dearjohn.evidence.models import plate_key
from dearjohn.vehicles.models import OwnerLookup

from .models import AuditEvent

FLAG_LABELS = {
    "no_case": "no case number",
    "off_hours": "outside usual hours",
    "bulk": "bulk lookups",
}
KIND_LABELS = {"lookup": "Owner lookup", "view": "Record view"}
# Audit actions that mean someone opened a record: "case.view", "case.owner_viewed",
# "letter.viewed", "evidence.image_viewed", "letter.downloaded".
VIEW_SUFFIXES = (".view", "viewed", ".downloaded")
CSV_HEADER = ["time", "kind", "user", "plate", "state", "purpose", "case_number", "record", "flags"]


@dataclass(frozen=True)
class Filters:
    user: str = ""
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    plate: str = ""
    purpose: str = ""
    kind: str = ""  # "", "lookup" or "view"
    flagged_only: bool = False


@dataclass
class Row:
    at: datetime
    kind: str
    user: str
    plate: str
    state: str
    purpose: str
    case_number: str
    record: str
    flags: list = field(default_factory=list)
    key: tuple = ()

    @property
    def flag_labels(self):
        return [FLAG_LABELS[f] for f in self.flags]

    def csv(self):
        return [timezone.localtime(self.at).isoformat(timespec="seconds"), self.kind, self.user, self.plate, self.state,
                self.purpose, self.case_number, self.record, ";".join(self.flags)]


def config():
    return settings.DEARJOHN["ACCESS_LOG"]


def lookups(filters):
    rows = OwnerLookup.objects.select_related("user")
    if filters.user:
        rows = rows.filter(user__username__iexact=filters.user)
    if filters.since:
        rows = rows.filter(looked_up_at__gte=filters.since)
    if filters.until:
        rows = rows.filter(looked_up_at__lt=filters.until)
    if filters.plate:
        rows = rows.filter(plate_key=plate_key(filters.plate))
    if filters.purpose:
        rows = rows.filter(purpose=filters.purpose)
    return rows.order_by("-looked_up_at", "-id")


def views(filters):
    is_view = Q()
    for suffix in VIEW_SUFFIXES:
        is_view |= Q(action__endswith=suffix)
    rows = AuditEvent.objects.filter(is_view)
    if filters.user:
        rows = rows.filter(username__iexact=filters.user)
    if filters.since:
        rows = rows.filter(at__gte=filters.since)
    if filters.until:
        rows = rows.filter(at__lt=filters.until)
    if filters.plate:
        key = plate_key(filters.plate)
        rows = rows.filter(Q(detail__plate=key) | Q(detail__plate_key=key) | Q(object_label__icontains=key))
    if filters.purpose:
        rows = rows.filter(purpose__icontains=filters.purpose)
    return rows.order_by("-at", "-id")


def count(filters):
    """How many rows the filters select (before `flagged_only`)."""
    total = 0
    if filters.kind in ("", "lookup"):
        total += lookups(filters).count()
    if filters.kind in ("", "view"):
        total += views(filters).count()
    return total


def rows(filters):
    """Every matching row, newest first, flags set; a generator suited to streaming."""
    flagged = Flagger(filters)
    streams = []
    if filters.kind in ("", "lookup"):
        streams.append(flagged.lookup_row(lookup) for lookup in lookups(filters).iterator(chunk_size=500))
    if filters.kind in ("", "view"):
        streams.append(view_row(event) for event in views(filters).iterator(chunk_size=500))
    merged = heapq.merge(*streams, key=lambda row: row.key, reverse=True)
    for row in merged:
        if filters.flagged_only and not row.flags:
            continue
        yield row


def view_row(event):
    detail = event.detail or {}
    case_number = detail.get("case_number") or detail.get("case") or (event.object_label if event.object_type == "cases.case" else "")
    return Row(at=event.at, kind="view", user=event.username, plate=detail.get("plate", detail.get("plate_key", "")),
               state=detail.get("state", ""), purpose=event.purpose, case_number=str(case_number),
               record=event.object_label or event.action, key=(event.at, 0, event.pk))


class Flagger:
    """Works out each lookup's flags; learns usual hours and bulk bursts once per report."""

    def __init__(self, filters):
        self.filters = filters
        self._usual = {}
        self._bulk = None

    def lookup_row(self, lookup):
        flags = []
        if not lookup.case_number.strip():
            flags.append("no_case")
        if timezone.localtime(lookup.looked_up_at).hour not in self.usual_hours(lookup.user_id):
            flags.append("off_hours")
        if lookup.pk in self.bulk_ids():
            flags.append("bulk")
        return Row(at=lookup.looked_up_at, kind="lookup", user=lookup.user.get_username() if lookup.user else "",
                   plate=lookup.plate_key, state=lookup.state, purpose=lookup.get_purpose_display(),
                   case_number=lookup.case_number, record=f"{lookup.records_found} record(s) from {lookup.source}",
                   flags=flags, key=(lookup.looked_up_at, 1, lookup.pk))

    def usual_hours(self, user_id):
        if user_id not in self._usual:
            self._usual[user_id] = usual_hours(user_id, self.filters.until or timezone.now())
        return self._usual[user_id]

    def bulk_ids(self):
        if self._bulk is None:
            self._bulk = bulk_lookup_ids(self.filters)
        return self._bulk


def usual_hours(user_id, until):
    """Hours of day (local) holding USUAL_SHARE of the user's recent lookups, or WORKING_HOURS without enough history."""
    cfg = config()
    since = until - timedelta(days=cfg["HISTORY_DAYS"])
    stamps = OwnerLookup.objects.filter(user_id=user_id, looked_up_at__gte=since, looked_up_at__lt=until).values_list("looked_up_at", flat=True)
    hours = Counter(timezone.localtime(stamp).hour for stamp in stamps)
    total = sum(hours.values())
    if total < cfg["HISTORY_MIN"]:
        start, end = cfg["WORKING_HOURS"]
        return set(range(start, end)) if start <= end else set(range(start, 24)) | set(range(0, end))
    usual, covered = set(), 0
    for hour, n in sorted(hours.items(), key=lambda item: (-item[1], item[0])):
        if covered >= cfg["USUAL_SHARE"] * total:
            break
        usual.add(hour)
        covered += n
    return usual


def bulk_lookup_ids(filters):
    """Ids of lookups that fall in a window of BULK_MINUTES holding more than BULK_LOOKUPS by one user."""
    cfg = config()
    window = timedelta(minutes=cfg["BULK_MINUTES"])
    relevant = OwnerLookup.objects.all()
    if filters.since:
        relevant = relevant.filter(looked_up_at__gte=filters.since - window)
    if filters.until:
        relevant = relevant.filter(looked_up_at__lt=filters.until + window)
    if filters.user:
        relevant = relevant.filter(user__username__iexact=filters.user)
    per_user = defaultdict(list)
    for pk, user_id, at in relevant.order_by("looked_up_at").values_list("pk", "user_id", "looked_up_at"):
        per_user[user_id].append((at, pk))
    flagged = set()
    for entries in per_user.values():
        start = 0
        for end in range(len(entries)):
            while entries[end][0] - entries[start][0] >= window:
                start += 1
            if end - start + 1 > cfg["BULK_LOOKUPS"]:
                flagged.update(pk for _, pk in entries[start : end + 1])
    return flagged


def flag_counts(since, until):
    """How many lookups carry each flag in a period (the annual report's audit findings)."""
    counts = Counter()
    for row in rows(Filters(since=since, until=until, kind="lookup")):
        counts.update(row.flags)
    return {flag: counts.get(flag, 0) for flag in FLAG_LABELS}
