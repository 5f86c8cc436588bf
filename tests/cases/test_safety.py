"""The promises that keep a wrong-owner letter from going out, each checked end to end."""

from datetime import datetime, timezone

import pytest
from django.urls import reverse

from dearjohn.cases import policy, review
from dearjohn.cases.models import Case, CasesError
from dearjohn.evidence.models import Sighting
from dearjohn.oversight.models import AuditEvent
from dearjohn.vehicles.models import OwnerLookup
from tests import factories

NIGHTS = [datetime(2026, 11, d, 6, 30, tzinfo=timezone.utc) for d in (18, 19, 20)]
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def misread(db):
    """The true plate is 7ABC128 (a red pickup); the engine confidently reads 7ABC123, a silver Camry in the registry."""
    factories.evidence_policy(min_sightings=3, min_days=3)
    factories.registration("7ABC123", make="Toyota", model="Camry", color="Silver", owner_name="Innocent Owner")
    return [factories.stored_sighting("7ABC123", confidence=0.97, seen_at=night,
                                      candidates=[{"text": "7ABC123", "confidence": 0.97}, {"text": "7ABC128", "confidence": 0.02}])
            for night in NIGHTS]


def test_a_confident_misread_alone_never_reaches_a_case(misread, client_for):
    client = client_for("Reviewer")
    client.get(reverse("cases:review_queue"))
    client.get(reverse("cases:review_next"))
    assert not Case.objects.exists()
    assert all(s.review_status == Sighting.ReviewStatus.PENDING for s in Sighting.objects.all())


def test_unconfirmed_reads_never_count_even_if_attached_to_the_registered_plates_case(misread, users):
    case = Case.for_vehicle("7ABC123", "CA")
    case.sightings.add(*misread)
    case.registration = factories.registration("7ABC999")  # any registration: the confirmed reads are what is missing
    case.vehicle_check = Case.VehicleCheck.MATCH
    case.save()
    decision = policy.apply(case)
    assert not decision.qualifies and decision.counted_sighting_ids == ()
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN


def test_nothing_confirms_without_a_person(misread):
    with pytest.raises(CasesError):
        review.confirm(misread[0], None, "7ABC123", "CA")
    misread[0].refresh_from_db()
    assert misread[0].review_status == Sighting.ReviewStatus.PENDING


def test_a_reviewer_who_picks_the_right_candidate_keeps_the_innocent_owner_out(misread, client_for):
    client = client_for("Reviewer")
    for s in misread:
        client.post(reverse("cases:review_decide", args=[s.pk]), {"action": "confirm", "plate": "7ABC128", "state": "CA"}, **FETCH)
    assert list(Case.objects.values_list("plate_key", flat=True)) == ["7ABC128"]
    case = Case.objects.get()
    client.post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": "letter_case", "case_number": case.number})
    case.refresh_from_db()
    assert case.registration is None and not policy.evaluate(case).qualifies


def test_a_wrong_confirmation_is_stopped_by_the_vehicle_check(misread, client_for):
    client = client_for("Reviewer")
    for s in misread:  # the reviewer accepts the pre-selected misread three times
        client.post(reverse("cases:review_decide", args=[s.pk]), {"action": "confirm", "plate": "7ABC123", "state": "CA"}, **FETCH)
    case = Case.objects.get(plate_key="7ABC123")
    client.post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": "vehicle_check", "case_number": case.number})
    client.post(reverse("cases:case_vehicle_check", args=[case.pk]),
                {"result": "mismatch", "reason": "Image shows a red pickup; registration is a silver Camry"})
    case.refresh_from_db()
    decision = policy.evaluate(case)
    assert case.status == Case.Status.OPEN and not decision.qualifies
    assert "possible misread or cloned plate" in decision.reason
    assert case.possible_misread


def test_every_lookup_is_in_the_audit_log(misread, client_for, users):
    client = client_for("Reviewer")
    client.post(reverse("cases:review_decide", args=[misread[0].pk]), {"action": "confirm", "plate": "7ABC123", "state": "CA"}, **FETCH)
    case = Case.objects.get()
    for purpose in ("letter_case", "vehicle_check", "audit"):
        client.post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": purpose, "case_number": case.number})
    client.post(reverse("cases:case_lookup", args=[case.pk]), {"purpose": "", "case_number": case.number})  # refused
    lookups = OwnerLookup.objects.all()
    events = AuditEvent.objects.filter(action="owner_lookup")
    assert lookups.count() == 3 and events.count() == 3
    assert {e.object_id for e in events} == {str(lookup.pk) for lookup in lookups}
    assert all(e.username == "reviewer" and case.number in e.purpose and e.detail["plate"] == "7ABC123" for e in events)
