"""Security headers on every answer: a CSP without inline scripts, frame denial, referrer policy, HSTS behind HTTPS."""

import pytest
from django.urls import reverse

from tests.conftest import make_user, sign_in


def csp(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


@pytest.mark.django_db
def test_public_pages_carry_every_protective_header(client):
    response = client.get(reverse("login"))
    policy = csp(response)
    assert policy["script-src"] == "'self'" and "unsafe" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "microphone=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_staff_pages_are_never_cached(client):
    sign_in(client, make_user("Reviewer"))
    assert client.get(reverse("home"))["Cache-Control"] == "no-store, private"


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("health"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_errors_carry_the_headers_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code in (302, 404)
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("insights:deterrence_chart", kwargs={"fmt": "svg"}) + "?slice=all", reverse("insights:map_svg")])
def test_svg_files_carry_a_policy_for_drawings(client, url):
    """Opened on its own, a chart keeps its inline styles, and still runs no script and loads nothing."""
    sign_in(client, make_user("Auditor"))
    response = client.get(url)
    assert response["Content-Type"].startswith("image/svg+xml")
    policy = csp(response)
    assert policy == {"default-src": "'none'", "style-src": "'unsafe-inline'", "img-src": "data:", "frame-ancestors": "'none'"}
    page = csp(client.get(reverse("insights:map")))
    assert page["style-src"] == "'self'"
