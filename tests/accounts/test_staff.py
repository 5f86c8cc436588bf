import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dearjohn.accounts.models import SignInPolicy
from dearjohn.oversight.models import AuditEvent
from tests.accounts.conftest import sign_in_with_password
from tests.accounts.test_lockout import fail
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    return sign_in(client, make_user("Administrator"))


def test_it_lists_locked_accounts_and_releases_them(admin_client, anonymous):
    make_user("Reviewer")
    fail(anonymous, "reviewer", 5)
    page = admin_client.get(reverse("accounts:staff")).content.decode()
    assert "locked" in page and 'value="release"' in page
    response = admin_client.post(reverse("accounts:staff_action"), {"username": "reviewer", "action": "release"})
    assert response.status_code == 302
    assert sign_in_with_password(anonymous, "reviewer").status_code == 302
    event = AuditEvent.objects.get(action="auth.lockout_released")
    assert event.username == "administrator" and event.detail["account"] == "reviewer"


def test_resetting_the_second_factor_forces_a_new_enrolment(admin_client, anonymous):
    reviewer = make_user("Reviewer")
    response = admin_client.post(reverse("accounts:staff_action"), {"username": "reviewer", "action": "reset_mfa"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    sign_in_with_password(anonymous, "reviewer")
    assert anonymous.get(reverse("home"))["Location"].startswith(reverse("accounts:enrol"))
    assert AuditEvent.objects.filter(action="auth.mfa_reset", detail__account="reviewer").exists()


def test_it_allows_several_sessions_and_back(admin_client):
    reviewer = make_user("Reviewer")
    admin_client.post(reverse("accounts:staff_action"), {"username": "reviewer", "action": "allow_several"})
    assert SignInPolicy.objects.get(user=reviewer).allow_several_sessions
    admin_client.post(reverse("accounts:staff_action"), {"username": "reviewer", "action": "allow_one"})
    assert not SignInPolicy.objects.get(user=reviewer).allow_several_sessions
    assert AuditEvent.objects.filter(action="auth.session_policy_changed").count() == 2


def test_an_unknown_account_changes_nothing(admin_client):
    response = admin_client.post(reverse("accounts:staff_action"), {"username": "ghost", "action": "release"}, follow=True)
    assert b"Choose an account" in response.content


def test_it_rejects_get_on_the_action(admin_client):
    assert admin_client.get(reverse("accounts:staff_action")).status_code == 405


def test_it_is_for_administrators_only(client):
    sign_in(client, make_user("Supervisor"))
    assert client.get(reverse("accounts:staff")).status_code == 403
