"""Five failed attempts in a row lock the account for at least ten minutes (CJIS 5.5.3)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from dearjohn.oversight.models import AuditEvent
from tests.accounts.conftest import sign_in_with_password
from tests.conftest import current_code, make_user

pytestmark = pytest.mark.django_db


def fail(client, username, times):
    return [sign_in_with_password(client, username, "not-the-password").status_code for _ in range(times)]


def test_the_fifth_failure_locks_the_account(anonymous):
    make_user("Reviewer")
    assert fail(anonymous, "reviewer", 5) == [200, 200, 200, 200, 429]
    response = sign_in_with_password(anonymous, "reviewer")
    assert response.status_code == 429 and b"locked for 15 minutes" in response.content
    assert AuditEvent.objects.filter(action="auth.locked_out", detail__attempted_username="reviewer").exists()
    assert AuditEvent.objects.filter(action="auth.sign_in_failed").count() >= 5


def test_the_lock_lifts_after_ten_minutes(anonymous):
    make_user("Reviewer")
    with freeze_time() as clock:
        fail(anonymous, "reviewer", 5)
        clock.tick(timedelta(minutes=9))
        assert sign_in_with_password(anonymous, "reviewer").status_code == 429
        clock.tick(timedelta(minutes=7))
        assert sign_in_with_password(anonymous, "reviewer").status_code == 302


def test_a_success_with_both_factors_starts_the_count_again(anonymous):
    user = make_user("Reviewer")
    fail(anonymous, "reviewer", 4)
    sign_in_with_password(anonymous, "reviewer")
    anonymous.post(reverse("accounts:verify"), {"code": current_code(user)})
    anonymous.post(reverse("logout"))
    assert fail(anonymous, "reviewer", 4) == [200, 200, 200, 200]
    assert sign_in_with_password(anonymous, "reviewer").status_code == 302


def test_wrong_codes_count_toward_the_lock_too(anonymous):
    user = make_user("Reviewer")
    fail(anonymous, "reviewer", 3)
    sign_in_with_password(anonymous, "reviewer")
    wrong = f"{(int(current_code(user)) + 5) % 1000000:06d}"
    assert anonymous.post(reverse("accounts:verify"), {"code": wrong}).status_code == 400
    response = anonymous.post(reverse("accounts:verify"), {"code": wrong})
    assert response.status_code == 429
    assert anonymous.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert sign_in_with_password(anonymous, "reviewer").status_code == 429


def test_locking_an_unknown_name_says_the_same(anonymous):
    assert fail(anonymous, "nobody-here", 5)[-1] == 429
