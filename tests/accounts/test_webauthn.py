"""Security keys (WebAuthn) as an extra second factor, without a browser.

`SoftKey` plays the authenticator: it makes the same answers a USB key would
(an ES256 key pair, "none" attestation), so the server's checks run for real.
tests/browser/test_webauthn.py does the same through Chromium's virtual authenticator.
"""

import hashlib
import json
import os
from base64 import urlsafe_b64decode, urlsafe_b64encode

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from dearjohn.accounts import mfa
from dearjohn.oversight.models import AuditEvent
from tests.accounts.conftest import sign_in_with_password
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db

ORIGIN = "http://localhost:8000"


def b64(data):
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    """A security key in software: registers itself and signs sign-in challenges."""

    def __init__(self, rp_id="localhost"):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.rp_hash = hashlib.sha256(rp_id.encode()).digest()
        self.count = 0

    def _client_data(self, kind, options):
        return json.dumps({"type": kind, "challenge": options["challenge"], "origin": ORIGIN}).encode()

    def register(self, options):
        numbers = self.private.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        auth_data = (self.rp_hash + bytes([0x45]) + (0).to_bytes(4, "big") + bytes(16)
                     + len(self.credential_id).to_bytes(2, "big") + self.credential_id + cose)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {"id": b64(self.credential_id), "rawId": b64(self.credential_id), "type": "public-key",
                "response": {"clientDataJSON": b64(self._client_data("webauthn.create", options)),
                             "attestationObject": b64(attestation), "transports": ["usb"]},
                "clientExtensionResults": {}}

    def sign(self, options, signer=None):
        self.count += 1
        client_data = self._client_data("webauthn.get", options)
        auth_data = self.rp_hash + bytes([0x05]) + self.count.to_bytes(4, "big")
        signature = (signer or self.private).sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {"id": b64(self.credential_id), "rawId": b64(self.credential_id), "type": "public-key",
                "response": {"clientDataJSON": b64(client_data), "authenticatorData": b64(auth_data),
                             "signature": b64(signature), "userHandle": None},
                "clientExtensionResults": {}}


def post_json(client, name, data=None, **query):
    url = reverse(name) + (f"?next={query['next']}" if "next" in query else "")
    return client.post(url, json.dumps(data) if data is not None else "", content_type="application/json")


def add_key(client, key, name=""):
    """What the security page's scripts do: ask for options, let the key answer, then name it."""
    options = post_json(client, "accounts:key_add_begin").json()
    response = post_json(client, "accounts:key_add_complete", key.register(options))
    assert response.status_code == 200, response.content
    key_id = response.json()["id"]
    client.post(reverse("accounts:security_keys"), {"action": "name", "key": key_id, "name": name})
    return WebAuthnCredential.objects.get(pk=key_id)


def use_key(client, key, **kwargs):
    options = post_json(client, "accounts:key_verify_begin").json()
    return post_json(client, "accounts:key_verify_complete", key.sign(options, **kwargs))


@pytest.fixture
def reviewer():
    return make_user("Reviewer")


@pytest.fixture
def with_key(client, reviewer):
    sign_in(client, reviewer)
    key = SoftKey()
    add_key(client, key, "Blue key")
    client.post(reverse("logout"))
    return key


def test_the_security_page_offers_to_add_a_key(client, reviewer):
    sign_in(client, reviewer)
    page = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert "Add a security key" in page and "No security key yet" in page
    assert 'id="otp_webauthn_config"' in page and "<script>" not in page  # data only; the scripts are static files
    assert "django_otp_webauthn/otp_webauthn_register.js" in page


def test_adding_a_key_names_it_and_is_audited(client, reviewer):
    sign_in(client, reviewer)
    key = add_key(client, SoftKey(), "  Blue   key ")
    assert key.user == reviewer and key.name == "Blue key" and key.confirmed
    assert AuditEvent.objects.filter(action="auth.mfa_key_added", username="reviewer").exists()
    assert AuditEvent.objects.get(action="auth.mfa_key_renamed").detail["key"] == "Blue key"
    page = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert "Blue key" in page and 'aria-label="Remove Blue key"' in page


