"""Fixtures shared by every app's tests: the usual people, one per role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

ROLES = ["Officer", "Reviewer", "Supervisor", "Auditor", "Administrator"]


def make_user(role=None, username=None, **fields):
    username = username or (role.lower() if role else "norole")
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
        if role == "Administrator":
            user.is_staff = True
            user.save()
    return user


def sign_in(client, user):
    """Sign a test client in as `user`; the one place tests get a staff session."""
    client.force_login(user)
    return client


@pytest.fixture
def users(db):
    return {role: make_user(role) for role in ROLES}


@pytest.fixture
def client_for(client, users):
    def as_role(role):
        return sign_in(client, users[role])

    return as_role
