from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories


@pytest.mark.parametrize("role", ["Supervisor", "Auditor"])
def test_home_links_to_the_dashboard_with_last_weeks_sightings(client_for, role):
    factories.sighting("7HOM001", seen_at=timezone.now() - timedelta(days=2))
    factories.sighting("7HOM002", seen_at=timezone.now() - timedelta(days=9))
    response = client_for(role).get(reverse("home"))
    cards = {card.title: card for card in response.context["cards"]}
    assert cards["Sightings in the last 7 days"].count == 1
    assert cards["Sightings in the last 7 days"].link == reverse("insights:dashboard")


def test_reviewers_get_no_dashboard_card(client_for):
    response = client_for("Reviewer").get(reverse("home"))
    assert "Sightings in the last 7 days" not in [card.title for card in response.context["cards"]]
