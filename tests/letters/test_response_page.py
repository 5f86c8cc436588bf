"""The public response page: reference code + ZIP code, uniform failures, limited tries, a short summary."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from dearjohn.letters import printing
from dearjohn.letters.models import Response, ResponseAttempt
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(letter_output):
    supervisor = make_user("Supervisor")
    letter = factories.approved_letter(zip_code="94612-3301")
    printing.mark_mailed(printing.print_batch("b", user=supervisor).batch, supervisor)
    letter.refresh_from_db()
    return letter


def open_letter(client, reference, zip_code):
    return client.post(reverse("respond:start"), {"reference": reference, "zip_code": zip_code}, follow=True)


def test_code_and_zip_open_a_summary_without_anyones_details(client, mailed):
    page = open_letter(client, mailed.reference.lower(), "94612").content.decode()
    assert "Your letter" in page and mailed.reference in page and "Test zone" in page
    assert "QUILLFEATHER" not in page.upper() and "MARIGOLD" not in page.upper() and "<img" not in page


def test_the_qr_link_fills_in_the_code(client, mailed):
    page = client.get(reverse("respond:start_with_code", kwargs={"code": mailed.reference})).content.decode()
    assert f'value="{mailed.reference}"' in page


def test_a_wrong_zip_and_a_wrong_code_get_the_same_answer(client, mailed):
    wrong_zip = open_letter(client, mailed.reference, "94110")
    wrong_code = open_letter(Client(), "22222-33333-44444", "94612")
    assert wrong_zip.status_code == wrong_code.status_code == 200

    def page(response, *typed):
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
        for value in typed:
            text = text.replace(f'value="{value}"', "")
        return text

    assert page(wrong_zip, mailed.reference, "94110") == page(wrong_code, "22222-33333-44444", "94612")
    assert "could not find a letter" in page(wrong_zip)


def test_a_letter_not_yet_printed_cannot_be_opened(client, letter_output):
    letter = factories.drafted_letter()
    assert "could not find a letter" in open_letter(client, letter.reference, "94612").content.decode()


def test_too_many_failures_from_one_address_are_stopped(client, mailed, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "LETTERS": {**settings.DEARJOHN["LETTERS"], "RESPONSE_MAX_FAILURES": 3}}
    for _ in range(3):
        open_letter(client, mailed.reference, "00000")
    blocked = open_letter(client, mailed.reference, "94612")
    assert blocked.status_code == 429 and "too many" in blocked.content.decode()
    assert open_letter(Client(REMOTE_ADDR="10.0.0.9"), mailed.reference, "94612").status_code == 200
    assert "127.0.0.1" not in set(ResponseAttempt.objects.values_list("source", flat=True))


def test_a_response_is_recorded_for_a_supervisor(client, mailed):
    open_letter(client, mailed.reference, "94612")
    done = client.post(reverse("respond:form"), {"reason": "sold", "message": "Sold in May.", "contact": "555-0100"},
                       follow=True)
    assert "Thank you" in done.content.decode()
    response = Response.objects.get()
    assert (response.letter, response.reason, response.contact, response.decision) == (mailed, "sold", "555-0100", "new")
    assert client.get(reverse("respond:form")).status_code == 302, "the session no longer opens the letter"


def test_the_form_needs_a_reason(client, mailed):
    open_letter(client, mailed.reference, "94612")
    assert client.post(reverse("respond:form"), {"message": "hi"}).status_code == 200
    assert not Response.objects.exists()
