import pytest
from django.urls import reverse

from dearjohn.cases.models import Case
from dearjohn.evidence.models import Sighting
from dearjohn.oversight.models import AuditEvent
from tests import factories

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def decide(client, sighting, **data):
    return client.post(reverse("cases:review_decide", args=[sighting.pk]), data, **FETCH)


@pytest.mark.django_db
def test_confirming_a_candidate_records_the_reviewer_and_opens_the_case(client_for, users):
    s = factories.stored_sighting("7ABC123", candidates=[{"text": "7ABC123", "confidence": 0.95}, {"text": "7A8C123", "confidence": 0.04}])
    nxt = factories.stored_sighting("8XYZ000")
    response = decide(client_for("Reviewer"), s, action="confirm", plate="7A8C123", state="CA")
    s.refresh_from_db()
    assert (s.review_status, s.reviewed_by, s.confirmed_plate, s.confirmed_plate_key, s.confirmed_state) == (
        Sighting.ReviewStatus.CONFIRMED, users["Reviewer"], "7A8C123", "7A8C123", "CA")
    case = Case.objects.get(plate_key="7A8C123", state="CA")
    assert list(case.sightings.all()) == [s]
    assert case.number.startswith("DJ-") and case.number.endswith(f"{case.pk:06d}")
    html = response.content.decode()
    assert f"Confirmed 7A8C123 (CA) on case {case.number}." in html and f'data-sighting="{nxt.pk}"' in html
    assert AuditEvent.objects.filter(action="sighting.confirmed", username="reviewer").exists()


@pytest.mark.django_db
def test_a_typed_correction_is_recorded_as_corrected_with_its_state(client_for):
    s = factories.stored_sighting("7ABC123")
    decide(client_for("Reviewer"), s, action="correct", correction="7abc 128", correction_state="nv")
    s.refresh_from_db()
    assert (s.review_status, s.confirmed_plate, s.confirmed_state) == (Sighting.ReviewStatus.CORRECTED, "7ABC128", "NV")
    assert Case.objects.filter(plate_key="7ABC128", state="NV").exists()


@pytest.mark.django_db
def test_the_same_plate_seen_twice_joins_one_case(client_for):
    client = client_for("Reviewer")
    for _ in range(2):
        decide(client, factories.stored_sighting("6OKR410"), action="confirm", plate="6OKR410", state="CA")
    case = Case.objects.get()
    assert case.plate_key == "60KR410" and case.sightings.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["not_a_plate", "unreadable", "outside_zone", "no_solicitation", "duplicate"])
def test_rejecting_with_each_reason(client_for, reason):
    s = factories.stored_sighting("7ABC123")
    decide(client_for("Reviewer"), s, action="reject", reason=reason)
    s.refresh_from_db()
    assert (s.review_status, s.reject_reason, s.confirmed_plate) == (Sighting.ReviewStatus.REJECTED, reason, "")
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_reject_without_a_reason_is_refused_and_the_item_stays(client_for):
    s = factories.stored_sighting("7ABC123")
    response = decide(client_for("Reviewer"), s, action="reject")
    assert response.status_code == 400 and "Choose why the sighting is rejected" in response.content.decode()
    s.refresh_from_db()
    assert s.review_status == Sighting.ReviewStatus.PENDING


@pytest.mark.django_db
def test_a_confirmation_without_a_state_is_refused(client_for):
    s = factories.stored_sighting("7ABC123")
    response = decide(client_for("Reviewer"), s, action="confirm", plate="7ABC123", state="")
    assert response.status_code == 400 and "Choose the state" in response.content.decode()


@pytest.mark.django_db
def test_an_item_decided_meanwhile_is_not_decided_twice(client_for, users):
    s = factories.stored_sighting("7ABC123")
    from dearjohn.cases import review

    review.reject(s, users["Supervisor"], "duplicate")
    response = decide(client_for("Reviewer"), s, action="confirm", plate="7ABC123", state="CA")
    assert "already reviewed by supervisor" in response.content.decode()
    s.refresh_from_db()
    assert s.review_status == Sighting.ReviewStatus.REJECTED and not Case.objects.exists()


@pytest.mark.django_db
def test_without_javascript_it_redirects_back_to_the_queue(client_for):
    s = factories.stored_sighting("7ABC123")
    response = client_for("Reviewer").post(reverse("cases:review_decide", args=[s.pk]), {"action": "confirm", "plate": "7ABC123", "state": "CA"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:review_queue")


@pytest.mark.django_db
def test_it_rejects_get(client_for):
    s = factories.stored_sighting("7ABC123")
    assert client_for("Reviewer").get(reverse("cases:review_decide", args=[s.pk])).status_code == 405


@pytest.mark.django_db
def test_the_case_shows_the_plate_as_the_reviewer_wrote_it(client_for):
    decide(client_for("Reviewer"), factories.stored_sighting("6OKR410"), action="confirm", plate="6OKR410", state="CA")
    case = Case.objects.get()
    assert (case.plate_key, case.plate_display) == ("60KR410", "6OKR410")
    assert "6OKR410" in client_for("Reviewer").get(reverse("cases:case_list")).content.decode()


@pytest.mark.django_db
def test_the_rejection_that_teaches_a_camera_its_sign_says_so_once(client_for):
    from dearjohn.evidence.models import Camera, Capture

    signs = [factories.stored_sighting("PR0PERT") for _ in range(3)]
    camera = Camera.objects.create(name="Capp & 20th", latitude=1, longitude=1, zone=signs[0].zone)
    Capture.objects.filter(plate_reads__sighting__in=signs).update(camera=camera)
    client = client_for("Reviewer")
    said = [decide(client, s, action="reject", reason="not_a_plate").content.decode() for s in signs]
    learnt = "Rejected as not a plate 2 times at Capp &amp; 20th: its new reads of PR0PERT make no sightings."
    assert [learnt in html for html in said] == [False, True, False]
    hint = "Reviewers have rejected PR0PERT from this camera as “Not a plate” 2 times"
    assert [hint in html for html in said] == [False, True, False]  # shown on the third, waiting since before


@pytest.mark.django_db
def test_each_next_item_counts_the_queue_afresh(client_for):
    """The page swaps items without reloading: the count it shows must be the queue's now, not at page load."""
    first, second = factories.stored_sighting("7ABC123"), factories.stored_sighting("8XYZ000")
    client = client_for("Reviewer")
    assert "2 sightings wait for review, this one included." in client.get(reverse("cases:review_queue")).content.decode()
    html = decide(client, first, action="confirm", plate="7ABC123", state="CA").content.decode()
    assert "1 sighting waits for review, this one included." in html and f'data-sighting="{second.pk}"' in html
    html = decide(client, second, action="reject", reason="unreadable").content.decode()
    assert "No sightings wait for review." in html and "wait for review, this one" not in html
