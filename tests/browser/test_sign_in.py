import pytest

from tests.browser.conftest import sign_in_page
from tests.conftest import ROLES, make_user

DASHBOARD_CARD = {
    "Officer": "Your captures",
    "Reviewer": "Sightings waiting for review",
    "Supervisor": "Letters to approve",
    "Auditor": "Audit entries in the last 30 days",
    "Administrator": "Active staff accounts",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_sees_its_dashboard(role, live_server, page):
    user = make_user(role)
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    sign_in_page(page, live_server, user)
    assert page.get_by_role("heading", name=DASHBOARD_CARD[role]).is_visible()
    assert role in page.locator(".who").inner_text()
