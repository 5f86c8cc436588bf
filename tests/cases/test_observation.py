import pytest
from django.urls import reverse

from dearjohn.cases.models import Case, Observation


@pytest.mark.django_db
def test_an_officer_records_an_observation_on_the_vehicles_case(client_for, users):
    response = client_for("Officer").post(reverse("cases:observation_new"), {
        "plate": "7abc123", "state": "CA", "observed_at": "2026-11-20T22:40", "text": "Driver waved over a pedestrian twice.",
        "solicitation_observed": "on"})
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.officer == users["Officer"] and observation.solicitation_observed
    assert observation.case == Case.objects.get(plate_key="7ABC123", state="CA")


@pytest.mark.django_db
def test_it_needs_a_state(client_for):
    response = client_for("Officer").post(reverse("cases:observation_new"), {"plate": "7ABC123", "observed_at": "2026-11-20T22:40", "text": "x"})
    assert response.status_code == 200 and not Observation.objects.exists()
