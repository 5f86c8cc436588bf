"""The public submission page: no sign-in, anonymous, limited per address, nothing shown back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dearjohn.evidence import zones
from dearjohn.evidence.models import Capture, Receipt
from dearjohn.oversight.models import AuditEvent
from tests.evidence.conftest import IN_ZONE, NOV_20_EVENING, photo

pytestmark = pytest.mark.django_db
URL = reverse("evidence:submit")


def send(client, data, **fields):
    return client.post(URL, {"file": SimpleUploadedFile("car.jpg", data, "image/jpeg"), **fields}, REMOTE_ADDR="198.51.100.7")


def test_anyone_can_submit_a_photo_without_signing_in():
    response = send(Client(), photo(taken=NOV_20_EVENING, gps=IN_ZONE))
    assert response.status_code == 200 and b"Thank you" in response.content
    capture = Capture.objects.get()
    assert capture.source_kind == "public" and capture.uploaded_by is None and not capture.usable_as_evidence


def test_it_keeps_no_address_and_shows_no_location_back():
    response = send(Client(), photo(taken=NOV_20_EVENING, gps=IN_ZONE))
    assert b"37.755" not in response.content and b"122.415" not in response.content
    assert Receipt.objects.get().remote_address is None
    assert not AuditEvent.objects.filter(remote_address="198.51.100.7").exists()


def test_a_chosen_street_gives_the_place_and_the_entered_time_is_used(zone):
    send(Client(), photo(), taken_at="2026-11-20T22:15", zone=zone.pk)
    capture = Capture.objects.get()
    assert capture.taken_at_source == capture.location_source == "entered"
    assert zones.contains(zone, capture.latitude, capture.longitude)


def test_a_photo_without_time_asks_for_it_beside_the_field():
    response = send(Client(), photo())
    assert response.status_code == 400
    assert "enter when it was taken" in " ".join(response.context["form"].errors["taken_at"])


def test_the_type_is_checked_by_content_not_by_name():
    response = send(Client(), b"MZ\x90\x00 this is a program, not a photo")
    assert response.status_code == 400
    assert "not a photo or video" in " ".join(response.context["form"].errors["file"])
    assert not Capture.objects.exists()


def test_it_limits_submissions_per_address_per_hour(settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "INTAKE": {**settings.DEARJOHN["INTAKE"], "PUBLIC_SUBMISSIONS_PER_HOUR": 2}}
    client = Client()
    for shade in (1, 2):
        assert send(client, photo(taken=NOV_20_EVENING, color=(shade, 0, 0))).status_code == 200
    response = send(client, photo(taken=NOV_20_EVENING, color=(3, 0, 0)))
    assert response.status_code == 429 and b"try again later" in response.content
    assert Capture.objects.count() == 2
    other = Client().post(URL, {"file": SimpleUploadedFile("c.jpg", photo(taken=NOV_20_EVENING, color=(4, 0, 0)))},
                          REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200
