"""Registered-owner lookup: one interface, two registries, every search logged with its purpose.

California Civil Code 1798.90.52 asks that every access to ALPR-derived
owner data be logged with who, when, what and why; so there is exactly one
way to ask (`look_up`), it refuses to run without a purpose and a case
number, and it writes an OwnerLookup row and an audit event whether or not
anything was found.

The registry behind it is chosen in settings (`OWNER_LOOKUP_ADAPTER`): the
local table filled by `dearjohn registry import`, or the department's
DMV/CLETS gateway over HTTP. Gateway answers are kept in the same table, so
a case points at one Registration row however it was found.
"""

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dearjohn.evidence.models import plate_key as make_plate_key
from dearjohn.oversight.audit import record

from .models import US_STATES, OwnerLookup, Registration, VehiclesError

log = logging.getLogger(__name__)

RECORD_FIELDS = ["plate", "state", "make", "model", "color", "year", "vehicle_class", "owner_name", "address_line1",
                 "address_line2", "city", "address_state", "zip_code", "preferred_language", "registry_updated_on"]
REQUIRED_FIELDS = ["plate", "state", "make", "owner_name", "address_line1", "city", "address_state", "zip_code"]


class Registry:
    """Where registrations come from. `find` returns Registration rows for one plate in one state."""

    source = ""

    def find(self, plate_key, state):
        raise NotImplementedError


class LocalRegistry(Registry):
    """The table loaded from the state's DMV extract."""

    source = "local"

    def find(self, plate_key, state):
        return list(Registration.objects.filter(plate_key=plate_key, state=state))


class GatewayRegistry(Registry):
    """A department's DMV/CLETS gateway answering JSON over HTTP(S).

    GET {URL}?plate=KEY&state=ST with the configured auth header; the answer's
    RECORDS_KEY holds a list of records whose fields FIELD_MAP names. Network
    failures and 5xx answers are retried; a 4xx answer is not (it will not
    change by asking again).
    """

    source = "gateway"

    def __init__(self, config=None):
        self.config = config or settings.DEARJOHN["GATEWAY"]
        if not self.config.get("URL"):
            raise VehiclesError("The DMV gateway is not configured: set DEARJOHN_GATEWAY_URL, or use the local registry.")

    def _fetch(self, plate_key, state):
        query = urllib.parse.urlencode({"plate": plate_key, "state": state})
        url = self.config["URL"] + ("&" if "?" in self.config["URL"] else "?") + query
        headers = {"Accept": "application/json"}
        if self.config.get("AUTH_VALUE"):
            headers[self.config.get("AUTH_HEADER") or "Authorization"] = self.config["AUTH_VALUE"]
        attempts = 1 + max(0, int(self.config.get("RETRIES", 0)))
        for attempt in range(1, attempts + 1):
            try:
                request = urllib.request.Request(url, headers=headers)
                with urllib.request.urlopen(request, timeout=float(self.config.get("TIMEOUT_SECONDS", 10))) as answer:
                    return json.loads(answer.read().decode("utf-8"))
            except urllib.error.HTTPError as e:
                if e.code < 500:
                    raise VehiclesError(f"The DMV gateway refused the lookup (HTTP {e.code}); check the gateway credentials.") from None
                problem = f"HTTP {e.code}"
            except (urllib.error.URLError, TimeoutError, OSError) as e:
                problem = str(getattr(e, "reason", e))
            except ValueError:
                raise VehiclesError("The DMV gateway answered with something that is not JSON; ask its administrator.") from None
            log.warning("gateway lookup attempt %d of %d failed: %s", attempt, attempts, problem)
            if attempt < attempts:
                time.sleep(min(0.2 * 2 ** (attempt - 1), 2.0))
        raise VehiclesError(f"The DMV gateway did not answer after {attempts} tries ({problem}); try again later.")

    def _records(self, data):
        key = self.config.get("RECORDS_KEY", "records")
        records = data.get(key) if key and isinstance(data, dict) else data
        if not isinstance(records, list):
            raise VehiclesError("The DMV gateway's answer has no list of records where the settings say; check DEARJOHN_GATEWAY_RECORDS_KEY.")
        return records

    def find(self, plate_key, state):
        field_map = self.config.get("FIELD_MAP") or {}
        found = []
        for raw in self._records(self._fetch(plate_key, state)):
            values = {ours: raw.get(field_map.get(ours, ours)) for ours in RECORD_FIELDS}
            values["plate"] = values["plate"] or plate_key
            values["state"] = values["state"] or state
            found.append(registration_from(values, source="the DMV gateway"))
        return found


