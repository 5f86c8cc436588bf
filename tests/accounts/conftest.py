import pytest
from django.test import Client


@pytest.fixture
def anonymous():
    return Client()


def sign_in_with_password(client, username, password="a-long-test-password"):
    """Only the first factor: what a person has after the login form, before the code."""
    return client.post("/accounts/login/", {"username": username, "password": password})
