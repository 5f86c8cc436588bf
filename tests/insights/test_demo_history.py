import pytest
from django.db import models

from dearjohn.evidence.models import Capture, Sighting
from dearjohn.insights import deterrence, measure
from dearjohn.insights.demo import NOTE, seed_history
from dearjohn.letters.models import Letter
from dearjohn.letters.references import clean_reference
from dearjohn.site.demo import seed_users, seed_zones_and_cameras


@pytest.mark.django_db
def test_demo_history_fills_every_chart_and_runs_once():
    seed_users()
    seed_zones_and_cameras()
    said = seed_history()
    assert "demo history" in said
    counts = (Capture.objects.count(), Sighting.objects.count(), Letter.objects.count())
    assert "already" in seed_history()
    assert counts == (Capture.objects.count(), Sighting.objects.count(), Letter.objects.count())

    # Kept apart from real evidence: labelled, no file, nothing left for a person to act on.
    assert not Capture.objects.exclude(note=NOTE).exists()
    assert not Capture.objects.exclude(stored_path="").exists()
    assert not Sighting.objects.filter(review_status=Sighting.ReviewStatus.PENDING).exists()
    assert not Letter.objects.filter(status__in=[Letter.Status.DRAFT, Letter.Status.APPROVED]).exists()
    # References in the printed form, so a history letter can be tried on the response page, which
    # shows what the letter says was seen.
    assert all(clean_reference(r) == r for r in Letter.objects.values_list("reference", flat=True))
    for letter in Letter.objects.all():
        assert letter.observed["dates"] and letter.observed["zones"] and letter.observed["count"] >= 1
        assert max(letter.observed["dates"]) <= str(letter.drafted_at.date())
        assert letter.observed["vehicle"]["plate"] == letter.case.registration.plate

    window = measure.Window.recent()
    assert len(measure.weekly_sightings(window)) == 2
    assert sum(map(sum, measure.weekday_hour(window))) == measure.sightings_in(window).count() > 3000
    assert sum(measure.monthly_letters(window)["mailed"].values()) > 50
    report = deterrence.analyse()
    assert report.overall.lettered.vehicles > 50 and report.overall.comparison.vehicles > 100
    assert all(e.share is not None for e in report.overall.lettered.estimates)


@pytest.mark.django_db
def test_history_loaded_in_the_small_hours_has_nothing_from_later_that_night():
    """Evenings run past midnight; loaded at 00:30, last night's 01:00-03:59 have not happened yet."""
    from django.utils import timezone
    from freezegun import freeze_time

    with freeze_time("2026-12-06 08:30:00"):  # 00:30 in San Francisco
        seed_users()
        seed_zones_and_cameras()
        seed_history()
        now = timezone.now()
    assert Capture.objects.filter(note=NOTE).count() > 3000
    assert not Capture.objects.filter(note=NOTE, taken_at__gt=now).exists()
    assert not Capture.objects.filter(note=NOTE, received_at__gt=now).exists()
    assert not Sighting.objects.filter(seen_at__gt=now).exists()


@pytest.mark.django_db
def test_a_lettered_history_case_went_through_the_programs_steps():
    """Owner looked up (logged), vehicle checked by a person, letters to that owner: as the rules require."""
    from dearjohn.cases import policy
    from dearjohn.cases.models import Case

    seed_users()
    seed_zones_and_cameras()
    seed_history()
    cases = Case.objects.filter(number__startswith="DEMO-H-").select_related("registration", "owner_lookup")
    assert cases.count() > 50
    for case in cases:
        first = case.letters.order_by("approved_at").first()
        assert case.registration.plate_key == case.plate_key
        assert case.owner_lookup.registration == case.registration and case.owner_lookup.case_number == case.number
        assert case.owner_lookup.looked_up_at < case.vehicle_checked_at < first.approved_at
        assert case.vehicle_check == Case.VehicleCheck.MATCH and case.vehicle_checked_by.username == "reviewer"
        assert {letter.recipient_name for letter in case.letters.all()} == {case.registration.owner_name}
    blockers = policy.evaluate(cases.first()).blockers
    assert not [b for b in blockers if "compared" in b or "registered owner" in b]


@pytest.mark.django_db
def test_the_demo_shows_a_camera_that_has_learnt_its_sign():
    from dearjohn.evidence.models import Camera
    from dearjohn.insights.demo import SIGN

    seed_users()
    seed_zones_and_cameras()
    seed_history()
    learnt = {camera.name: camera.writing_not_plates() for camera in Camera.objects.all()}
    assert sorted(signs for signs in learnt.values() if signs) == [{SIGN: 3}]
    assert not Capture.objects.filter(plate_reads__text=SIGN).exclude(received_at=models.F("taken_at")).exists()
