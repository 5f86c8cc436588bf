"""The annual surveillance report (San Francisco Administrative Code 19B): every number, in one place.

`annual_report(year)` computes them; the Auditor page, the PDF and the CSVs
of `dearjohn report annual` all show what it returns, so they cannot differ.

A count is what is still held plus what the retention purge destroyed on
schedule (its audit entries keep counts per calendar year), so purging data
on time never shrinks a year's numbers. Years are calendar years in the
department's time zone.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from dearjohn.evidence.models import Camera, Capture, PlateRead, Sighting, Zone
from dearjohn.letters.models import Letter, Response
from dearjohn.vehicles.models import OwnerLookup

from . import access_log
from .errors import OversightError
from .models import AuditEvent, Disclosure
from .retention import purge, retention_days

# measure: (label, queryset of held records, date field placing a record in a year)
MEASURES = {
    "captures": ("Photos and videos received", lambda: Capture.objects.all(), "received_at"),
    "reads": ("Plates read", lambda: PlateRead.objects.all(), "created_at"),
    "sightings": ("Sightings (reads in a zone during its hours)", lambda: Sighting.objects.all(), "seen_at"),
    "reviews": ("Sightings reviewed by a person", lambda: Sighting.objects.exclude(review_status=Sighting.ReviewStatus.PENDING), "reviewed_at"),
    "lookups": ("Registered-owner lookups", lambda: OwnerLookup.objects.all(), "looked_up_at"),
    "letters": ("Letters mailed", lambda: Letter.objects.all(), "mailed_at"),
    "responses": ("Responses from recipients", lambda: Response.objects.all(), "received_at"),
    "withdrawals": ("Letters withdrawn after a response", lambda: Response.objects.filter(decision=Response.Decision.WITHDRAWN), "decided_at"),
}


@dataclass
class Count3:
    label: str
    held: int
    destroyed: int

    @property
    def total(self):
        return self.held + self.destroyed


@dataclass
class AnnualReport:
    year: int
    since: datetime
    until: datetime
    generated_at: datetime
    counts: dict = field(default_factory=dict)  # measure -> Count3
    captures_by_source: dict = field(default_factory=dict)
    sightings_by_zone: list = field(default_factory=list)  # (zone, n)
    sharing: list = field(default_factory=list)  # dicts: agency, jurisdiction, legal standard, exports, sightings, images
    complaints: dict = field(default_factory=dict)  # reason label -> n
    audit_findings: dict = field(default_factory=dict)  # flag label -> n
    purge_runs: int = 0
    destroyed_by_kind: dict = field(default_factory=dict)
    overdue_now: dict = field(default_factory=dict)
    retention: dict = field(default_factory=dict)
    cameras: list = field(default_factory=list)
    zones: list = field(default_factory=list)

    @property
    def error_rate(self):
        """Letters withdrawn after a response, per letter mailed, in the year (None with no letters)."""
        sent = self.counts["letters"].total
        return self.counts["withdrawals"].total / sent if sent else None

    @property
    def retention_rows(self):
        """(kind, days kept, destroyed in the year, past their time now) for each kind of record."""
        return [(kind, days, self.destroyed_by_kind.get(kind, 0), self.overdue_now.get(kind, 0)) for kind, days in self.retention.items()]

    @property
    def dispute_rate(self):
        sent = self.counts["letters"].total
        return self.counts["responses"].total / sent if sent else None


def year_bounds(year):
    if not 2000 <= int(year) <= 2200:
        raise OversightError(f"{year} is not a report year.")
    start = timezone.make_aware(datetime.combine(datetime(int(year), 1, 1), time.min))
    end = timezone.make_aware(datetime.combine(datetime(int(year) + 1, 1, 1), time.min))
    return start, end


def in_year(queryset, date_field, since, until):
    return queryset.filter(**{f"{date_field}__gte": since, f"{date_field}__lt": until})


def annual_report(year, now=None):
    since, until = year_bounds(year)
    report = AnnualReport(year=int(year), since=since, until=until, generated_at=now or timezone.now())
    purges = AuditEvent.objects.filter(action="retention.purge")
    destroyed = Counter()
    for detail in purges.values_list("detail", flat=True):
        for measure, years in (detail.get("destroyed_by_year") or {}).items():
            destroyed[measure] += int(years.get(str(year), 0))
    for measure, (label, queryset, date_field) in MEASURES.items():
        held = in_year(queryset(), date_field, since, until).count()
        report.counts[measure] = Count3(label, held, destroyed[measure])

    captures = in_year(Capture.objects.all(), "received_at", since, until)
    labels = dict(Capture._meta.get_field("source_kind").choices)
    report.captures_by_source = {labels.get(k, k): n for k, n in captures.values_list("source_kind").annotate(n=Count("id")).order_by("source_kind")}
    sightings = in_year(Sighting.objects.all(), "seen_at", since, until)
    report.sightings_by_zone = list(sightings.values_list("zone__name").annotate(n=Count("id")).order_by("zone__name"))

    disclosures = in_year(Disclosure.objects.select_related("agency"), "at", since, until)
    grouped = {}
    for d in disclosures:
        key = (d.agency.name, d.legal_standard)
        row = grouped.setdefault(key, {"agency": d.agency.name, "jurisdiction": d.agency.jurisdiction,
                                       "legal_standard": d.get_legal_standard_display(), "exports": 0, "cases": set(),
                                       "sightings": 0, "images": 0})
        row["exports"] += 1
        row["cases"].add(d.case_number)
        row["sightings"] += int(d.contents.get("sightings", 0))
        row["images"] += int(d.contents.get("images", 0))
    report.sharing = [{**row, "cases": len(row["cases"])} for _, row in sorted(grouped.items())]

    reasons = dict(Response.Reason.choices)
    responses = in_year(Response.objects.all(), "received_at", since, until)
    report.complaints = {reasons.get(k, k): n for k, n in responses.values_list("reason").annotate(n=Count("id")).order_by("reason")}
    report.audit_findings = {access_log.FLAG_LABELS[f]: n for f, n in access_log.flag_counts(since, until).items()}

    runs = in_year(purges, "at", since, until)
    report.purge_runs = runs.count()
    kinds = Counter()
    for detail in runs.values_list("detail", flat=True):
        kinds.update({k: int(v) for k, v in (detail.get("counts") or {}).items()})
    report.destroyed_by_kind = dict(sorted(kinds.items()))
    report.overdue_now = {k: n for k, n in sorted(purge(dry_run=True).counts.items()) if n}
    report.retention = retention_days()

    report.cameras = list(Camera.objects.select_related("zone").order_by("name"))
    report.zones = list(Zone.objects.order_by("name"))
    return report


def percent(value):
    return "—" if value is None else f"{100 * value:.1f}%"


def context(report):
    return {"report": report, "error_rate": percent(report.error_rate), "dispute_rate": percent(report.dispute_rate),
            "program": settings.DEARJOHN}


def write(report, out_dir):
    """Write the PDF and the CSVs into `out_dir`; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"surveillance-report-{report.year}"
    tables = {
        "counts": (["measure", "description", "held", "destroyed_on_schedule", "total"],
                   [[m, c.label, c.held, c.destroyed, c.total] for m, c in report.counts.items()]
                   + [["error_rate", "Letters withdrawn per letter mailed", "", "", percent(report.error_rate)]]),
        "captures_by_source": (["source", "captures"], list(report.captures_by_source.items())),
        "sightings_by_zone": (["zone", "sightings"], report.sightings_by_zone),
        "sharing": (["agency", "jurisdiction", "legal_standard", "exports", "cases", "sightings", "images"],
                    [[r["agency"], r["jurisdiction"], r["legal_standard"], r["exports"], r["cases"], r["sightings"], r["images"]] for r in report.sharing]),
        "complaints": (["reason", "responses"], list(report.complaints.items())),
        "audit_findings": (["finding", "lookups"], list(report.audit_findings.items())),
        "retention": (["kind", "retention_days", "destroyed_in_year", "overdue_now"], report.retention_rows),
        "cameras": (["camera", "location", "latitude", "longitude", "zone", "active"],
                    [[c.name, c.street, c.latitude, c.longitude, c.zone.name if c.zone else "", c.is_active] for c in report.cameras]),
    }
    written = []
    for name, (header, rows) in tables.items():
        path = out / f"{stem}-{name}.csv"
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    from weasyprint import HTML

    html = render_to_string("oversight/annual_report_pdf.html", context(report))
    pdf = out / f"{stem}.pdf"
    HTML(string=html).write_pdf(pdf)
    written.insert(0, pdf)
    return written
