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


# The page in four languages: the words change, what is checked and stored does not.

from dearjohn.letters import public_text  # noqa: E402
from dearjohn.letters.models import Letter  # noqa: E402

HEADINGS = {code: public_text.texts(code)["start_heading"] for code in public_text.LANGUAGE_NAMES}
HTML_LANG = {"en": "en", "es": "es", "zh": "zh-Hans", "fil": "fil"}


def html_lang(page):
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_every_language_has_every_message():
    english = set(public_text.TEXT["en"])
    assert set(public_text.TEXT) == set(public_text.LANGUAGE_NAMES) == {"en", "es", "zh", "fil"}
    for code, messages in public_text.TEXT.items():
        assert set(messages) == english, f"{code}: missing {english - set(messages)}, extra {set(messages) - english}"
        assert all(text.strip() for text in messages.values()), code
        if code != "en":
            same = {k for k, v in messages.items() if v == public_text.TEXT["en"][k]}
            assert same <= {"list_separator", "label_suffix"}, f"{code} left untranslated: {same}"
    reasons = {key.removeprefix("reason_") for key in english if key.startswith("reason_")}
    assert reasons == set(Response.Reason.values), "one message for each reason code"
    kinds = {key.removeprefix("kind_") for key in english if key.startswith("kind_")}
    assert kinds == set(Letter.Kind.values)


def test_a_missing_message_falls_back_to_english(monkeypatch):
    monkeypatch.setitem(public_text.TEXT, "es", {k: v for k, v in public_text.TEXT["es"].items() if k != "button_send"})
    assert public_text.texts("es")["button_send"] == "Send"
    assert public_text.texts("xx")["button_send"] == "Send"


@pytest.mark.parametrize("code", ["en", "es", "zh", "fil"])
def test_each_language_renders_the_start_page_in_itself(client, code):
    response = client.get(reverse("respond:start"), {"lang": code})
    page = response.content.decode()
    assert response.status_code == 200 and html_lang(page) == HTML_LANG[code]
    assert f"<h1>{HEADINGS[code]}</h1>" in page
    for other, heading in HEADINGS.items():
        if other != code and heading != HEADINGS[code]:
            assert heading not in page
    # Links to all four languages, each named in itself.
    for other, name in public_text.LANGUAGE_NAMES.items():
        assert f'href="?lang={other}" lang="{other}"' in page and f">{name}</a>" in page


def test_the_browsers_language_picks_spanish_and_english_is_the_default(client):
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.8").get(reverse("respond:start"))
    assert html_lang(spanish.content.decode()) == "es" and HEADINGS["es"] in spanish.content.decode()
    assert "Accept-Language" in spanish["Vary"]
    unknown = Client(HTTP_ACCEPT_LANGUAGE="de-DE,fr;q=0.8").get(reverse("respond:start"))
    assert html_lang(unknown.content.decode()) == "en" and HEADINGS["en"] in unknown.content.decode()
    ranked = Client(HTTP_ACCEPT_LANGUAGE="en;q=0.2, zh-CN, es;q=0.5").get(reverse("respond:start"))
    assert html_lang(ranked.content.decode()) == "zh-Hans"


def test_a_chosen_language_overrides_the_browser_and_is_remembered(mailed):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    assert html_lang(client.get(reverse("respond:start"), {"lang": "fil"}).content.decode()) == "fil"
    assert html_lang(client.get(reverse("respond:start")).content.decode()) == "fil"
    assert html_lang(client.get(reverse("respond:start"), {"lang": "nonsense"}).content.decode()) == "fil"
    # The choice survives the session key being cycled when the letter opens, and beats the letter's language.
    Letter.objects.filter(pk=mailed.pk).update(language="zh")
    form = open_letter(client, mailed.reference, "94612")
    assert html_lang(form.content.decode()) == "fil" and public_text.texts("fil")["form_heading"] in form.content.decode()


def test_a_chinese_letter_opens_the_form_in_chinese(client, mailed):
    Letter.objects.filter(pk=mailed.pk).update(language="zh")
    page = open_letter(client, mailed.reference, "94612").content.decode()
    zh = public_text.texts("zh")
    assert html_lang(page) == "zh-Hans"
    for key in ("form_heading", "fact_seen", "label_reason", "reason_not_driving", "reason_stolen", "button_send"):
        assert zh[key] in page, key
    assert "年" in page, "dates are written the Chinese way"
    assert "Your letter" not in page and "I was not driving" not in page
    done = client.post(reverse("respond:form"), {"reason": "other"}, follow=True).content.decode()
    assert zh["thanks_body"] in done, "the thank-you page keeps the letter's language"


def test_a_spanish_response_stores_the_same_reason_code(client, mailed):
    client.get(reverse("respond:start"), {"lang": "es"})
    form = open_letter(client, mailed.reference, "94612").content.decode()
    assert "El vehículo fue vendido" in form and 'value="sold"' in form
    needs_reason = client.post(reverse("respond:form"), {"message": "hola"}).content.decode()
    assert public_text.texts("es")["error_required"] in needs_reason
    done = client.post(reverse("respond:form"), {"reason": "sold", "message": "Lo vendí en mayo."}, follow=True)
    assert public_text.texts("es")["thanks_heading"] in done.content.decode()
    assert Response.objects.get().reason == "sold"


def test_an_english_letter_opened_by_a_spanish_browser_shows_the_letters_language(mailed):
    """The browser's language only guesses; the letter's own language is a better guess once it is open."""
    page = open_letter(Client(HTTP_ACCEPT_LANGUAGE="es"), mailed.reference, "94612").content.decode()
    assert html_lang(page) == "en" and "Your letter" in page


@pytest.mark.parametrize("code", ["en", "es", "zh", "fil"])
def test_not_found_is_uniform_in_every_language(mailed, code):
    def attempt(reference, zip_code):
        client = Client()
        client.get(reverse("respond:start"), {"lang": code})
        response = open_letter(client, reference, zip_code)
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
        return response.status_code, text.replace(f'value="{reference}"', "").replace(f'value="{zip_code}"', "")

    wrong_zip, wrong_code = attempt(mailed.reference, "94110"), attempt("22222-33333-44444", "94612")
    assert wrong_zip == wrong_code
    assert wrong_zip[0] == 200 and public_text.texts(code)["not_found"] in wrong_zip[1]
    assert html_lang(wrong_zip[1]) == HTML_LANG[code]


def test_the_too_many_tries_page_speaks_the_chosen_language(client, mailed, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "LETTERS": {**settings.DEARJOHN["LETTERS"], "RESPONSE_MAX_FAILURES": 2}}
    client.get(reverse("respond:start"), {"lang": "zh"})
    for _ in range(2):
        open_letter(client, mailed.reference, "00000")
    blocked = open_letter(client, mailed.reference, "94612")
    assert blocked.status_code == 429 and public_text.texts("zh")["blocked_heading"] in blocked.content.decode()


def test_staff_pages_still_say_english(client):
    assert html_lang(client.get(reverse("login")).content.decode()) == "en"
