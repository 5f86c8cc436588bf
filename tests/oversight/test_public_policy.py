from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories


def test_it_opens_without_signing_in_and_shows_retention_from_settings(db, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "RETENTION_DAYS": {**settings.DEARJOHN["RETENTION_DAYS"], "sightings": 45}}
    body = Client().get(reverse("public_policy")).content.decode()
    assert "No face recognition" in body
    assert "<td>Sightings that never joined a qualifying case</td><td>45 days</td>" in body


def test_it_counts_the_last_30_days(db):
    factories.sighting("7PUB001", seen_at=timezone.now() - timedelta(days=3))
    factories.sighting("7PUB002", seen_at=timezone.now() - timedelta(days=31))
    body = Client().get(reverse("public_policy")).content.decode()
    assert "<tr><td>Sightings in enforcement zones</td><td>1</td></tr>" in body


def test_it_links_to_the_response_page(db):
    body = Client().get(reverse("public_policy")).content.decode()
    assert f'href="{reverse("respond:start")}"' in body


def test_it_rejects_post(db):
    assert Client().post(reverse("public_policy")).status_code == 405
