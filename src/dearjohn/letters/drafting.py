"""From a qualifying case to an approved letter: drafting, the rules that forbid a letter, approval.

Every rule that can stop a notice lives here and is checked at each step
(draft, approve, print), because a case can change between them.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dearjohn.cases import policy
from dearjohn.cases.models import Case, EvidencePolicy
from dearjohn.oversight.audit import record

from . import address
from .errors import LetterError
from .models import Letter, LetterTemplate, Suppression
from .references import new_reference

NOTICES = (Letter.Kind.FIRST, Letter.Kind.REPEAT)
OPEN_STATUSES = (Letter.Status.HELD, Letter.Status.DRAFT, Letter.Status.APPROVED)
SENT_STATUSES = (Letter.Status.PRINTED, Letter.Status.MAILED, Letter.Status.DELIVERED, Letter.Status.RETURNED)


def owner_key(name):
    """Owner names compare without case or extra spaces (the registry and the letter write them differently)."""
    return " ".join((name or "").upper().split())


def suppression_for(state, plate_key, owner_name):
    """The suppression covering this vehicle and owner, if any.

    Owner names are encrypted at rest and cannot be compared in SQL, so the
    few suppressions that could apply (this vehicle's, and owner-only ones)
    are compared here.
    """
    owner = owner_key(owner_name)
    for suppression in Suppression.objects.filter(Q(state=state, plate_key=plate_key) | Q(plate_key="")):
        if suppression.plate_key and not suppression.owner_name:
            return suppression
        if suppression.owner_name and owner_key(suppression.owner_name) == owner:
            return suppression
    return None


def suppression_blocker(case):
    """For the evidence policy (DEARJOHN["POLICY_EXTRA_CHECKS"]): a suppressed case never qualifies."""
    owner = case.registration.owner_name if case.registration_id else ""
    found = suppression_for(case.state, case.plate_key, owner)
    if found:
        return f"Letters to this vehicle or owner are suppressed: {found.reason}"
    return ""


def cooldown_days():
    current = EvidencePolicy.current()
    return current.cooldown_days if current else 0


def last_notice(case, exclude=None):
    notices = case.letters.filter(kind__in=NOTICES).exclude(status=Letter.Status.CANCELLED)
    if exclude is not None:
        notices = notices.exclude(pk=exclude.pk)
    return notices.order_by("-drafted_at").first()


def notice_blockers(case, now=None, letter=None):
    """Why no notice may go out for `case` now (besides `letter` itself); empty when one may.

    Checked at draft, approval and print.
    """
    now = now or timezone.now()
    found = []
    if case.status == Case.Status.WITHDRAWN:
        found.append("The case was withdrawn.")
    if case.registration_id is None:
        found.append("No registered owner is known for this vehicle.")
    else:
        blocker = suppression_blocker(case)
        if blocker:
            found.append(blocker)
    last = last_notice(case, exclude=letter)
    if last is not None:
        when = last.mailed_at or last.approved_at or last.drafted_at
        days = cooldown_days()
        if now - when < timedelta(days=days):
            found.append(f"A notice for this case ({last.reference}) is from {timezone.localtime(when):%Y-%m-%d}; "
                         f"no second notice within the {days}-day cooldown.")
    return found


def observed(case, sighting_ids):
    """What a letter about `case` says was seen (those sightings) and of which vehicle, fixed when it is drafted.

    In the department's time zone. Times of day are ordered from noon,
    because the program's hours run through the night (22:10 to 01:30 is one evening).
    """
    sightings = list(case.sightings.filter(pk__in=sighting_ids).select_related("zone").order_by("seen_at"))
    local = [timezone.localtime(s.seen_at) for s in sightings]
    from_noon = sorted(((t.hour - 12) % 24 * 60 + t.minute, t) for t in local)
    zones = []
    for s in sightings:
        if s.zone.name not in zones:
            zones.append(s.zone.name)
    seen = {
        "dates": sorted({t.date().isoformat() for t in local}),
        "from": from_noon[0][1].strftime("%H:%M") if local else "",
        "to": from_noon[-1][1].strftime("%H:%M") if local else "",
        "zones": zones,
        "count": len(sightings),
        "sighting_ids": [s.pk for s in sightings],
        "plate": sightings[-1].confirmed_plate if sightings else "",
    }
    seen["vehicle"] = _vehicle(case, seen)
    return seen


def _vehicle(case, observed):
    reg = case.registration
    return {"plate": observed.get("plate") or reg.plate, "state": case.state, "make": reg.make, "model": reg.model,
            "color": reg.color, "year": reg.year}


def language_for(registration, chosen=None):
    enabled = settings.DEARJOHN["LETTERS"]["LANGUAGES"]
    for code in (chosen, registration.preferred_language if registration else None):
        if code in enabled:
            return code
    return "en"


def template_for(kind, language):
    template = LetterTemplate.current(kind, language)
    if template is None:
        raise LetterError(f"There is no {kind} letter template in '{language}'; a supervisor must write one first.")
    return template


def _fill_address(letter, name, line1, line2, city, state, zip_code):
    """Normalise onto the letter; an address that cannot be mailed holds the letter for a person."""
    try:
        mailing = address.normalise(name, line1, line2, city, state, zip_code)
    except LetterError as e:
        letter.recipient_name = name
        letter.recipient_address = "\n".join(p for p in [line1, line2, f"{city} {state} {zip_code}".strip()] if p)
        letter.recipient_zip = ""
        letter.hold_reason = str(e)
        letter.status = Letter.Status.HELD
        return False
    letter.recipient_name = mailing.lines[0]
    letter.recipient_address = mailing.text
    letter.recipient_zip = mailing.zip5
    letter.hold_reason = ""
    return True


def _set_case_status(case, status):
    Case.objects.filter(pk=case.pk).update(status=status, updated_at=timezone.now())
    case.status = status


def _reopen(case):
    """A case whose letter did not go returns to following the evidence policy."""
    if case.status == Case.Status.LETTER_PENDING:
        _set_case_status(case, Case.Status.OPEN)
        policy.apply(case)


def draft(case, user=None, language=None, request=None, now=None):
    """Draft the notice a qualifying case calls for; LetterError says why not."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("registration").get(pk=case.pk)
        if case.letters.filter(status__in=OPEN_STATUSES).exists():
            raise LetterError("This case already has a letter waiting; finish or cancel it first.")
        if case.status != Case.Status.QUALIFYING:
            raise LetterError(f"The case does not qualify for a letter (it is: {case.get_status_display().lower()}).")
        blockers = notice_blockers(case, now)
        if blockers:
            raise LetterError(blockers[0])
        decision = policy.evaluate(case, now=now)
        if not decision.qualifies:
            raise LetterError(f"The evidence policy no longer qualifies this case: {decision.reason}")
        reg = case.registration
        earlier = case.letters.filter(kind__in=NOTICES, status__in=SENT_STATUSES).order_by("-drafted_at").first()
        repeat = earlier is not None and owner_key(earlier.recipient_name) == owner_key(reg.owner_name)
        kind = Letter.Kind.REPEAT if repeat else Letter.Kind.FIRST
        code = language_for(reg, language)
        letter = Letter(case=case, kind=kind, language=code, reference=new_reference(), status=Letter.Status.DRAFT,
                        template=template_for(kind, code), observed=observed(case, decision.counted_sighting_ids),
                        drafted_by=user,
                        about_letter=earlier if repeat else None)
        _fill_address(letter, reg.owner_name, reg.address_line1, reg.address_line2, reg.city, reg.address_state,
                      reg.zip_code)
        letter.save()
        _set_case_status(case, Case.Status.LETTER_PENDING)
        record("letter.drafted", user=user, obj=letter, request=request, case=case.number, kind=kind, language=code,
               held=letter.hold_reason)
    return letter


def draft_qualifying(user=None, request=None):
    """Draft a notice for every qualifying case; returns (letters drafted, [(case, why not)])."""
    drafted, skipped = [], []
    for case in Case.objects.filter(status=Case.Status.QUALIFYING).order_by("pk"):
        try:
            drafted.append(draft(case, user=user, request=request))
        except LetterError as e:
            skipped.append((case, str(e)))
    return drafted, skipped


def evidence_confirmers(case):
    """Everyone who vouched for the evidence: sighting reviewers and the vehicle checker."""
    people = set(case.sightings.exclude(reviewed_by=None).values_list("reviewed_by", flat=True))
    if case.vehicle_checked_by_id:
        people.add(case.vehicle_checked_by_id)
    return people


def approve(letter, user, request=None, now=None):
    """A second person's approval; the evidence policy and every rule are checked again first."""
    now = now or timezone.now()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("case").get(pk=letter.pk)
        if letter.status == Letter.Status.HELD:
            raise LetterError(f"Fix the address first: {letter.hold_reason}")
        if letter.status != Letter.Status.DRAFT:
            raise LetterError(f"Only a draft can be approved; this letter is {letter.get_status_display().lower()}.")
        if letter.kind in NOTICES:
            case = letter.case
            if user.pk in evidence_confirmers(case):
                raise LetterError("You confirmed evidence in this case, so another supervisor must approve its letter "
                                  "(two-person rule).")
            blockers = notice_blockers(case, now, letter=letter)
            if blockers:
                raise LetterError(blockers[0])
            decision = policy.evaluate(case, now=now)
            if not decision.qualifies:
                raise LetterError(f"The evidence policy no longer qualifies this case: {decision.reason}")
        letter.status = Letter.Status.APPROVED
        letter.approved_by, letter.approved_at = user, now
        letter.save(update_fields=["status", "approved_by", "approved_at"])
        record("letter.approved", user=user, obj=letter, request=request, case=letter.case.number)
    return letter


def cancel(letter, user, reason, request=None):
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("case").get(pk=letter.pk)
        if letter.status not in OPEN_STATUSES:
            raise LetterError(f"A letter that is {letter.get_status_display().lower()} cannot be cancelled.")
        letter.status = Letter.Status.CANCELLED
        letter.cancelled_reason = (reason or "Cancelled by a supervisor.")[:300]
        letter.save(update_fields=["status", "cancelled_reason"])
        record("letter.cancelled", user=user, obj=letter, request=request, case=letter.case.number,
               reason=letter.cancelled_reason)
        if letter.kind in NOTICES:
            _reopen(letter.case)
    return letter


def fix_address(letter, user, name, line1, line2, city, state, zip_code, request=None):
    """A person's correction of the mailing address; an approved letter needs approving again."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status not in OPEN_STATUSES:
            raise LetterError("The address can only be changed before the letter is printed.")
        mailing = address.normalise(name, line1, line2, city, state, zip_code)
        letter.recipient_name, letter.recipient_address, letter.recipient_zip = mailing.lines[0], mailing.text, mailing.zip5
        letter.hold_reason = ""
        letter.status = Letter.Status.DRAFT
        letter.approved_by = letter.approved_at = None
        letter.save()
        record("letter.address_fixed", user=user, obj=letter, request=request, case=letter.case.number,
               purpose="Correcting a mailing address before printing")
    return letter


def set_language(letter, user, language, request=None):
    if language not in settings.DEARJOHN["LETTERS"]["LANGUAGES"]:
        raise LetterError("Choose one of the letter languages.")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status not in OPEN_STATUSES:
            raise LetterError("The language can only be changed before the letter is printed.")
        letter.language = language
        letter.template = template_for(letter.kind, language)
        if letter.status == Letter.Status.APPROVED:
            letter.status = Letter.Status.DRAFT
            letter.approved_by = letter.approved_at = None
        letter.save()
        record("letter.language_changed", user=user, obj=letter, request=request, language=language)
    return letter
