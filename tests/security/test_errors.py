"""Error answers are the same few words for everyone, JSON for the API, and never a stack trace."""

import pytest
from django.http import Http404
from django.urls import include, path

from tests.conftest import make_user, sign_in


def explode(request):
    raise RuntimeError("secret internals: owner Marlow Quillfeather at 4471 Bellwether Way")


def missing(request):
    raise Http404("reference DJ-SECRET-123 does not exist")


urlpatterns = [
    path("boom/", explode),
    path("api/boom/", explode),
    path("missing/", missing),
    path("", include("dearjohn.site.urls")),
]
handler404 = "dearjohn.site.errors.page_not_found"
handler500 = "dearjohn.site.errors.server_error"


@pytest.fixture
def crashing_site(settings, client):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    sign_in(client, make_user("Reviewer"))
    return client


@pytest.mark.django_db
def test_a_crash_shows_a_plain_page_without_a_trace(crashing_site):
    response = crashing_site.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in body
    assert "Traceback" not in body and "RuntimeError" not in body and "Quillfeather" not in body


@pytest.mark.django_db
def test_an_api_crash_answers_json(crashing_site):
    response = crashing_site.get("/api/boom/")
    assert response.status_code == 500 and response.json() == {"error": "Something went wrong."}


@pytest.mark.django_db
def test_not_found_never_repeats_what_was_asked_for(crashing_site):
    response = crashing_site.get("/missing/")
    assert response.status_code == 404 and b"DJ-SECRET-123" not in response.content
    assert b"Not found" in response.content


@pytest.mark.django_db
def test_a_stale_form_gets_a_plain_answer(client):
    client.handler.enforce_csrf_checks = True
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403 and b"Form expired" in response.content


def test_debug_is_off(settings):
    assert settings.DEBUG is False