def registration_from(values, source):
    """Upsert one registry record (by state and plate key) and return its row; raises VehiclesError if it is unusable."""
    cleaned = clean_record(values, source)
    with transaction.atomic():
        row, _ = Registration.objects.update_or_create(state=cleaned["state"], plate_key=cleaned["plate_key"], defaults=cleaned)
    return row


def clean_record(values, source="the record"):
    """Check and normalise one registry record (a dict of RECORD_FIELDS); raises VehiclesError naming the field."""
    out = {}
    for name in RECORD_FIELDS:
        value = values.get(name)
        out[name] = "" if value is None else str(value).strip()
    missing = [name for name in REQUIRED_FIELDS if not out[name]]
    if missing:
        raise VehiclesError(f"{source} has no {', '.join(missing)}.")
    out["state"] = out["state"].upper()
    out["address_state"] = out["address_state"].upper()
    if out["state"] not in US_STATES:
        raise VehiclesError(f"{source}: state '{out['state']}' is not a US state code.")
    out["plate"] = out["plate"].upper().replace(" ", "").replace("-", "")
    out["plate_key"] = make_plate_key(out["plate"])
    if not 1 <= len(out["plate_key"]) <= 8:
        raise VehiclesError(f"{source}: plate '{out['plate']}' is not 1 to 8 letters and digits.")
    if out["year"]:
        try:
            out["year"] = int(out["year"])
        except ValueError:
            raise VehiclesError(f"{source}: year '{out['year']}' is not a year.") from None
        if not 1900 <= out["year"] <= date.today().year + 2:
            raise VehiclesError(f"{source}: year {out['year']} is out of range.")
    else:
        out["year"] = None
    vehicle_class = (out["vehicle_class"] or Registration.VehicleClass.PRIVATE).lower()
    if vehicle_class not in Registration.VehicleClass.values:
        raise VehiclesError(f"{source}: vehicle class '{vehicle_class}' is not one of {', '.join(Registration.VehicleClass.values)}.")
    out["vehicle_class"] = vehicle_class
    if out["registry_updated_on"]:
        try:
            out["registry_updated_on"] = date.fromisoformat(out["registry_updated_on"][:10])
        except ValueError:
            raise VehiclesError(f"{source}: registry_updated_on '{out['registry_updated_on']}' is not a date (YYYY-MM-DD).") from None
    else:
        out["registry_updated_on"] = None
    out["preferred_language"] = out["preferred_language"].lower() or "en"
    for name in ("plate", "make", "model", "color", "city", "zip_code"):
        limit = Registration._meta.get_field(name).max_length
        if len(out[name]) > limit:
            raise VehiclesError(f"{source}: {name} is longer than {limit} characters.")
    return out


def registry():
    """The registry the settings name."""
    adapter = settings.DEARJOHN.get("OWNER_LOOKUP_ADAPTER", "local")
    if adapter == "local":
        return LocalRegistry()
    if adapter == "gateway":
        return GatewayRegistry()
    raise VehiclesError(f"Unknown owner lookup adapter '{adapter}'; use 'local' or 'gateway'.")


@dataclass(frozen=True)
class LookupResult:
    lookup: OwnerLookup
    registrations: tuple

    @property
    def registration(self):
        """The one registration found, or None when none or several were found (a person must sort that out)."""
        return self.registrations[0] if len(self.registrations) == 1 else None


def purpose_words(purpose, case_number):
    return f"{OwnerLookup.Purpose(purpose).label}, case {case_number}"


