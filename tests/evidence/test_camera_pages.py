"""Camera pages: health at a glance, the token shown once, only its hash kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dearjohn.evidence.models import Camera

pytestmark = pytest.mark.django_db


def test_a_new_camera_shows_its_token_once(client_for, zone):
    client = client_for("Supervisor")
    response = client.post(reverse("evidence:camera_create"), {"name": "Capp & 22nd", "latitude": 37.755,
                                                                "longitude": -122.418, "zone": zone.pk, "is_active": "on"})
    token = response.context["token"]
    camera = Camera.objects.get()
    assert token in response.content.decode() and camera.token_matches(token)
    assert token not in client.get(reverse("evidence:camera_edit", args=[camera.pk])).content.decode()


def test_a_new_token_replaces_the_old_one(client_for, camera):
    old = camera.issue_token()
    camera.save()
    response = client_for("Supervisor").post(reverse("evidence:camera_token", args=[camera.pk]))
    camera.refresh_from_db()
    assert camera.token_matches(response.context["token"]) and not camera.token_matches(old)


def test_the_list_warns_about_silent_cameras(client_for, zone):
    Camera.objects.create(name="Quiet", latitude=1, longitude=1, last_seen_at=timezone.now() - timedelta(hours=30))
    Camera.objects.create(name="Busy", latitude=1, longitude=1, last_seen_at=timezone.now() - timedelta(minutes=5))
    page = client_for("Auditor").get(reverse("evidence:camera_list")).content.decode()
    quiet, busy = page.split("Quiet")[1].split("</tr>")[0], page.split("Busy")[1].split("</tr>")[0]
    assert "no images for 24+ hours" in quiet and "sending" in busy


def test_token_needs_post(client_for, camera):
    assert client_for("Supervisor").get(reverse("evidence:camera_token", args=[camera.pk])).status_code == 405
