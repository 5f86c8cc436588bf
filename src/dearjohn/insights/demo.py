"""A year of fictitious program history for the demo, so every insights chart has something to show.

What it is, plainly: a simulation. About 500 invented vehicles visit the demo
zones at evening hours, more on Fridays and Saturdays; a vehicle confirmed
three times within 30 days is lettered two or three weeks later, and after a
letter it comes back less often, because the simulation says so. The
deterrence page therefore shows an effect that was put in, and says nothing
about real letters.

How it is kept apart from real evidence: every capture it makes has
`note = "demo history"`, no stored file (`stored_path` empty, size 0) and a
hash of a label rather than of bytes; every history sighting is already
reviewed (none waits in the review queue, where a reviewer would look for an
image), every letter was mailed long ago (none waits for approval or
printing) and every response is decided. Cases are numbered `DEMO-H-…`.

A lettered history case went through the program's steps as a real one
must: its owner was looked up (an invented registration, added to the demo
registry, and a logged lookup), a reviewer checked the vehicle against the
image, and its letters went to that owner.

Running it twice adds nothing: it does nothing once demo history exists.
"""

import hashlib
import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from dearjohn.cases.models import Case
from dearjohn.evidence.models import Camera, Capture, PlateRead, Sighting, SourceKind, plate_key
from dearjohn.letters import drafting
from dearjohn.letters.models import Letter, Response
from dearjohn.letters.references import reference_for
from dearjohn.site.demo import fictitious_registration
from dearjohn.vehicles.lookup import fingerprint
from dearjohn.vehicles.models import OwnerLookup, Registration

NOTE = "demo history"
DAYS = 365
VEHICLES = 500
SEED = 20261204
SIGN = "PR0PERT"  # how the reader makes a PRIVATE PROPERTY sign out as a plate
PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _plate(rng):
    return f"{rng.randint(5, 9)}{''.join(rng.choices(PLATE_LETTERS, k=3))}{rng.randint(0, 999):03d}"


def _evening(rng, day, tz):
    """A local evening or night time on `day`, weighted toward 21:00–01:00."""
    hour = rng.choices([19, 20, 21, 22, 23, 0, 1, 2, 3], weights=[2, 4, 7, 9, 9, 7, 4, 2, 1])[0]
    local_day = day + timedelta(days=1) if hour < 12 else day
    return datetime.combine(local_day, time(hour, rng.randrange(60)), tzinfo=tz)


