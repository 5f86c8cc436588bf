"""A camera's signs: writing reviewers keep rejecting as "Not a plate" there makes no more sightings."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dearjohn.cases import review
from dearjohn.evidence import intake
from dearjohn.evidence.models import Camera, Capture, Sighting, SourceKind
from tests import factories
from tests.conftest import make_user
from tests.evidence.conftest import IN_ZONE, NOV_20_EVENING, photo, run_jobs

pytestmark = pytest.mark.django_db
SIGN_AND_PLATE = [("PR0PERT", (20, 30, 60, 24)), ("7ABC123", (150, 120, 60, 24))]


def _reviewed(camera, text, decide):
    """A sighting of `text` from `camera`, decided by a reviewer with `decide(sighting, user)`."""
    sighting = factories.sighting(text, camera=camera, zone=camera.zone)
    decide(sighting, get_user_model().objects.filter(username="rev").first() or make_user("Reviewer", username="rev"))
    return sighting


def _rejected(camera, text, reason=Sighting.NOT_A_PLATE):
    return _reviewed(camera, text, lambda s, user: review.reject(s, user, reason))


def _read_from(camera, plates=SIGN_AND_PLATE):
    capture = intake.accept(photo(plates, taken=NOV_20_EVENING, gps=IN_ZONE), source_kind=SourceKind.CAMERA, camera=camera).capture
    run_jobs()
    capture.refresh_from_db()
    return capture


def _sighted(capture):
    return sorted(Sighting.objects.filter(plate_read__capture=capture).values_list("plate_read__text", flat=True))


def test_writing_rejected_twice_as_not_a_plate_at_a_camera_makes_no_more_sightings_there(camera):
    _rejected(camera, "PR0PERT")
    _rejected(camera, "PROPERT")  # the same plate key: the letter O is the digit 0
    capture = _read_from(camera)
    assert _sighted(capture) == ["7ABC123"]
    assert (capture.status, capture.reads_not_plates, capture.reads_too_unsure) == (Capture.Status.READ, 1, 0)


def test_one_rejection_is_not_enough(camera):
    _rejected(camera, "PR0PERT")
    assert _sighted(_read_from(camera)) == ["7ABC123", "PR0PERT"]


def test_other_reasons_to_reject_teach_nothing(camera):
    _rejected(camera, "PR0PERT", reason="unreadable")
    _rejected(camera, "PR0PERT", reason="duplicate")
    assert _sighted(_read_from(camera)) == ["7ABC123", "PR0PERT"]


def test_another_camera_still_makes_sightings_of_the_same_writing(camera):
    _rejected(camera, "PR0PERT")
    _rejected(camera, "PR0PERT")
    other = Camera.objects.create(name="Across the street", latitude=IN_ZONE[0], longitude=IN_ZONE[1], zone=camera.zone)
    assert _sighted(_read_from(other)) == ["7ABC123", "PR0PERT"]


def test_a_plate_once_confirmed_at_the_camera_is_never_set_aside_there(camera):
    """A reviewer's rejections cannot outvote a confirmed plate: a real car may carry that text."""
    _rejected(camera, "PR0PERT")
    _rejected(camera, "PR0PERT")
    _reviewed(camera, "PR0PERT", lambda s, user: review.confirm(s, user, "PR0PERT", "CA"))
    assert camera.writing_not_plates() == {}
    assert _sighted(_read_from(camera)) == ["7ABC123", "PR0PERT"]


def test_the_memory_can_be_turned_off(camera, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "INTAKE": {**settings.DEARJOHN["INTAKE"], "NOT_A_PLATE_AFTER": 0}}
    _rejected(camera, "PR0PERT")
    _rejected(camera, "PR0PERT")
    assert _sighted(_read_from(camera)) == ["7ABC123", "PR0PERT"]


def test_the_camera_page_lists_the_writing_and_the_capture_page_counts_it(client_for, camera):
    _rejected(camera, "PR0PERT")
    _rejected(camera, "PR0PERT")
    capture = _read_from(camera)
    client = client_for("Supervisor")
    page = client.get(reverse("evidence:camera_edit", args=[camera.pk])).content.decode()
    assert "<code>PR0PERT</code></td><td>2 times</td>" in page
    page = client.get(reverse("evidence:capture_detail", args=[capture.pk])).content.decode()
    assert "1 read of writing that reviewers keep rejecting as “Not a plate” at this camera was not kept" in page
    assert f'<a href="{reverse("evidence:camera_edit", args=[camera.pk])}">the camera\'s page</a>' in page


def test_a_supervisor_can_make_the_camera_forget_a_text_until_it_is_rejected_anew(client_for, camera):
    from dearjohn.oversight.models import AuditEvent

    _rejected(camera, "PR0PERT")
    _rejected(camera, "PR0PERT")
    client = client_for("Supervisor")
    response = client.post(reverse("evidence:camera_forget_writing", args=[camera.pk]), {"plate_key": "PR0PERT"}, follow=True)
    assert "Test cam has forgotten PR0PERT" in response.content.decode()
    assert camera.writing_not_plates() == {}
    assert _sighted(_read_from(camera)) == ["7ABC123", "PR0PERT"]
    assert AuditEvent.objects.filter(action="camera.writing_forgotten", username="supervisor").exists()
    assert Sighting.objects.filter(reject_reason=Sighting.NOT_A_PLATE).count() == 2  # the reviewers' decisions stand
    _rejected(camera, "PR0PERT")
    _rejected(camera, "PR0PERT")
    assert camera.writing_not_plates() == {"PR0PERT": 2}


def test_forgetting_needs_a_supervisor_and_a_listed_text(client_for, camera):
    _rejected(camera, "PR0PERT")
    _rejected(camera, "PR0PERT")
    url = reverse("evidence:camera_forget_writing", args=[camera.pk])
    assert client_for("Reviewer").post(url, {"plate_key": "PR0PERT"}).status_code == 403
    supervisor = client_for("Supervisor")
    assert supervisor.get(url).status_code == 405
    response = supervisor.post(url, {"plate_key": "7ABC123"}, follow=True)
    assert "That text is not on this camera" in response.content.decode()
    assert camera.writing_not_plates() == {"PR0PERT": 2}
