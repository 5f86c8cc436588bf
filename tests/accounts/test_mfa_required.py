"""Every staff page needs both factors; a password alone reaches only the MFA steps."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import sign_in_with_password
from tests.conftest import make_user
from tests.site.test_permissions import ACCESS

# Every URL some role may open after signing in (not the public pages, not the token-only API,
# not the second step itself: the code form and the security-key steps behind its button).
SECOND_STEP = ("logout", "accounts:verify", "accounts:enrol", "accounts:key_verify_begin", "accounts:key_verify_complete")
STAFF_URLS = [name for name, (allowed, kwargs, method) in ACCESS.items()
              if isinstance(allowed, set) and name not in SECOND_STEP]


@pytest.fixture
def half_signed_in(anonymous, db):
    user = make_user("Administrator")
    response = sign_in_with_password(anonymous, user.username)
    assert response.status_code == 302
    return anonymous


@pytest.mark.parametrize("name", STAFF_URLS)
def test_a_password_alone_opens_no_staff_url(name, half_signed_in):
    allowed, kwargs, method = ACCESS[name]
    url = reverse(name, kwargs=kwargs)
    response = getattr(half_signed_in, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify") + "?next=")


def test_the_admin_needs_the_second_factor_too(half_signed_in):
    response = half_signed_in.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))


def test_public_pages_stay_open_without_the_second_factor(half_signed_in):
    assert half_signed_in.get(reverse("health")).status_code == 200


def test_signing_out_needs_no_second_factor(half_signed_in):
    response = half_signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert half_signed_in.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_person_without_an_authenticator_is_sent_to_set_one_up(anonymous, db):
    user = make_user("Reviewer", authenticator=False)
    sign_in_with_password(anonymous, user.username)
    response = anonymous.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:enrol"))
