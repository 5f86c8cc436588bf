import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dearjohn.evidence.models import Camera, Capture, Sighting, Zone
from dearjohn.letters import responses
from dearjohn.letters.models import Letter
from dearjohn.vehicles.models import Registration


def _counts():
    return tuple(model.objects.count() for model in (get_user_model(), Zone, Camera, Registration, Capture, Sighting, Letter))


@pytest.mark.django_db
def test_demo_loads_every_role_and_running_it_twice_adds_nothing(capsys):
    call_command("demo", "--no-serve")
    counts = _counts()
    call_command("demo", "--no-serve")
    assert counts == _counts()
    assert counts[1] == 2 and counts[2] >= 4 and counts[3] >= 250 and counts[4] > 14
    out = capsys.readouterr().out
    for role in ("Officer", "Reviewer", "Supervisor", "Auditor", "Administrator"):
        assert role in out
    assert "fictitious" in out
    # and a mailed letter to try the response page with, as its recipient would
    reference, zip_code = re.search(r"open /r/ with reference (\S+) and ZIP code (\d{5})", out).groups()
    assert responses.find_letter(reference, zip_code, source="test") is not None
