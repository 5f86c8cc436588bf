"""The evidence policy: does a case have enough, checked evidence for a letter?

`evaluate(case)` is the one place that decides. The review pages call it after
every change to a case, and the letters app calls it again before a letter is
approved, so a case cannot drift into a letter on evidence that no longer holds.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from dearjohn.evidence.models import Sighting

from .models import Case, EvidencePolicy

COUNTED_REVIEWS = (Sighting.ReviewStatus.CONFIRMED, Sighting.ReviewStatus.CORRECTED)
# Letter statuses that start a cooldown. Named here as values, not imported,
# because letters builds on cases and not the other way round.
SENT_LETTER_STATUSES = ("approved", "printed", "mailed", "delivered", "returned")


@dataclass(frozen=True)
class Decision:
    """What the policy says about a case, and why, in words a supervisor can read aloud."""

    qualifies: bool
    reason: str
    policy_version: int | None
    blockers: tuple[str, ...] = ()
    counted_sighting_ids: tuple[int, ...] = field(default=(), repr=False)


def _days(n):
    return f"{n} day" if n == 1 else f"{n} days"


def _sightings(n):
    return f"{n} confirmed sighting" if n == 1 else f"{n} confirmed sightings"


def counted_sightings(case, since=None):
    """The case's sightings a person confirmed, from evidence the program may use.

    A sighting counts only if a named reviewer confirmed (or corrected) it to
    this case's plate and state, and its capture is usable: an unverified
    public submission or a file that failed its hash check never counts.
    """
    sightings = (case.sightings.filter(review_status__in=COUNTED_REVIEWS, reviewed_by__isnull=False,
                                       reviewed_at__isnull=False, confirmed_plate_key=case.plate_key,
                                       confirmed_state=case.state)
                 .select_related("plate_read__capture").order_by("seen_at"))
    if since is not None:
        sightings = sightings.filter(seen_at__gt=since)
    return [s for s in sightings if s.plate_read.capture.usable_as_evidence]


def best_window(sightings, policy):
    """The W-day window with the most distinct days (then sightings): (count, days, first, last).

    `sightings` are in time order; a sliding window keeps this linear, so a
    vehicle seen a thousand times costs no more than reading its rows.
    """
    best = (0, 0, None, None)
    window = timedelta(days=policy.window_days)
    days = [timezone.localtime(s.seen_at).date() for s in sightings]
    per_day, start = {}, 0
    for end, sighting in enumerate(sightings):
        per_day[days[end]] = per_day.get(days[end], 0) + 1
        while sighting.seen_at - sightings[start].seen_at >= window:
            per_day[days[start]] -= 1
            if not per_day[days[start]]:
                del per_day[days[start]]
            start += 1
        candidate = (end - start + 1, len(per_day), sightings[start], sighting)
        if (candidate[1], candidate[0]) > (best[1], best[0]):
            best = candidate
    return best


def _last_letter_at(case):
    sent = case.letters.filter(status__in=SENT_LETTER_STATUSES) if hasattr(case, "letters") else None
    if sent is None:
        return None
    last = sent.order_by("-approved_at").values_list("approved_at", "drafted_at").first()
    return (last[0] or last[1]) if last else None


def _evidence_reason(case, policy, sightings):
    """(met, words) for the sightings/observation part of the policy."""
    count, days, first, last = best_window(sightings, policy)
    if count >= policy.min_sightings and days >= policy.min_days:
        return True, f"{_sightings(count)} on {_days(days)} within {_days(policy.window_days)}"
    if policy.observation_suffices and sightings:
        observed = case.observations.filter(solicitation_observed=True).order_by("-observed_at").first()
        if observed is not None:
            return True, (f"{_sightings(len(sightings))} and an officer's observation of solicitation "
                          f"on {timezone.localtime(observed.observed_at):%Y-%m-%d}")
    needed = f"needs {_sightings(policy.min_sightings)} on {_days(policy.min_days)} within {_days(policy.window_days)}"
    if policy.observation_suffices:
        needed += ", or one with an officer's observation of solicitation"
    have = f"best so far: {_sightings(count)} on {_days(days)}" if count else "no confirmed sightings yet"
    return False, f"Not enough evidence: {needed} ({have})."


def evaluate(case, now=None):
    """Decide whether `case` may go to a letter under the current evidence policy.

    Qualifies only when every rule holds: a policy exists; the case is not
    withdrawn, closed or under suppression; the registered owner was found;
    the vehicle check is a match, or cannot-tell with a reason (a mismatch
    blocks: possible misread or cloned plate); the vehicle class may receive
    letters; no letter inside the cooldown; and the counted sightings (each
    confirmed by a person) meet the policy.
    """
    now = now or timezone.now()
    policy = EvidencePolicy.current()
    if policy is None:
        return Decision(False, "No evidence policy has been set; a supervisor must set one.", None,
                        ("no policy",))
    blockers = []
    if case.status in (Case.Status.WITHDRAWN, Case.Status.CLOSED):
        blockers.append(f"The case is {case.get_status_display().lower()}.")
    if case.vehicle_check == Case.VehicleCheck.MISMATCH:
        blockers.append("The registered vehicle does not match the image: possible misread or cloned plate.")
    elif case.vehicle_check == Case.VehicleCheck.UNCHECKED:
        blockers.append("Nobody has compared the registered vehicle with the image yet.")
    elif case.vehicle_check == Case.VehicleCheck.CANNOT_TELL and not case.vehicle_check_reason.strip():
        blockers.append("The vehicle check says 'cannot tell' without a reason.")
    if case.registration_id is None:
        blockers.append("No registered owner has been found for this plate.")
    else:
        vehicle_class = case.registration.vehicle_class
        if policy.handling_for(vehicle_class) == EvidencePolicy.Handling.NO_LETTER:
            label = case.registration.get_vehicle_class_display().lower()
            blockers.append(f"Policy v{policy.version} sends no letters for {label} vehicles.")
    last_letter = _last_letter_at(case)
    if last_letter is not None and now - last_letter < timedelta(days=policy.cooldown_days):
        until = timezone.localtime(last_letter + timedelta(days=policy.cooldown_days))
        blockers.append(f"A letter went out on {timezone.localtime(last_letter):%Y-%m-%d}; "
                        f"the {_days(policy.cooldown_days)} cooldown runs until {until:%Y-%m-%d}.")
    for path in settings.DEARJOHN.get("POLICY_EXTRA_CHECKS", ()):
        said = import_string(path)(case)
        if said:
            blockers.append(str(said))
    sightings = counted_sightings(case, since=last_letter)
    met, words = _evidence_reason(case, policy, sightings)
    if not met:
        blockers.append(words)
    ids = tuple(s.pk for s in sightings)
    if blockers:
        return Decision(False, blockers[0], policy.version, tuple(blockers), ids)
    return Decision(True, words[0].upper() + words[1:] + f" (policy v{policy.version}).", policy.version, (), ids)


# A case in one of these statuses follows the policy: it becomes qualifying
# when the policy is met and falls back to open when it no longer is. Later
# statuses belong to the letters workflow.
FOLLOWS_POLICY = (Case.Status.OPEN, Case.Status.QUALIFYING, Case.Status.LETTERED)


def apply(case, now=None):
    """Evaluate `case` and record the outcome on it; returns the Decision."""
    decision = evaluate(case, now=now)
    if case.status in FOLLOWS_POLICY:
        if decision.qualifies:
            case.status = Case.Status.QUALIFYING
            case.qualified_reason = decision.reason[:300]
            case.policy_version = decision.policy_version
        elif case.status == Case.Status.QUALIFYING:
            case.status = Case.Status.OPEN
            case.qualified_reason = ""
            case.policy_version = None
        case.save(update_fields=["status", "qualified_reason", "policy_version", "updated_at"])
    return decision


def apply_to_all():
    """Re-evaluate every case that follows the policy (after a new version); returns how many changed status."""
    changed = 0
    for case in Case.objects.filter(status__in=FOLLOWS_POLICY).select_related("registration").iterator():
        before = case.status
        apply(case)
        changed += case.status != before
    return changed
