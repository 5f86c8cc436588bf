"""A Supervisor upholds or withdraws after a response; withdrawal suppresses and can send an apology."""

import pytest
from django.urls import reverse

from dearjohn.cases import policy
from dearjohn.cases.models import Case
from dearjohn.letters import drafting, printing, responses
from dearjohn.letters.errors import LetterError
from dearjohn.letters.models import Letter, Suppression
from tests import factories
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return make_user("Supervisor")


@pytest.fixture
def answered(letter_output, supervisor):
    letter = factories.approved_letter(preferred_language="fil")
    printing.mark_mailed(printing.print_batch("b", user=supervisor).batch, supervisor)
    factories.response(letter, reason="sold")
    return letter


def test_upholding_keeps_the_letter_and_closes_the_response(answered, supervisor):
    responses.decide(answered, supervisor, "upheld", "Seen after the stated sale date")
    assert answered.responses.get().decision == "upheld"
    assert Case.objects.get(pk=answered.case_id).status == Case.Status.LETTERED
    assert not Suppression.objects.exists()
    with pytest.raises(LetterError, match="no response waiting"):
        responses.decide(answered, supervisor, "withdrawn")


def test_withdrawing_suppresses_the_pair_withdraws_the_case_and_approves_an_apology(answered, supervisor):
    apology = responses.decide(answered, supervisor, "withdrawn", "Sold before the sightings", send_apology=True)
    suppression = Suppression.objects.get()
    assert (suppression.plate_key, suppression.owner_name) == ("7TST123", "ROBIN QUILLFEATHER")
    assert Case.objects.get(pk=answered.case_id).status == Case.Status.WITHDRAWN
    assert (apology.kind, apology.language, apology.status, apology.about_letter) == ("apology", "fil", "approved", answered)
    batch = printing.print_batch("apologies", user=supervisor).batch
    assert batch.letter_count == 1 and Letter.objects.get(pk=apology.pk).status == "printed"


def test_after_withdrawal_the_next_qualifying_sighting_produces_no_letter(answered, supervisor):
    responses.decide(answered, supervisor, "withdrawn", "Sold", send_apology=False)
    _, case = factories.confirmed_sighting("7TST123")
    assert case.status == Case.Status.WITHDRAWN
    assert "suppressed" in " ".join(policy.evaluate(case).blockers)
    assert drafting.draft_qualifying() == ([], [])
    # Even if the case were re-opened and qualified, the suppression stops the letter.
    Case.objects.filter(pk=case.pk).update(status=Case.Status.QUALIFYING)
    drafted, skipped = drafting.draft_qualifying()
    assert drafted == [] and "suppressed" in skipped[0][1]


def test_the_decision_page_records_a_withdrawal(client, answered, supervisor):
    sign_in(client, supervisor)
    url = reverse("letters:response_decide", kwargs={"reference": answered.reference})
    assert "The vehicle was sold" in client.get(url).content.decode()
    client.post(url, {"decision": "withdrawn", "note": "sold", "send_apology": "on"})
    assert answered.responses.get().decision == "withdrawn"
    assert Letter.objects.filter(kind="apology", status="approved").count() == 1


def test_an_auditor_sees_the_page_but_cannot_decide(client, answered):
    sign_in(client, make_user("Auditor"))
    url = reverse("letters:response_decide", kwargs={"reference": answered.reference})
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "withdrawn"}).status_code == 403
    assert answered.responses.get().decision == "new"
