"""The public response page's rules, and the Supervisor's decision on what recipients say.

A recipient proves they hold the letter with its reference and the ZIP code it
was mailed to. Wrong code and wrong ZIP get the same answer, and an address
that keeps failing is stopped for a while (`RESPONSE_MAX_FAILURES` per
`RESPONSE_FAILURE_WINDOW_MINUTES`); only a keyed hash of the address is kept.
"""

import hmac
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dearjohn.cases.models import Case
from dearjohn.oversight.audit import record

from . import drafting, languages, public_text
from .errors import LetterError
from .models import Letter, Response, ResponseAttempt, Suppression
from .references import clean_reference, new_reference

ANSWERABLE = (Letter.Status.PRINTED, Letter.Status.MAILED, Letter.Status.DELIVERED, Letter.Status.RETURNED)


def _config():
    return settings.DEARJOHN["LETTERS"]


def source_of(request):
    return salted_hmac("dearjohn.letters.response-attempt", request.META.get("REMOTE_ADDR", "")).hexdigest()


def _window_start(now):
    return now - timedelta(minutes=_config()["RESPONSE_FAILURE_WINDOW_MINUTES"])


def is_blocked(source, now=None):
    now = now or timezone.now()
    return ResponseAttempt.objects.filter(source=source, at__gte=_window_start(now)).count() >= _config()["RESPONSE_MAX_FAILURES"]


def find_letter(code, zip_code, source, now=None):
    """The letter for this reference and ZIP, or None; a failure counts against `source`."""
    now = now or timezone.now()
    reference = clean_reference(code)
    zip5 = "".join(ch for ch in (zip_code or "") if ch.isdigit())[:5]
    letter = Letter.objects.filter(reference=reference or "", status__in=ANSWERABLE).first()
    # Compare in constant time, and even when no letter was found, so the two failures look alike.
    expected = letter.recipient_zip if letter else "00000"
    matches = hmac.compare_digest(expected.encode(), zip5.encode()) and letter is not None and len(zip5) == 5
    if not matches:
        ResponseAttempt.objects.create(source=source)
        ResponseAttempt.objects.filter(at__lt=_window_start(now)).delete()
        return None
    return letter


def summary(letter, lang="en"):
    """What the response page shows a recipient, in `lang`: dates and area only, never images or anyone's details."""
    observed = letter.observed or {}
    text = public_text.texts(lang)
    mailed = letter.mailed_at or letter.printed_at
    written = languages.get(lang)
    kind = text.get(f"kind_{letter.kind}") or letter.get_kind_display()
    days = []
    for day in observed.get("dates", []):
        try:
            days.append(written.date(date.fromisoformat(day)))
        except (TypeError, ValueError):
            days.append(str(day))
    return {"reference": letter.reference, "mailed": mailed, "kind": kind,
            "letter": text["letter_sent"].format(kind=kind, date=written.date(timezone.localdate(mailed))) if mailed else kind,
            "dates": written.separator.join(days), "zones": text["list_separator"].join(observed.get("zones", []))}


def submit(letter, reason, message="", contact="", request=None):
    if reason not in Response.Reason.values:
        raise LetterError("Choose one of the reasons.")
    response = Response.objects.create(letter=letter, reason=reason, message=message.strip()[:4000],
                                       contact=contact.strip()[:300])
    record("letter.response_received", obj=letter, request=request, reason=reason, response=response.pk)
    return response


def decide(letter, user, decision, note="", send_apology=False, request=None, now=None):
    """Uphold, or withdraw: withdrawal suppresses the owner–vehicle pair, withdraws the case, and may
    approve an apology letter for the next print batch."""
    now = now or timezone.now()
    if decision not in (Response.Decision.UPHELD, Response.Decision.WITHDRAWN):
        raise LetterError("Choose uphold or withdraw.")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("case").get(pk=letter.pk)
        waiting = list(letter.responses.filter(decision=Response.Decision.NEW))
        if not waiting:
            raise LetterError("This letter has no response waiting for a decision.")
        Response.objects.filter(pk__in=[r.pk for r in waiting]).update(
            decision=decision, decided_by=user, decided_at=now, decision_note=note.strip())
        record(f"letter.{decision}", user=user, obj=letter, request=request, case=letter.case.number, note=note.strip())
        apology = None
        if decision == Response.Decision.WITHDRAWN:
            case = letter.case
            Suppression.objects.create(state=case.state, plate_key=case.plate_key,
                                       owner_name=drafting.owner_key(letter.recipient_name), created_by=user,
                                       response=waiting[0], reason=f"Letter {letter.reference} withdrawn after a response")
            for other in case.letters.filter(status__in=drafting.OPEN_STATUSES, kind__in=drafting.NOTICES):
                drafting.cancel(other, user, f"Letter {letter.reference} was withdrawn.", request=request)
            Case.objects.filter(pk=case.pk).update(status=Case.Status.WITHDRAWN, updated_at=now)
            if send_apology:
                apology = Letter.objects.create(
                    case=case, kind=Letter.Kind.APOLOGY, language=letter.language, reference=new_reference(),
                    status=Letter.Status.APPROVED, recipient_name=letter.recipient_name,
                    recipient_address=letter.recipient_address, recipient_zip=letter.recipient_zip,
                    template=drafting.template_for(Letter.Kind.APOLOGY, letter.language), about_letter=letter,
                    drafted_by=user, approved_by=user, approved_at=now)
                record("letter.apology_approved", user=user, obj=apology, request=request, case=case.number,
                       about=letter.reference)
    return apology
