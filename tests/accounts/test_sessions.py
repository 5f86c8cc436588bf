"""Sessions end after 30 idle minutes at most, and one person holds one session unless allowed more."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from dearjohn.accounts.models import SignInPolicy
from dearjohn.oversight.models import AuditEvent
from tests.accounts.conftest import sign_in_with_password
from tests.conftest import current_code, make_user

pytestmark = pytest.mark.django_db


def full_sign_in(client, user):
    sign_in_with_password(client, user.username)
    assert client.post(reverse("accounts:verify"), {"code": current_code(user)}).status_code == 302
    return client


def test_an_idle_session_ends_after_thirty_minutes(anonymous):
    user = make_user("Reviewer")
    with freeze_time() as clock:
        full_sign_in(anonymous, user)
        clock.tick(timedelta(minutes=29))
        assert anonymous.get(reverse("home")).status_code == 200
        clock.tick(timedelta(minutes=29))  # activity above renewed the session
        assert anonymous.get(reverse("home")).status_code == 200
        clock.tick(timedelta(minutes=31))
        response = anonymous.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_pages_carry_the_idle_warning_settings(anonymous):
    full_sign_in(anonymous, make_user("Reviewer"))
    html = anonymous.get(reverse("home")).content.decode()
    assert 'data-idle-seconds="1800"' in html and "accounts/idle.js" in html


def test_keepalive_renews_the_session(anonymous):
    full_sign_in(anonymous, make_user("Reviewer"))
    assert anonymous.get(reverse("accounts:keepalive")).status_code == 204


@pytest.mark.parametrize("minutes,expected", [("90", 1800), ("10", 600), (None, 1800)])
def test_the_idle_limit_is_never_longer_than_thirty_minutes(minutes, expected, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEARJOHN_", "DJANGO_"))}
    env.update({"DEARJOHN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "dearjohn.site.settings"})
    if minutes:
        env["DEARJOHN_SESSION_IDLE_MINUTES"] = minutes
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert int(out) == expected


def test_a_new_sign_in_ends_the_earlier_session(anonymous, client):
    user = make_user("Reviewer")
    full_sign_in(anonymous, user)
    full_sign_in(client, user)
    assert client.get(reverse("home")).status_code == 200
    assert anonymous.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(action="auth.sessions_ended", username="reviewer").exists()


def test_an_administrator_may_allow_several_sessions(anonymous, client):
    user = make_user("Reviewer")
    SignInPolicy.objects.create(user=user, allow_several_sessions=True)
    full_sign_in(anonymous, user)
    full_sign_in(client, user)
    assert anonymous.get(reverse("home")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_a_password_alone_does_not_end_the_signed_in_session(anonymous, client):
    user = make_user("Reviewer")
    full_sign_in(anonymous, user)
    sign_in_with_password(client, user.username)
    assert anonymous.get(reverse("home")).status_code == 200