def seed_history():
    if Capture.objects.filter(note=NOTE).exists():
        return "Insights: demo history already loaded."
    cameras = list(Camera.objects.filter(zone__isnull=False).select_related("zone").order_by("name"))
    if not cameras:
        return "Insights: no demo cameras, so no demo history."
    rng = random.Random(SEED)
    tz = timezone.get_default_timezone()
    now = timezone.now()
    today = timezone.localdate(now)
    start = today - timedelta(days=DAYS)
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    supervisor = get_user_model().objects.filter(username="supervisor").first()
    taken = set(Case.objects.values_list("state", "plate_key")) | set(Registration.objects.values_list("state", "plate_key"))
    vehicles = []
    while len(vehicles) < VEHICLES:
        plate = _plate(rng)
        if ("CA", plate_key(plate)) not in taken:
            taken.add(("CA", plate_key(plate)))
            vehicles.append(plate)

    sightings = []  # (vehicle index, camera, local datetime, review status)
    letters = {}  # vehicle index -> [(kind, mailed_at)]
    for v, plate in enumerate(vehicles):
        weekly = min(3.0, rng.lognormvariate(-2.1, 1.0))  # most come rarely, a few every week
        home = rng.choice(cameras)
        recent = []
        for offset in range(DAYS):
            day = start + timedelta(days=offset)
            mailed = letters.get(v, [])
            # The simulated effect of a letter: visits fall to a third (a fifth after a repeat notice).
            rate = weekly / 7 * (1.7 if day.weekday() in (4, 5) else 0.8)
            if mailed and mailed[0][1].date() <= day:
                rate *= 0.2 if len(mailed) > 1 and mailed[1][1].date() <= day else 0.33
            if rng.random() >= rate:
                continue
            at = _evening(rng, day, tz)
            camera = home if rng.random() < 0.8 else rng.choice(cameras)
            status = rng.choices(["confirmed", "corrected", "rejected"], weights=[90, 3, 7])[0]
            if at > now:  # last night's small hours, when the demo is loaded before they are over
                continue
            sightings.append((v, camera, at, status))
            if rng.random() < 0.3:  # a second camera catches the same pass
                other = rng.choice(cameras)
                again = at + timedelta(minutes=rng.randint(1, 6))
                if again <= now:
                    sightings.append((v, other, again, status))
            if status == "rejected":
                continue
            recent = [t for t in recent if at - t <= timedelta(days=30)] + [at]
            due = at + timedelta(days=rng.randint(12, 24))
            if len(recent) >= 3 and not mailed and due.date() < today:
                letters[v] = [("first", due)]
                recent = []
            elif len(recent) >= 3 and len(mailed) == 1 and at - mailed[0][1] > timedelta(days=60) and due.date() < today:
                letters[v].append(("repeat", due))
                recent = []

    captures, reads, rows = [], [], []
    for i, (v, camera, at, status) in enumerate(sightings):
        plate = vehicles[v]
        captures.append(_history_capture(camera, at, label=str(i)))
        shown = plate if status != "corrected" else plate[:-1] + "8"
        reads.append(PlateRead(text=shown, plate_key=plate_key(shown), state="CA", confidence=round(rng.uniform(0.6, 0.99), 2),
                               candidates=[{"text": shown, "confidence": 0.9}], box=[0, 0, 1, 1], engine=NOTE))
        confirmed = status != "rejected"
        # Points spread over the block around the camera, about 40 m either way.
        rows.append(Sighting(
            zone=camera.zone, seen_at=at, review_status=status, reviewed_by=reviewer,
            latitude=camera.latitude + rng.gauss(0, 0.0004), longitude=camera.longitude + rng.gauss(0, 0.0002),
            reviewed_at=at + timedelta(hours=rng.choice([3, 10, 20, 30, 50, 80, 130])),
            confirmed_plate=plate if confirmed else "", confirmed_plate_key=plate_key(plate) if confirmed else "",
            confirmed_state="CA" if confirmed else "", reject_reason="" if confirmed else "unreadable"))
    Capture.objects.bulk_create(captures, batch_size=2000)
    for capture, read in zip(captures, reads):
        read.capture = capture
    PlateRead.objects.bulk_create(reads, batch_size=2000)
    for read, row in zip(reads, rows):
        row.plate_read = read
    Sighting.objects.bulk_create(rows, batch_size=2000)
    signs = _sign_rejected(cameras[0], reviewer, random.Random(SEED + 2), today, tz)
    Capture.objects.filter(note=NOTE).update(received_at=F("taken_at"))

    owners = random.Random(SEED + 1)
    registration_of = {v: fictitious_registration(owners, plate=vehicles[v]) for v in sorted(letters)}
    # Office work happens in office hours: the owner is looked up a week before the first letter, the vehicle checked an hour later.
    looked_up = {v: datetime.combine((letters[v][0][1] - timedelta(days=7)).date(), time(owners.randint(9, 15), owners.randrange(60)), tzinfo=tz)
                 for v in sorted(letters)}
    Registration.objects.bulk_create(registration_of.values())
    saved = {r.plate_key: r for r in Registration.objects.filter(state="CA", plate_key__in=[r.plate_key for r in registration_of.values()])}
    registration_of = {v: saved[r.plate_key] for v, r in registration_of.items()}
    cases = [Case(number=f"DEMO-H-{n + 1:04d}", plate_key=plate_key(vehicles[v]), state="CA", status=Case.Status.LETTERED,
                  qualified_reason="3 confirmed sightings within 30 days (demo history)", registration=registration_of[v],
                  registration_fingerprint=fingerprint(registration_of[v]), vehicle_check=Case.VehicleCheck.MATCH,
                  vehicle_checked_by=reviewer, vehicle_checked_at=looked_up[v] + timedelta(hours=1))
             for n, v in enumerate(sorted(letters))]
    Case.objects.bulk_create(cases)
    case_of = dict(Case.objects.filter(number__startswith="DEMO-H-").values_list("plate_key", "pk"))
    _look_up_owners(Case.objects.filter(number__startswith="DEMO-H-").select_related("registration"), reviewer,
                    {plate_key(vehicles[v]): looked_up[v] for v in letters})
    links = [Case.sightings.through(case_id=case_of[plate_key(vehicles[v])], sighting_id=row.pk)
             for (v, *_), row in zip(sightings, rows) if v in letters and row.review_status != "rejected"]
    Case.sightings.through.objects.bulk_create(links, batch_size=2000)

    mail = []
    for v in sorted(letters):
        for kind, mailed_at in letters[v]:
            returned = rng.random() < 0.06
            owner = registration_of[v]
            mail.append(Letter(
                case_id=case_of[plate_key(vehicles[v])], kind=kind, reference=reference_for(f"{NOTE} letter {v} {kind}"),
                status=Letter.Status.RETURNED if returned else rng.choice([Letter.Status.MAILED, Letter.Status.DELIVERED]),
                recipient_name=owner.owner_name,
                recipient_address=f"{owner.address_line1}\n{owner.city} {owner.address_state} {owner.zip_code}",
                recipient_zip=owner.zip_code, drafted_by=reviewer, approved_by=supervisor,
                approved_at=mailed_at - timedelta(days=3), printed_at=mailed_at - timedelta(days=1), mailed_at=mailed_at,
                delivery_updated_at=mailed_at + timedelta(days=rng.randint(4, 12)) if returned else None))
    Letter.objects.bulk_create(mail)
    Letter.objects.filter(reference__in=[m.reference for m in mail]).update(drafted_at=F("approved_at") - timedelta(days=2))
    _describe_letters(Letter.objects.filter(reference__in=[m.reference for m in mail]).select_related("case__registration"))

    answers = []
    for letter in Letter.objects.filter(reference__in=[m.reference for m in mail], status__in=[Letter.Status.MAILED, Letter.Status.DELIVERED]):
        if rng.random() < 0.12:
            decided_at = letter.mailed_at + timedelta(days=rng.randint(8, 30))
            if decided_at.date() >= today:
                continue
            answers.append(Response(letter=letter, reason=rng.choice(["not_driving", "sold", "other", "not_driving"]),
                                   message="(demo history)", decision=rng.choice(["upheld", "upheld", "withdrawn"]),
                                   decided_by=supervisor, decided_at=decided_at, decision_note="demo history"))
    Response.objects.bulk_create(answers)
    Response.objects.filter(decision_note="demo history").update(received_at=F("decided_at") - timedelta(days=5))
    return (f"Insights: {len(rows) + signs} sightings of {len(vehicles)} fictitious vehicles over {DAYS} days, "
            f"{len(mail)} letters and {len(answers)} responses of demo history (simulated; no image files).")


