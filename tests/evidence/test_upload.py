"""The officer upload page: several files, each accepted or refused on its own, then its reads."""

from datetime import datetime, timezone

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dearjohn.evidence.models import Capture, Receipt
from tests.evidence.conftest import IN_ZONE, NOV_20_EVENING, photo, run_jobs

pytestmark = pytest.mark.django_db
URL = reverse("evidence:upload")


def jpeg(name, data):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_it_accepts_several_files_and_answers_json_per_file(client_for, zone):
    client = client_for("Officer")
    files = [jpeg("a.jpg", photo([("7ABC123", (10, 10, 60, 20))], taken=NOV_20_EVENING, gps=IN_ZONE)),
             jpeg("b.jpg", photo([("8XYZ999", (10, 10, 60, 20))], taken=NOV_20_EVENING, gps=IN_ZONE))]
    response = client.post(URL, {"files": files}, HTTP_ACCEPT="application/json")
    answer = response.json()["files"]
    assert [f["name"] for f in answer] == ["a.jpg", "b.jpg"] and all(f["ok"] for f in answer)
    assert answer[0]["taken_at_source"] == "Photo metadata (EXIF)"
    assert Receipt.objects.filter(sender__username="officer").count() == 2
    run_jobs()
    reads = client.get(answer[0]["reads_url"]).json()
    assert reads["done"] and [r["text"] for r in reads["reads"]] == ["7ABC123"]
    assert client.get(reads["reads"][0]["crop_url"])["Content-Type"] == "image/jpeg"


def test_one_bad_file_does_not_sink_the_batch(client_for):
    client = client_for("Officer")
    files = [jpeg("empty.jpg", b""), jpeg("fine.jpg", photo(taken=NOV_20_EVENING)),
             jpeg("notes.jpg", b"just some text, not a photo")]
    answer = client.post(URL, {"files": files}, HTTP_ACCEPT="application/json").json()["files"]
    assert [(f["name"], f["ok"]) for f in answer] == [("empty.jpg", False), ("fine.jpg", True), ("notes.jpg", False)]
    assert "empty" in answer[0]["error"] and "not a photo or video" in answer[2]["error"]
    assert Capture.objects.count() == 1


def test_a_photo_without_time_asks_for_it_and_the_entered_time_is_used(client_for):
    client = client_for("Officer")
    data = photo()
    answer = client.post(URL, {"files": [jpeg("a.jpg", data)]}, HTTP_ACCEPT="application/json").json()["files"][0]
    assert not answer["ok"] and "enter when it was taken" in answer["error"]
    answer = client.post(URL, {"files": [jpeg("a.jpg", data)], "taken_at": "2026-11-20T22:15"},
                         HTTP_ACCEPT="application/json").json()["files"][0]
    assert answer["ok"] and answer["taken_at_source"] == "Entered by the sender"
    assert Capture.objects.get().taken_at == datetime(2026, 11, 21, 6, 15, tzinfo=timezone.utc)


def test_without_javascript_it_shows_a_results_page(client_for):
    response = client_for("Officer").post(URL, {"files": [jpeg("a.jpg", photo(taken=NOV_20_EVENING))]})
    assert response.status_code == 200 and b"See its plate reads" in response.content


def test_an_oversize_upload_is_stopped_while_arriving(client_for, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "INTAKE": {**settings.DEARJOHN["INTAKE"], "MAX_IMAGE_BYTES": 2048, "MAX_VIDEO_BYTES": 2048}}
    big = jpeg("big.jpg", photo(size=(1200, 900), color=(5, 99, 200)))
    answer = client_for("Officer").post(URL, {"files": [big]}, HTTP_ACCEPT="application/json").json()["files"]
    assert answer == [{"name": "big.jpg", "ok": False, "error": "This file is larger than the 0 MB limit."}]
    assert not Capture.objects.exists()


def test_it_needs_at_least_one_file(client_for):
    response = client_for("Officer").post(URL, {}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "Choose at least one" in response.json()["error"]


def test_officers_see_their_own_captures_only(client_for, users):
    from dearjohn.evidence import intake

    from tests.conftest import make_user

    other = make_user("Officer", "other-officer")
    theirs = intake.accept(photo(taken=NOV_20_EVENING), source_kind="officer", sender=other).capture
    client = client_for("Officer")
    client.post(URL, {"files": [jpeg("mine.jpg", photo(taken=NOV_20_EVENING, color=(1, 1, 1)))]})
    mine = Capture.objects.exclude(pk=theirs.pk).get()
    listing = client.get(reverse("evidence:capture_list")).content.decode()
    assert f"/captures/{mine.pk}/" in listing and f"/captures/{theirs.pk}/" not in listing
    assert client.get(reverse("evidence:capture_detail", args=[theirs.pk])).status_code == 404


def test_a_file_sent_twice_is_one_capture_and_the_page_says_so(client_for):
    data = photo(taken=NOV_20_EVENING)
    page = client_for("Officer").post(URL, {"files": [jpeg("a.jpg", data), jpeg("again.jpg", data)]}).content.decode()
    assert Capture.objects.count() == 1 and Receipt.objects.count() == 2
    assert page.count("it is the same capture, stored once") == 1
