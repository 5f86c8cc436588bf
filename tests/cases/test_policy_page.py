import pytest
from django.urls import reverse

from dearjohn.cases.models import Case, EvidencePolicy
from tests import factories

FORM = {"min_sightings": 2, "min_days": 2, "window_days": 14, "observation_suffices": "on", "rental_handling": "no_letter",
        "fleet_handling": "letter_to_owner", "government_handling": "no_letter", "cooldown_days": 90, "note": "Council resolution 12"}


@pytest.mark.django_db
def test_a_supervisor_saves_a_new_version_and_the_old_one_stays(client_for, users):
    factories.evidence_policy()
    client = client_for("Supervisor")
    response = client.post(reverse("cases:policy_new"), FORM)
    assert response.status_code == 302
    assert list(EvidencePolicy.objects.values_list("version", "min_sightings")) == [(2, 2), (1, 3)]
    assert EvidencePolicy.current().created_by == users["Supervisor"]
    html = client.get(reverse("cases:policy")).content.decode()
    assert "version 2" in html and "Council resolution 12" in html and "at least <strong>2</strong> confirmed sightings" in html


@pytest.mark.django_db
def test_a_new_version_re_evaluates_cases(client_for):
    factories.evidence_policy(min_sightings=5, min_days=5)
    _, case = factories.confirmed_sighting("7ABC123")
    factories.confirmed_sighting("7ABC123", seen_at=case.sightings.get().seen_at.replace(day=22))
    case.registration = factories.registration("7ABC123")
    case.vehicle_check = Case.VehicleCheck.MATCH
    case.save()
    client_for("Supervisor").post(reverse("cases:policy_new"), FORM)
    case.refresh_from_db()
    assert case.status == Case.Status.QUALIFYING and case.policy_version == 2


@pytest.mark.django_db
def test_impossible_numbers_are_refused(client_for):
    response = client_for("Supervisor").post(reverse("cases:policy_new"), {**FORM, "min_days": 5})
    assert "Cannot need more different days than sightings" in response.content.decode()
    assert not EvidencePolicy.objects.exists()


@pytest.mark.django_db
def test_reviewers_see_the_policy_but_cannot_change_it(client_for):
    client = client_for("Reviewer")
    assert "Save as a new version" not in client.get(reverse("cases:policy")).content.decode()
    assert client.post(reverse("cases:policy_new"), FORM).status_code == 403