def _describe_letters(letters):
    """What each history letter says was seen, as a drafted letter says it: the case's confirmed sightings of the 30 days before."""
    letters = list(letters)
    for letter in letters:
        counted = letter.case.sightings.exclude(review_status=Sighting.ReviewStatus.REJECTED).filter(
            seen_at__lt=letter.drafted_at, seen_at__gte=letter.drafted_at - timedelta(days=30))
        letter.observed = drafting.observed(letter.case, list(counted.values_list("pk", flat=True)))
    Letter.objects.bulk_update(letters, ["observed"], batch_size=500)


def _history_capture(camera, at, label):
    """An unsaved history capture from `camera` at `at`: no file, its hash one of the label's."""
    return Capture(
        sha256=hashlib.sha256(f"{NOTE} {SEED} {label}".encode()).hexdigest(), stored_path="", media_kind=Capture.MediaKind.IMAGE,
        content_type="image/jpeg", size_bytes=0, source_kind=SourceKind.CAMERA, camera=camera, taken_at=at,
        taken_at_source=Capture.TimeSource.CAMERA, latitude=camera.latitude, longitude=camera.longitude,
        location_source=Capture.TimeSource.CAMERA, note=NOTE, status=Capture.Status.READ)


def _sign_rejected(camera, reviewer, rng, today, tz, text=SIGN, times=3):
    """A sign the first camera reads most nights, which reviewers rejected as not a plate `times` times last month.

    The camera's page then lists it as writing that makes no more sightings there.
    """
    for n in range(times):
        at = _evening(rng, today - timedelta(days=30 - 9 * n), tz)
        capture = _history_capture(camera, at, label=f"sign {n}")
        capture.save()
        read = PlateRead.objects.create(capture=capture, text=text, state="", confidence=round(rng.uniform(0.25, 0.4), 2),
                                        candidates=[{"text": text, "confidence": 0.3}], box=[0, 0, 1, 1], engine=NOTE)
        Sighting.objects.create(plate_read=read, zone=camera.zone, seen_at=at, review_status=Sighting.ReviewStatus.REJECTED,
                                reviewed_by=reviewer, reviewed_at=at + timedelta(hours=12), reject_reason=Sighting.NOT_A_PLATE,
                                latitude=camera.latitude, longitude=camera.longitude)
    return times


def _look_up_owners(cases, reviewer, when):
    """One logged lookup per lettered history case, at `when[plate_key]`; the case relies on it."""
    OwnerLookup.objects.bulk_create([
        OwnerLookup(user=reviewer, plate_key=case.plate_key, state=case.state, purpose=OwnerLookup.Purpose.LETTER_CASE,
                    case_number=case.number, source=NOTE, records_found=1, registration=case.registration)
        for case in cases])
    lookups = list(OwnerLookup.objects.filter(source=NOTE))
    for lookup in lookups:
        lookup.looked_up_at = when[lookup.plate_key]
    OwnerLookup.objects.bulk_update(lookups, ["looked_up_at"], batch_size=500)
    by_number = {lookup.case_number: lookup.pk for lookup in lookups}
    for case in cases:
        case.owner_lookup_id = by_number[case.number]
    Case.objects.bulk_update(list(cases), ["owner_lookup"], batch_size=500)