def look_up(plate, state, *, user, purpose, case_number, request=None, source=None):
    """Search the registry for a plate's owner, for a stated purpose, and log it.

    Refused (VehiclesError) without a purpose from OwnerLookup.Purpose and a
    case number. The OwnerLookup row and the audit event are written even when
    nothing is found, and even when the registry fails.
    """
    if purpose not in OwnerLookup.Purpose.values:
        raise VehiclesError("Say why you are looking up this owner: choose a purpose from the list.")
    if not (case_number or "").strip():
        raise VehiclesError("An owner lookup needs the case number it is for.")
    if user is None or not user.is_authenticated:
        raise VehiclesError("Only a signed-in person can look up an owner.")
    key, state = make_plate_key(plate or ""), (state or "").strip().upper()
    if not key or state not in US_STATES:
        raise VehiclesError("An owner lookup needs the plate and its two-letter state.")
    source = source or registry()
    failure = None
    try:
        found = source.find(key, state)
    except VehiclesError as e:
        found, failure = [], e
    lookup = OwnerLookup.objects.create(user=user, plate_key=key, state=state, purpose=purpose,
                                        case_number=case_number.strip(), source=source.source,
                                        records_found=len(found), registration=found[0] if len(found) == 1 else None)
    record("owner_lookup", user=user, obj=lookup, request=request, purpose=purpose_words(purpose, case_number.strip()),
           plate=key, state=state, source=source.source, records_found=len(found), failed=str(failure) if failure else "")
    if failure is not None:
        raise failure
    return LookupResult(lookup, tuple(found))


def fingerprint(registration):
    """A keyed hash of what a letter and a vehicle check rely on: vehicle and owner, without storing either twice."""
    if registration is None:
        return ""
    parts = [str(getattr(registration, name) or "") for name in RECORD_FIELDS if name != "registry_updated_on"]
    return salted_hmac("dearjohn.vehicles.fingerprint", "\x1f".join(parts)).hexdigest()


def look_up_for_case(case, user, purpose, request=None):
    """Look up the owner of `case`'s vehicle and keep the answer on the case.

    If the registration differs from the one the case relied on (the car was
    sold, or the record changed), the vehicle check no longer holds and is
    cleared, so a person compares the vehicle with the image again.
    """
    result = look_up(case.plate_key, case.state, user=user, purpose=purpose, case_number=case.number, request=request)
    new_fingerprint = fingerprint(result.registration)
    changed = bool(case.registration_fingerprint) and new_fingerprint != case.registration_fingerprint
    case.owner_lookup = result.lookup
    case.registration = result.registration
    case.registration_fingerprint = new_fingerprint
    if changed or result.registration is None:
        _void_vehicle_check(case, "The registration changed since the vehicle check; check again.")
    case.save()
    _reapply_policy(case)
    return result, changed


def _void_vehicle_check(case, reason):
    if case.vehicle_check != case.VehicleCheck.UNCHECKED:
        case.vehicle_check = case.VehicleCheck.UNCHECKED
        case.vehicle_check_reason = reason
        case.vehicle_checked_by = None
        case.vehicle_checked_at = None


def _reapply_policy(case):
    # The case's status follows the evidence policy; imported here because
    # cases builds on vehicles, not the other way round.
    from dearjohn.cases import policy

    policy.apply(case)


@dataclass(frozen=True)
class Freshness:
    """What `ensure_fresh` found: whether it looked again, and whether the owner or vehicle changed."""

    looked_up: bool
    changed: bool
    registration: Registration | None

    @property
    def may_print(self):
        return self.registration is not None and not self.changed


def is_stale(case, now=None):
    now = now or timezone.now()
    max_age = timedelta(days=settings.DEARJOHN["LOOKUP_MAX_AGE_DAYS"])
    return case.owner_lookup is None or now - case.owner_lookup.looked_up_at > max_age


def ensure_fresh(case, user, purpose=OwnerLookup.Purpose.PRE_PRINT_RECHECK, request=None, now=None):
    """Call before printing a letter: repeats the lookup if it is older than LOOKUP_MAX_AGE_DAYS.

    Returns a Freshness; print only if `may_print`. When the owner or vehicle
    changed, the case's vehicle check has been cleared and its status
    re-evaluated (it is no longer qualifying), so the letter must wait for a
    person.
    """
    if is_stale(case, now=now):
        result, changed = look_up_for_case(case, user, purpose, request=request)
        return Freshness(True, changed or result.registration is None, result.registration)
    current = Registration.objects.filter(pk=case.registration_id).first()
    changed = current is None or fingerprint(current) != case.registration_fingerprint
    if changed:
        _void_vehicle_check(case, "The registration record changed since the vehicle check; check again.")
        case.save()
        _reapply_policy(case)
    return Freshness(False, changed, current)
