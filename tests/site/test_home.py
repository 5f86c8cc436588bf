import pytest

from dearjohn.evidence.models import Sighting
from tests import factories


def test_each_role_sees_its_own_work(client_for):
    expected = {
        "Officer": "Your captures",
        "Reviewer": "Sightings waiting for review",
        "Supervisor": "Letters to approve",
        "Auditor": "Owner lookups in the last 30 days",
        "Administrator": "Active staff accounts",
    }
    for role, title in expected.items():
        body = client_for(role).get("/").content.decode()
        assert title in body
        for other_role, other_title in expected.items():
            if other_role != role:
                assert other_title not in body


def test_empty_states_say_so(client_for):
    body = client_for("Reviewer").get("/").content.decode()
    assert "No sightings are waiting for review." in body


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_to_ask_for_one(client):
    from tests.conftest import make_user, sign_in

    sign_in(client, make_user(None, username="newcomer"))
    assert "has no role yet" in client.get("/").content.decode()


def test_reviewer_sees_the_waiting_count(client_for):
    for n in range(3):
        factories.sighting(text=f"7TST12{n}")
    factories.sighting(text="7TST129", review_status=Sighting.ReviewStatus.CONFIRMED)
    body = client_for("Reviewer").get("/").content.decode()
    assert '<p class="count">3</p>' in body


@pytest.mark.django_db
def test_the_sign_in_page_links_the_public_pages(client):
    from django.urls import reverse

    body = client.get(reverse("login")).content.decode()
    for name in ("respond:start", "evidence:submit", "public_policy"):
        assert f'href="{reverse(name)}"' in body
        assert client.get(reverse(name)).status_code == 200
