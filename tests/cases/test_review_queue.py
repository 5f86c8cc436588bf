from datetime import datetime, timedelta, timezone

import pytest
from django.urls import reverse

from dearjohn.evidence.models import Sighting
from tests import factories

EARLY = datetime(2026, 11, 20, 6, 0, tzinfo=timezone.utc)


@pytest.mark.django_db
def test_it_shows_the_oldest_pending_item_with_images_candidates_and_shortcuts(client_for):
    factories.stored_sighting("7ZZZ999", seen_at=EARLY + timedelta(hours=2))
    first = factories.stored_sighting("7ABC123", seen_at=EARLY, candidates=[
        {"text": "7ABC123", "confidence": 0.95}, {"text": "7ABC128", "confidence": 0.03}])
    response = client_for("Reviewer").get(reverse("cases:review_queue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-sighting="{first.pk}"' in html
    assert reverse("cases:sighting_image", args=[first.pk]) in html and reverse("cases:sighting_crop", args=[first.pk]) in html
    assert "7ABC128" in html and "95%" in html
    assert "2 sightings wait" in html
    assert "<kbd>Enter</kbd>" in html and "no solicitation behaviour" in html
    assert "cases/review.js" in html and "<script>" not in html


@pytest.mark.django_db
def test_a_confident_read_is_preselected_but_not_confirmed(client_for, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "REVIEW_PRESELECT_THRESHOLD": 0.9}
    s = factories.stored_sighting("7ABC123", confidence=0.93)
    html = client_for("Reviewer").get(reverse("cases:review_queue")).content.decode()
    assert 'value="7ABC123" data-key="1" checked' in html and "still needs your confirmation" in html
    s.refresh_from_db()
    assert s.review_status == Sighting.ReviewStatus.PENDING and s.reviewed_by is None


@pytest.mark.django_db
def test_a_doubtful_read_is_not_preselected(client_for):
    factories.stored_sighting("7ABC123", confidence=0.6, candidates=[{"text": "7ABC123", "confidence": 0.6}])
    html = client_for("Reviewer").get(reverse("cases:review_queue")).content.decode()
    assert "checked" not in html.split('name="plate"')[1].split(">")[0]


@pytest.mark.django_db
def test_it_lists_other_sightings_of_the_same_plate(client_for):
    other = factories.stored_sighting("7ABC123", seen_at=EARLY - timedelta(days=3))
    other.review_status = Sighting.ReviewStatus.REJECTED
    other.save()
    factories.stored_sighting("7ABC123", seen_at=EARLY)
    html = client_for("Reviewer").get(reverse("cases:review_queue")).content.decode()
    section = html.split("Other sightings of this plate")[1]
    assert (EARLY - timedelta(days=3)).strftime("%Y-%m-") in section and "Rejected" in section


@pytest.mark.django_db
def test_next_skips_forward_by_cursor_and_wraps(client_for):
    a = factories.stored_sighting("7AAA111", seen_at=EARLY)
    b = factories.stored_sighting("7BBB222", seen_at=EARLY)  # same time: the id breaks the tie
    client = client_for("Reviewer")
    url = reverse("cases:review_next")
    after_a = client.get(url, {"after": f"{a.seen_at.isoformat()}|{a.pk}"}).content.decode()
    assert f'data-sighting="{b.pk}"' in after_a
    after_b = client.get(url, {"after": f"{b.seen_at.isoformat()}|{b.pk}"}).content.decode()
    assert f'data-sighting="{a.pk}"' in after_b
    assert "<html" not in after_a


@pytest.mark.django_db
def test_an_empty_queue_says_so(client_for):
    assert "No sightings wait for review." in client_for("Reviewer").get(reverse("cases:review_queue")).content.decode()


@pytest.mark.django_db
def test_the_next_item_costs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    for i in range(30):
        factories.stored_sighting(f"7AB{i:04d}", seen_at=EARLY + timedelta(minutes=i))
    client = client_for("Reviewer")
    with django_assert_max_num_queries(16):
        client.get(reverse("cases:review_next"))


@pytest.mark.django_db
def test_an_unverified_public_submission_says_it_does_not_count_yet(client_for):
    from dearjohn.evidence.models import SourceKind

    s = factories.stored_sighting("7ABC123")
    s.plate_read.capture.source_kind = SourceKind.PUBLIC
    s.plate_read.capture.save()
    html = client_for("Reviewer").get(reverse("cases:review_queue")).content.decode()
    assert "Public submission not yet verified by an officer" in html


@pytest.mark.django_db
def test_two_reviewers_are_shown_different_items(client, users):
    from django.test import Client

    from tests.conftest import make_user, sign_in

    first = factories.stored_sighting("7AAA111", seen_at=EARLY)
    second = factories.stored_sighting("7BBB222", seen_at=EARLY + timedelta(minutes=1))
    a = sign_in(Client(), users["Reviewer"])
    b = sign_in(Client(), make_user("Reviewer", "reviewer2"))
    assert f'data-sighting="{first.pk}"' in a.get(reverse("cases:review_queue")).content.decode()
    assert f'data-sighting="{second.pk}"' in b.get(reverse("cases:review_queue")).content.decode()
    assert f'data-sighting="{first.pk}"' in a.get(reverse("cases:review_next")).content.decode()  # one's own item stays


@pytest.mark.django_db
def test_an_expired_claim_frees_the_item(users, settings):
    from dearjohn.cases import review
    from tests.conftest import make_user

    settings.DEARJOHN = {**settings.DEARJOHN, "REVIEW_CLAIM_SECONDS": -1}
    s = factories.stored_sighting("7AAA111")
    review.claim(s, users["Reviewer"])
    assert review.next_pending(user=make_user("Reviewer", "reviewer2")) == s
