"""Per-address rate limits on the public surface (dearjohn.site.ratelimit)."""

from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from dearjohn.site.ratelimit import client_address, rate_limited

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "RATE_LIMITS": {"login": [("POST", 3, 600)], "health": [("*", 2, 60)]}}


def post_login(client, **extra):
    return client.post(reverse("login"), {"username": "someone", "password": "wrong-password"}, **extra)


def test_the_address_is_refused_past_its_limit(client, tight):
    assert [post_login(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = post_login(client)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 600
    assert b"Too many requests" in refused.content


def test_other_addresses_are_counted_apart(client, tight):
    for _ in range(4):
        post_login(client, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert post_login(client, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(client, tight):
    for n in range(3):
        post_login(client, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert post_login(client, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_limit_lifts_with_the_next_window(client, tight):
    with freeze_time("2026-12-04 12:00:00") as clock:
        for _ in range(4):
            post_login(client)
        assert post_login(client).status_code == 429
        clock.tick(timedelta(minutes=10))
        assert post_login(client).status_code == 200


def test_only_the_listed_methods_count(client, tight):
    for _ in range(5):
        assert client.get(reverse("login")).status_code == 200


def test_machines_get_json(client, tight):
    client.get(reverse("health"))
    client.get(reverse("health"))
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 429 and response.json()["error"] == "Too many requests."


def test_the_decorator_limits_a_view():
    @rate_limited("test-scope", 1, 60, methods=("GET",))
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/anything", REMOTE_ADDR="192.0.2.5")
    assert view(request).status_code == 200
    assert view(request).status_code == 429


def test_the_client_address_is_the_last_untrusted_hop(settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "PROXY_IPS": ["127.0.0.1", "10.0.0.2"]}
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.9, 10.0.0.2")
    assert client_address(request) == "192.0.2.9"
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "192.0.2.1"


def test_every_per_address_count_sees_the_visitor_behind_the_proxy(client):
    """REMOTE_ADDR itself is rewritten, so the apps' own counts and the audit log see the visitor."""
    from dearjohn.oversight.models import AuditEvent

    post_login(client, HTTP_X_FORWARDED_FOR="203.0.113.50")
    post_login(client, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.51")
    addresses = list(AuditEvent.objects.filter(action="auth.sign_in_failed").order_by("id").values_list("remote_address", flat=True))
    assert addresses == ["203.0.113.50", "198.51.100.1"]
