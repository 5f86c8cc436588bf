import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dearjohn.oversight.models import AuditEvent
from tests.accounts.conftest import sign_in_with_password
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def code_for_typed_secret(page_html):
    """What an authenticator app would show after the person typed the key printed on the page."""
    from base64 import b32decode

    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page_html).group(1).replace(" ", "")
    return f"{TOTP(b32decode(secret)).token():06d}"


@pytest.fixture
def newcomer(anonymous):
    user = make_user("Officer", authenticator=False)
    sign_in_with_password(anonymous, user.username)
    return user


def test_first_sign_in_shows_a_qr_code_and_the_key(anonymous, newcomer):
    response = anonymous.get(reverse("accounts:enrol"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<script" not in html.split("</head>")[1]
    assert code_for_typed_secret(html)


def test_the_key_stays_the_same_across_reloads(anonymous, newcomer):
    first = anonymous.get(reverse("accounts:enrol")).content.decode()
    second = anonymous.get(reverse("accounts:enrol")).content.decode()
    assert code_for_typed_secret(first) == code_for_typed_secret(second)


def test_a_correct_code_sets_up_the_authenticator_and_shows_recovery_codes(anonymous, newcomer):
    code = code_for_typed_secret(anonymous.get(reverse("accounts:enrol")).content.decode())
    response = anonymous.post(reverse("accounts:enrol"), {"code": code})
    assert response.status_code == 200
    assert StaticToken.objects.filter(device__user=newcomer).count() == 10
    for token in StaticToken.objects.filter(device__user=newcomer):
        assert token.token in response.content.decode()
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert anonymous.get(reverse("home")).status_code == 200
    actions = set(AuditEvent.objects.filter(username=newcomer.username).values_list("action", flat=True))
    assert {"auth.mfa_enrolled", "auth.mfa_recovery_codes_issued", "auth.mfa_verified"} <= actions


def test_a_wrong_code_sets_up_nothing(anonymous, newcomer):
    anonymous.get(reverse("accounts:enrol"))
    response = anonymous.post(reverse("accounts:enrol"), {"code": "000000x"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()


def test_a_password_alone_cannot_replace_an_existing_authenticator(anonymous):
    make_user("Officer")
    sign_in_with_password(anonymous, "officer")
    response = anonymous.get(reverse("accounts:enrol"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(confirmed=False).count() == 0
