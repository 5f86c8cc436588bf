import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dearjohn.evidence.models import Camera, Zone
from dearjohn.vehicles.models import Registration


@pytest.mark.django_db
def test_demo_loads_every_role_and_running_it_twice_adds_nothing(capsys):
    call_command("demo", "--no-serve")
    counts = (get_user_model().objects.count(), Zone.objects.count(), Camera.objects.count(), Registration.objects.count())
    call_command("demo", "--no-serve")
    assert counts == (get_user_model().objects.count(), Zone.objects.count(), Camera.objects.count(), Registration.objects.count())
    assert counts[1] == 2 and counts[2] >= 4 and counts[3] >= 250
    out = capsys.readouterr().out
    for role in ("Officer", "Reviewer", "Supervisor", "Auditor", "Administrator"):
        assert role in out
    assert "fictitious" in out
