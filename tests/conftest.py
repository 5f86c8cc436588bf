"""Fixtures shared by every app's tests: the usual people, one per role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

ROLES = ["Officer", "Reviewer", "Supervisor", "Auditor", "Administrator"]

# Every test user's authenticator app holds this key (RFC 6238's test secret),
# so a test can compute the code the person would type.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def make_user(role=None, username=None, authenticator=True, **fields):
    """A staff account; with `authenticator` its second factor is already set up (TEST_TOTP_KEY)."""
    username = username or (role.lower() if role else "norole")
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
        if role == "Administrator":
            user.is_staff = True
            user.save()
    if authenticator:
        give_authenticator(user)
    return user


def give_authenticator(user):
    """The confirmed TOTP device a person gets by enrolling, with the known test key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", key=TEST_TOTP_KEY, confirmed=True)


def current_code(user):
    """The code `user`'s authenticator shows now; also lets the same code be used again in one test."""
    from dearjohn.accounts.mfa import current_code as code_for

    device = give_authenticator(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None)
    return code_for(device)


def sign_in(client, user):
    """Sign a test client in as `user` with both factors; the one place tests get a staff session."""
    device = give_authenticator(user)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def fresh_page_view_counts():
    """Page-view rate limits count in memory (site/ratelimit.py); every test starts with none."""
    from dearjohn.site import ratelimit

    ratelimit._local.clear()


@pytest.fixture
def worker_keeps_the_test_connection(monkeypatch):
    """The worker drops stale connections between jobs, as a server should.

    Inside a test the whole test is one open transaction, so Django would see
    a non-autocommit connection as obsolete and close it (PostgreSQL, file
    SQLite); in-process worker runs (`call_command("worker", "--burst")`) keep it instead.
    """
    import django_tasks_db.management.commands.db_worker as db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def users(db):
    return {role: make_user(role) for role in ROLES}


@pytest.fixture
def client_for(client, users):
    def as_role(role):
        return sign_in(client, users[role])

    return as_role
