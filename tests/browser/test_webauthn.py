"""A security key in a real browser: Chromium's virtual authenticator, driven over CDP."""

from urllib.parse import urlsplit

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from dearjohn.oversight.models import AuditEvent
from tests.browser.conftest import sign_in_page
from tests.browser.screens import DOCS
from tests.conftest import make_user


def virtual_key(page):
    """A USB key that says yes to every prompt, as if touched."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True}})
    return cdp


@pytest.mark.django_db(transaction=True)
def test_a_security_key_added_on_the_security_page_signs_in(live_server, page, settings):
    assert urlsplit(live_server.url).hostname == "localhost"  # a relying-party id is never an IP address
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    policy_violations = []
    page.on("console", lambda msg: policy_violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    virtual_key(page)
    user = make_user("Reviewer")

    sign_in_page(page, live_server, user)
    page.goto(live_server.url + "/accounts/security/")
    page.get_by_label("Name for the key").fill("Blue key")
    page.get_by_role("button", name="Add a security key").click()
    page.get_by_text('Security key "Blue key" added').wait_for()
    assert page.get_by_role("button", name="Remove Blue key").is_visible()
    assert WebAuthnCredential.objects.get(user=user).name == "Blue key"
    page.screenshot(path=str(DOCS / "security-keys.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("User name").fill("reviewer")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Use a security key").click()
    page.get_by_role("heading", name="What needs doing").wait_for()
    assert urlsplit(page.url).hostname == "localhost"
    assert AuditEvent.objects.filter(action="auth.mfa_verified", username="reviewer", detail__method="security key").exists()
    assert policy_violations == []