def test_a_key_added_without_a_name_gets_a_numbered_one(client, reviewer):
    sign_in(client, reviewer)
    assert add_key(client, SoftKey()).name == "Security key 1"
    assert add_key(client, SoftKey()).name == "Security key 2"


def test_adding_a_key_needs_both_factors(anonymous, reviewer):
    assert post_json(anonymous, "accounts:key_add_begin").status_code == 302
    sign_in_with_password(anonymous, "reviewer")
    for name in ("accounts:key_add_begin", "accounts:key_add_complete"):
        response = post_json(anonymous, name)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    assert not WebAuthnCredential.objects.exists()


def test_a_key_answer_for_another_challenge_is_not_added(client, reviewer):
    sign_in(client, reviewer)
    post_json(client, "accounts:key_add_begin")
    response = post_json(client, "accounts:key_add_complete", SoftKey().register({"challenge": b64(b"x" * 32)}))
    assert response.status_code == 422 and not WebAuthnCredential.objects.exists()


def test_the_second_step_offers_a_key_only_to_those_who_have_one(anonymous, client, reviewer, with_key):
    make_user("Officer")
    sign_in_with_password(client, "officer")
    page = client.get(reverse("accounts:verify")).content.decode()
    assert "Use a security key" not in page and "otp_webauthn" not in page
    sign_in_with_password(anonymous, "reviewer")
    page = anonymous.get(reverse("accounts:verify")).content.decode()
    assert "Use a security key" in page and "django_otp_webauthn/otp_webauthn_auth.js" in page
    assert "One-time code" in page  # the code still works beside the key


def test_a_key_completes_sign_in_like_a_code(anonymous, reviewer, with_key):
    sign_in_with_password(anonymous, "reviewer")
    assert anonymous.get(reverse("home")).status_code == 302
    before = anonymous.session.session_key
    options = post_json(anonymous, "accounts:key_verify_begin").json()
    response = post_json(anonymous, "accounts:key_verify_complete", with_key.sign(options), next="/captures/")
    assert response.status_code == 200 and response.json()["redirect_url"] == "/captures/"
    assert anonymous.session.session_key != before
    assert anonymous.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.filter(action="auth.mfa_verified", username="reviewer").latest("id")
    assert event.detail == {"method": "security key"}
    assert WebAuthnCredential.objects.get().last_used_at is not None


def test_without_next_the_key_leads_home(anonymous, reviewer, with_key):
    sign_in_with_password(anonymous, "reviewer")
    assert use_key(anonymous, with_key).json()["redirect_url"] == reverse("home")


def test_a_bad_key_answer_is_refused_and_counted(anonymous, reviewer, with_key):
    sign_in_with_password(anonymous, "reviewer")
    response = use_key(anonymous, with_key, signer=ec.generate_private_key(ec.SECP256R1()))
    assert response.status_code == 422 and "could not be verified" in response.json()["detail"]
    assert anonymous.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.get(action="auth.mfa_failed", username="reviewer").detail == {"step": "security key"}


def test_an_answer_without_a_challenge_counts_for_nothing(anonymous, reviewer, with_key):
    sign_in_with_password(anonymous, "reviewer")
    response = post_json(anonymous, "accounts:key_verify_complete", with_key.sign({"challenge": b64(b"y" * 32)}))
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="auth.mfa_failed").exists()


def test_a_challenge_is_answered_once(anonymous, reviewer, with_key):
    sign_in_with_password(anonymous, "reviewer")
    options = post_json(anonymous, "accounts:key_verify_begin").json()
    answer = with_key.sign(options)
    assert post_json(anonymous, "accounts:key_verify_complete", answer).status_code == 200
    anonymous.post(reverse("logout"))
    sign_in_with_password(anonymous, "reviewer")
    assert post_json(anonymous, "accounts:key_verify_complete", answer).status_code == 400


