"""The camera push API: token in, JSON out, the same intake as every other way in."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dearjohn.evidence.models import Camera, Capture
from tests.evidence.conftest import NOV_20_EVENING, photo, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(camera):
    token = camera.issue_token()
    camera.save()
    return token


def push(camera, token, data=None, **fields):
    client = Client(enforce_csrf_checks=True)
    if data is not None:
        fields["file"] = SimpleUploadedFile("frame.jpg", data, "image/jpeg")
    return client.post(reverse("evidence:api_camera_captures", args=[camera.pk]), fields,
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_camera_pushes_a_photo_and_gets_json(camera, token):
    response = push(camera, token, photo([("7ABC123", (10, 10, 60, 20))]), taken_at="2026-11-20T22:15:00-08:00",
                    plates=json.dumps([{"text": "7ABC123", "confidence": 0.8}]))
    assert response.status_code == 201
    body = response.json()
    capture = Capture.objects.get(pk=body["capture"])
    assert body["duplicate"] is False and body["taken_at_source"] == "camera" and body["sha256"] == capture.sha256
    assert capture.camera == camera and capture.camera_reads == [{"text": "7ABC123", "confidence": 0.8}]
    assert capture.taken_at.isoformat() == "2026-11-21T06:15:00+00:00"
    camera.refresh_from_db()
    assert camera.last_seen_at is not None
    run_jobs()
    assert capture.plate_reads.get().text == "7ABC123"


def test_the_same_bytes_twice_answer_duplicate(camera, token):
    data = photo(taken=NOV_20_EVENING)
    assert push(camera, token, data).status_code == 201
    second = push(camera, token, data)
    assert second.status_code == 200 and second.json()["duplicate"] is True
    assert Capture.objects.get().receipts.count() == 2


@pytest.mark.parametrize("auth", ["", "Bearer wrong-token", "Basic abc"])
def test_a_missing_or_wrong_token_is_refused(camera, token, auth):
    response = Client().post(reverse("evidence:api_camera_captures", args=[camera.pk]),
                             {"file": SimpleUploadedFile("a.jpg", photo())}, HTTP_AUTHORIZATION=auth)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert "token" in response.json()["error"] and not Capture.objects.exists()


def test_another_cameras_token_is_refused(camera, token):
    other = Camera.objects.create(name="Other", latitude=0, longitude=0)
    assert push(other, token, photo()).status_code == 401


def test_only_a_hash_of_the_token_is_stored(camera, token):
    camera.refresh_from_db()
    assert token not in camera.api_token_hash and len(camera.api_token_hash) == 64


def test_a_switched_off_camera_is_refused(camera, token):
    Camera.objects.filter(pk=camera.pk).update(is_active=False)
    assert push(camera, token, photo()).status_code == 403


@pytest.mark.parametrize("fields,message", [
    ({}, "field 'file'"),
    ({"taken_at": "yesterday"}, "ISO 8601"),
    ({"taken_at": "2026-11-20T22:15:00"}, "UTC offset"),
    ({"plates": "7ABC123"}, "JSON list"),
])
def test_bad_requests_get_a_reason(camera, token, fields, message):
    data = photo() if fields else None
    response = push(camera, token, data, **fields)
    assert response.status_code == 400 and message in response.json()["error"]


def test_a_bad_file_gets_its_reason(camera, token):
    response = push(camera, token, b"\xff\xd8\xff" + b"\x00" * 10)
    assert response.status_code == 400 and "damaged" in response.json()["error"]


def test_get_is_not_allowed(camera, token):
    response = Client().get(reverse("evidence:api_camera_captures", args=[camera.pk]), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_the_openapi_description_is_served_and_matches_the_route():
    spec = Client().get(reverse("evidence:api_openapi")).json()
    assert spec["openapi"].startswith("3.")
    post = spec["paths"]["/api/cameras/{camera_id}/captures"]["post"]
    assert {"201", "200", "400", "401"} <= set(post["responses"])
    assert spec["servers"][0]["url"] == "http://testserver"
    assert reverse("evidence:api_camera_captures", args=[7]) == "/api/cameras/7/captures"
