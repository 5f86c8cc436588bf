from datetime import datetime, timedelta, timezone

import pytest

from dearjohn.cases import policy
from dearjohn.cases.models import Case, EvidencePolicy, Observation
from dearjohn.evidence.models import SourceKind
from tests import factories

NIGHT = datetime(2026, 11, 20, 6, 30, tzinfo=timezone.utc)  # 22:30 the evening before, in California


def ready_case(days=(0, 1, 2), plate="7TST123", **registration):
    """A case whose owner was found and vehicle checked, with confirmed sightings on the given days."""
    case = None
    for day in days:
        _, case = factories.confirmed_sighting(plate, seen_at=NIGHT + timedelta(days=day))
    case.registration = factories.registration(plate, **registration)
    case.vehicle_check = Case.VehicleCheck.MATCH
    case.save()
    return case


@pytest.mark.django_db
def test_it_qualifies_with_enough_sightings_and_says_why():
    factories.evidence_policy()
    case = ready_case()
    decision = policy.apply(case)
    assert decision.qualifies
    assert decision.reason == "3 confirmed sightings on 3 days within 30 days (policy v1)."
    case.refresh_from_db()
    assert case.status == Case.Status.QUALIFYING and case.policy_version == 1


@pytest.mark.django_db
def test_it_needs_distinct_days_inside_the_window():
    factories.evidence_policy()
    case = ready_case(days=(0, 0, 40))
    decision = policy.apply(case)
    assert not decision.qualifies
    assert "needs 3 confirmed sightings on 3 days within 30 days" in decision.reason
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN


@pytest.mark.django_db
def test_one_sighting_and_an_officers_observation_of_solicitation_suffices(users):
    factories.evidence_policy()
    case = ready_case(days=(0,))
    assert not policy.evaluate(case).qualifies
    Observation.objects.create(case=case, officer=users["Officer"], observed_at=NIGHT, text="Stopped and waved a pedestrian over.",
                               solicitation_observed=True)
    decision = policy.evaluate(case)
    assert decision.qualifies and "officer's observation of solicitation" in decision.reason


@pytest.mark.django_db
def test_unverified_public_submissions_do_not_count():
    factories.evidence_policy(min_sightings=1, min_days=1)
    case = ready_case(days=(0,))
    capture = case.sightings.get().plate_read.capture
    capture.source_kind = SourceKind.PUBLIC
    capture.save()
    assert not policy.evaluate(case).qualifies
    capture.verified_at = NIGHT
    capture.save()
    assert policy.evaluate(case).qualifies


@pytest.mark.django_db
def test_an_unconfirmed_sighting_on_the_case_never_counts():
    factories.evidence_policy(min_sightings=1, min_days=1)
    case = Case.for_vehicle("7TST123", "CA")
    case.sightings.add(factories.sighting("7TST123"))
    case.registration = factories.registration("7TST123")
    case.vehicle_check = Case.VehicleCheck.MATCH
    case.save()
    decision = policy.evaluate(case)
    assert not decision.qualifies and decision.counted_sighting_ids == ()


@pytest.mark.django_db
@pytest.mark.parametrize("check,reason,qualifies", [
    (Case.VehicleCheck.MISMATCH, "", False),
    (Case.VehicleCheck.UNCHECKED, "", False),
    (Case.VehicleCheck.CANNOT_TELL, "", False),
    (Case.VehicleCheck.CANNOT_TELL, "Photo taken at night; colour not visible.", True),
])
def test_the_vehicle_check_must_be_a_match_or_cannot_tell_with_a_reason(check, reason, qualifies):
    factories.evidence_policy()
    case = ready_case()
    case.vehicle_check, case.vehicle_check_reason = check, reason
    decision = policy.evaluate(case)
    assert decision.qualifies is qualifies
    if check == Case.VehicleCheck.MISMATCH:
        assert "possible misread or cloned plate" in decision.reason


@pytest.mark.django_db
def test_fleet_vehicles_follow_the_configured_handling():
    factories.evidence_policy(fleet_handling=EvidencePolicy.Handling.NO_LETTER)
    case = ready_case(vehicle_class="fleet")
    assert "sends no letters for fleet vehicles" in policy.evaluate(case).reason
    factories.evidence_policy(fleet_handling=EvidencePolicy.Handling.LETTER_TO_OWNER)
    assert policy.evaluate(case).qualifies


@pytest.mark.django_db
def test_no_owner_no_letter():
    factories.evidence_policy()
    case = ready_case()
    case.registration = None
    assert "No registered owner" in policy.evaluate(case).reason


@pytest.mark.django_db
def test_a_withdrawn_case_never_qualifies():
    factories.evidence_policy()
    case = ready_case()
    case.status = Case.Status.WITHDRAWN
    case.save()
    assert not policy.apply(case).qualifies
    assert Case.objects.get(pk=case.pk).status == Case.Status.WITHDRAWN


@pytest.mark.django_db
def test_cooldown_after_a_letter(users):
    from dearjohn.letters.models import Letter

    factories.evidence_policy(cooldown_days=180, min_sightings=1, min_days=1)
    case = ready_case(days=(0,))
    Letter.objects.create(case=case, reference="REF-COOLDOWN-1", status="mailed", recipient_name="x", recipient_address="y",
                          approved_at=NIGHT + timedelta(days=1))
    factories.confirmed_sighting("7TST123", seen_at=NIGHT + timedelta(days=20))
    decision = policy.evaluate(case, now=NIGHT + timedelta(days=21))
    assert not decision.qualifies and "cooldown runs until" in decision.reason
    assert policy.evaluate(case, now=NIGHT + timedelta(days=200)).qualifies
    # Only sightings after the last letter count toward the next one.
    assert policy.evaluate(case, now=NIGHT + timedelta(days=200)).counted_sighting_ids == (case.sightings.latest("seen_at").pk,)


@pytest.mark.django_db
def test_a_policy_version_is_never_edited():
    first = factories.evidence_policy()
    second = factories.evidence_policy(min_sightings=2)
    assert (first.version, second.version) == (1, 2) and EvidencePolicy.current() == second
    first.min_sightings = 1
    with pytest.raises(ValueError):
        first.save()
    with pytest.raises(ValueError):
        first.delete()


@pytest.mark.django_db
def test_without_a_policy_nothing_qualifies():
    case = ready_case()
    assert policy.evaluate(case).reason.startswith("No evidence policy")


@pytest.mark.django_db
def test_the_demo_step_creates_version_one_once():
    from dearjohn.cases.demo import seed_policy

    assert "version 1 created" in seed_policy()
    assert "version 1 in force" in seed_policy()
    assert EvidencePolicy.objects.count() == 1


@pytest.mark.django_db
def test_the_window_slides_to_the_best_stretch():
    factories.evidence_policy(min_sightings=3, min_days=3, window_days=7)
    case = ready_case(days=(0, 10, 20, 21, 22, 40))
    decision = policy.evaluate(case)
    assert decision.qualifies and decision.reason.startswith("3 confirmed sightings on 3 days within 7 days")