def test_another_persons_key_does_not_sign_you_in(anonymous, client, reviewer, with_key):
    make_user("Officer")
    sign_in_with_password(anonymous, "officer")
    assert post_json(anonymous, "accounts:key_verify_begin").status_code == 404  # the officer has no key
    officer_key = SoftKey()
    sign_in(client, make_user("Supervisor"))
    add_key(client, officer_key)
    sign_in_with_password(anonymous, "reviewer")
    response = use_key(anonymous, officer_key)
    assert response.status_code == 403 and anonymous.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.mfa_failed", username="reviewer").exists()


def test_bad_key_answers_count_toward_the_lockout(anonymous, reviewer, with_key):
    for _ in range(3):
        sign_in_with_password(anonymous, "reviewer", "not-the-password")
    sign_in_with_password(anonymous, "reviewer")
    wrong = ec.generate_private_key(ec.SECP256R1())
    assert use_key(anonymous, with_key, signer=wrong).status_code == 422
    response = use_key(anonymous, with_key, signer=wrong)
    assert response.status_code == 429 and "locked" in response.json()["detail"]
    assert anonymous.get(reverse("home"))["Location"].startswith(reverse("login"))  # the session ended
    assert sign_in_with_password(anonymous, "reviewer").status_code == 429


def test_a_locked_account_gets_no_key_challenge(anonymous, client, reviewer, with_key):
    sign_in_with_password(anonymous, "reviewer")
    for _ in range(5):
        sign_in_with_password(client, "reviewer", "not-the-password")  # someone else, elsewhere
    response = post_json(anonymous, "accounts:key_verify_begin")
    assert response.status_code == 429
    assert anonymous.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_good_key_answer_starts_the_failure_count_again(anonymous, reviewer, with_key):
    for _ in range(4):
        sign_in_with_password(anonymous, "reviewer", "not-the-password")
    sign_in_with_password(anonymous, "reviewer")
    assert use_key(anonymous, with_key).status_code == 200
    anonymous.post(reverse("logout"))
    assert [sign_in_with_password(anonymous, "reviewer", "x").status_code for _ in range(4)] == [200] * 4


def test_removing_a_key_is_audited_and_it_stops_working(anonymous, client, reviewer, with_key):
    sign_in(client, reviewer)
    key = WebAuthnCredential.objects.get()
    response = client.post(reverse("accounts:security_keys"), {"action": "remove", "key": key.pk})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:recovery_codes")
    assert not WebAuthnCredential.objects.exists()
    assert AuditEvent.objects.get(action="auth.mfa_key_removed").detail == {"key": "Blue key", "key_id": key.pk}
    sign_in_with_password(anonymous, "reviewer")
    assert "Use a security key" not in anonymous.get(reverse("accounts:verify")).content.decode()


def test_nobody_removes_or_renames_someone_elses_key(client, reviewer, with_key):
    key = WebAuthnCredential.objects.get()
    sign_in(client, make_user("Administrator"))
    for data in ({"action": "remove", "key": key.pk}, {"action": "name", "key": key.pk, "name": "Mine now"},
                 {"action": "remove", "key": "x"}, {}):
        client.post(reverse("accounts:security_keys"), data)
    key.refresh_from_db()
    assert key.name == "Blue key"
    assert not AuditEvent.objects.filter(action__in=["auth.mfa_key_removed", "auth.mfa_key_renamed"], username="administrator").exists()


def test_an_administrators_reset_removes_the_keys_too(client, reviewer, with_key):
    sign_in(client, make_user("Administrator"))
    client.post(reverse("accounts:staff_action"), {"username": "reviewer", "action": "reset_mfa"})
    assert not mfa.has_security_key(reviewer) and not WebAuthnCredential.objects.exists()


def test_a_key_does_not_replace_the_authenticator_at_enrolment(anonymous):
    make_user("Officer", authenticator=False)
    sign_in_with_password(anonymous, "officer")
    response = post_json(anonymous, "accounts:key_add_begin")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:enrol"))
    assert "security key" not in anonymous.get(reverse("accounts:enrol")).content.decode().lower()
