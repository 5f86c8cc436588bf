import pytest

from dearjohn.evidence.models import Capture, Sighting
from dearjohn.insights import deterrence, measure
from dearjohn.insights.demo import NOTE, seed_history
from dearjohn.letters.models import Letter
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

    window = measure.Window.recent()
    assert len(measure.weekly_sightings(window)) == 2
    assert sum(map(sum, measure.weekday_hour(window))) == measure.sightings_in(window).count() > 3000
    assert sum(measure.monthly_letters(window)["mailed"].values()) > 50
    report = deterrence.analyse()
    assert report.overall.lettered.vehicles > 50 and report.overall.comparison.vehicles > 100
    assert all(e.share is not None for e in report.overall.lettered.estimates)
