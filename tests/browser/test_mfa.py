"""First sign-in with a real browser: set up the authenticator, keep the recovery codes; the idle warning."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import sign_in_page
from tests.browser.screens import DOCS
from tests.conftest import make_user


@pytest.mark.django_db(transaction=True)
def test_first_sign_in_sets_up_the_authenticator(live_server, page):
    make_user("Officer", authenticator=False)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("User name").fill("officer")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Set up your authenticator").wait_for()
    assert page.locator("figure.qr svg").is_visible()
    page.screenshot(path=str(DOCS / "mfa-enrolment.png"), full_page=True)
    secret = re.sub(r"\s", "", page.locator("code.secret").inner_text())
    page.get_by_label("Code from the app").fill(f"{TOTP(b32decode(secret)).token():06d}")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.locator("ul.codes li").count() == 10
    page.get_by_role("link", name="I have kept them, continue").click()
    page.get_by_role("heading", name="What needs doing").wait_for()


@pytest.mark.django_db(transaction=True)
def test_an_idle_session_warns_then_ends(live_server, page, settings):
    settings.SESSION_COOKIE_AGE = 8
    settings.DEARJOHN = {**settings.DEARJOHN, "SIGN_IN": {**settings.DEARJOHN["SIGN_IN"], "IDLE_WARNING_SECONDS": 6}}
    sign_in_page(page, live_server, make_user("Reviewer"))
    warning = page.get_by_role("alertdialog")
    warning.wait_for(timeout=6000)
    assert "signed out in" in warning.inner_text()
    page.screenshot(path=str(DOCS / "idle-warning.png"))
    page.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="detached")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=(/|%2F)"), timeout=15000)
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url  # the server ended the session as well
