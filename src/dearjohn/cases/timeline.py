"""A case's story in time order: sightings, reviews, lookups, checks, observations, notes, letters, responses."""

from dataclasses import dataclass
from datetime import datetime

from dearjohn.vehicles.models import OwnerLookup


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    text: str
    who: str = ""


def _name(user):
    return user.get_username() if user else ""


def events(case):
    out = []
    for s in case.sightings.select_related("zone", "reviewed_by", "plate_read__capture__camera"):
        where = s.plate_read.capture.camera or s.zone
        out.append(Event(s.seen_at, "sighting", f"Seen at {where}: read as {s.plate_read.text}"))
        if s.reviewed_at:
            verb = "Corrected to" if s.review_status == s.ReviewStatus.CORRECTED else "Confirmed as"
            out.append(Event(s.reviewed_at, "review", f"{verb} {s.confirmed_plate} ({s.confirmed_state})", _name(s.reviewed_by)))
    for lookup in OwnerLookup.objects.filter(case_number=case.number).select_related("user"):
        found = f"{lookup.records_found} record{'s' if lookup.records_found != 1 else ''} found"
        out.append(Event(lookup.looked_up_at, "lookup", f"Owner lookup ({lookup.get_purpose_display()}, {lookup.source}): {found}",
                         _name(lookup.user)))
    if case.vehicle_checked_at:
        reason = f": {case.vehicle_check_reason}" if case.vehicle_check_reason else ""
        out.append(Event(case.vehicle_checked_at, "vehicle check", f"Vehicle check: {case.get_vehicle_check_display()}{reason}",
                         _name(case.vehicle_checked_by)))
    for obs in case.observations.select_related("officer"):
        solicitation = " (solicitation observed)" if obs.solicitation_observed else ""
        out.append(Event(obs.observed_at, "observation", f"Officer's observation{solicitation}: {obs.text}", _name(obs.officer)))
    for note in case.case_notes.select_related("author"):
        out.append(Event(note.written_at, "note", note.text, _name(note.author)))
    for letter in case.letters.all():
        out.append(Event(letter.drafted_at, "letter", f"{letter.get_kind_display()} drafted ({letter.reference})", _name(letter.drafted_by)))
        for label, when in (("approved", letter.approved_at), ("printed", letter.printed_at), ("mailed", letter.mailed_at)):
            if when:
                out.append(Event(when, "letter", f"{letter.get_kind_display()} {label} ({letter.reference})"))
        for response in letter.responses.all():
            out.append(Event(response.received_at, "response", f"Response to {letter.reference}: {response.get_reason_display()}"
                             f" — {response.get_decision_display().lower()}"))
    return sorted(out, key=lambda e: e.at, reverse=True)
