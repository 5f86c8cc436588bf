"""Supervisors edit a letter's wording: a new version each time, checked first, with a preview."""

import base64
import re

import pytest
from django.urls import reverse

from dearjohn.letters.models import LetterTemplate
from tests import factories
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db
URL = reverse("letters:template_edit", kwargs={"kind": "first", "language": "es"})
PREVIEW = reverse("letters:template_preview", kwargs={"kind": "first", "language": "es"})


@pytest.fixture
def supervisor_client(client):
    return sign_in(client, make_user("Supervisor"))


def test_saving_makes_a_new_version_and_keeps_the_old_one(supervisor_client):
    v1 = LetterTemplate.current("first", "es")
    html = v1.html.replace("Aviso sobre su vehículo", "Aviso importante sobre su vehículo")
    supervisor_client.post(URL, {"html": html, "note": "clearer title"})
    current = LetterTemplate.current("first", "es")
    assert current.version == 2 and current.note == "clearer title" and "importante" in current.html
    assert LetterTemplate.objects.get(pk=v1.pk).html == v1.html
    with pytest.raises(ValueError):
        current.save()


def test_a_drafted_letter_keeps_the_version_it_was_drafted_with(supervisor_client):
    letter = factories.drafted_letter(preferred_language="es")
    supervisor_client.post(URL, {"html": letter.template.html + "<p>Nuevo.</p>", "note": ""})
    letter.refresh_from_db()
    assert letter.template_version == 1 and LetterTemplate.current("first", "es").version == 2


def test_a_template_without_the_address_window_or_with_bad_syntax_is_refused(supervisor_client):
    html = LetterTemplate.current("first", "es").html
    page = supervisor_client.post(URL, {"html": html.replace("{{ address_window }}", ""), "note": ""}).content.decode()
    assert "must use {{ address_window }}" in page
    page = supervisor_client.post(URL, {"html": html + "{% if %}", "note": ""}).content.decode()
    assert "template has an error" in page
    assert LetterTemplate.current("first", "es").version == 1


def test_the_preview_is_a_picture_of_the_sample_letter_that_only_our_pages_may_frame(supervisor_client):
    response = supervisor_client.post(PREVIEW, {"html": LetterTemplate.current("first", "es").html})
    image = re.search(r'src="data:image/png;base64,([^"]+)"', response.content.decode()).group(1)
    assert base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n"
    assert response["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in response["Content-Security-Policy"]
    pdf = supervisor_client.post(PREVIEW, {"html": LetterTemplate.current("first", "es").html, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_a_broken_preview_says_what_is_wrong(supervisor_client):
    page = supervisor_client.post(PREVIEW, {"html": "<p>{{ reference }}</p>"}).content.decode()
    assert "must use" in page and "address_window" in page


def test_an_auditor_reads_templates_but_cannot_save(client):
    sign_in(client, make_user("Auditor"))
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"html": "x", "note": ""}).status_code == 403
    assert client.post(PREVIEW, {"html": "x"}).status_code == 403


@pytest.mark.parametrize("addition", [
    "{% load static %}", "{% include 'base.html' %}", "{% url 'home' %}", "{% debug %}", "{% csrf_token %}",
    "{% autoescape off %}{{ reference }}{% endautoescape %}",
    "<style>.window { top: 0 }</style>", '<p style="position:absolute;top:0">x</p>', "<script>1</script>",
    '<link rel="stylesheet" href="data:text/css,">',
])
def test_wording_cannot_reach_outside_the_letter_or_move_the_layout(supervisor_client, addition):
    current = LetterTemplate.current("first", "es")
    page = supervisor_client.post(URL, {"html": current.html + addition, "note": ""}).content.decode()
    assert "cannot change the page layout" in page or "The template has an error" in page
    assert LetterTemplate.current("first", "es").version == current.version


def test_wording_may_use_conditions_loops_and_filters(supervisor_client):
    current = LetterTemplate.current("first", "es")
    extra = "{% if observed_dates %}<p>{{ department|upper }}</p>{% endif %}{% for x in 'ab' %}<i>{{ x }}</i>{% endfor %}"
    supervisor_client.post(URL, {"html": current.html + extra, "note": "flow"})
    assert LetterTemplate.current("first", "es").version == current.version + 1
