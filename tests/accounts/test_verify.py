import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from dearjohn.accounts.mfa import new_recovery_codes
from dearjohn.oversight.models import AuditEvent
from tests.accounts.conftest import sign_in_with_password
from tests.conftest import current_code, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return make_user("Reviewer")


def test_the_code_from_the_app_completes_sign_in(anonymous, reviewer):
    sign_in_with_password(anonymous, "reviewer")
    response = anonymous.post(reverse("accounts:verify"), {"code": current_code(reviewer), "next": "/captures/"})
    assert response.status_code == 302 and response["Location"] == "/captures/"
    assert anonymous.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.mfa_verified", username="reviewer").exists()


def test_a_wrong_code_is_refused_and_recorded(anonymous, reviewer):
    sign_in_with_password(anonymous, "reviewer")
    wrong = f"{(int(current_code(reviewer)) + 1) % 1000000:06d}"
    response = anonymous.post(reverse("accounts:verify"), {"code": wrong})
    assert response.status_code == 400 and b"did not match" in response.content
    assert anonymous.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.mfa_failed", username="reviewer").exists()


def test_a_code_cannot_be_replayed_in_another_session(anonymous, client, reviewer):
    code = current_code(reviewer)
    sign_in_with_password(anonymous, "reviewer")
    assert anonymous.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    sign_in_with_password(client, "reviewer")
    assert client.post(reverse("accounts:verify"), {"code": code}).status_code == 400


def test_a_recovery_code_works_once(anonymous, client, reviewer):
    codes = new_recovery_codes(reviewer)
    sign_in_with_password(anonymous, "reviewer")
    assert anonymous.post(reverse("accounts:verify"), {"code": codes[0].upper()}).status_code == 302
    assert StaticToken.objects.filter(device__user=reviewer).count() == len(codes) - 1
    assert AuditEvent.objects.filter(action="auth.mfa_recovery_code_used").exists()
    sign_in_with_password(client, "reviewer")
    assert client.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 400


def test_the_verify_page_rejects_other_methods(anonymous, reviewer):
    sign_in_with_password(anonymous, "reviewer")
    assert anonymous.put(reverse("accounts:verify")).status_code == 405
