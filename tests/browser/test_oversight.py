import csv
import io
from datetime import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.conftest import sign_in_page
from tests.conftest import make_user

from tests.browser.screens import DOCS


@pytest.mark.django_db(transaction=True)
def test_an_auditor_filters_the_access_log_and_downloads_the_csv(live_server, page):
    reviewer = make_user("Reviewer", "r.quintero")
    other = make_user("Reviewer", "j.galloway")
    factories.owner_lookup(reviewer, plate="7ABC123", looked_up_at=timezone.make_aware(datetime(2026, 11, 3, 22, 5)))
    factories.owner_lookup(reviewer, plate="7ABC124", case_number="DJ-2026-000012", looked_up_at=timezone.make_aware(datetime(2026, 11, 4, 21, 40)))
    factories.owner_lookup(other, plate="8XYZ789", case_number="DJ-2026-000013", looked_up_at=timezone.make_aware(datetime(2026, 11, 4, 23, 10)))
    sign_in_page(page, live_server, make_user("Auditor"))
    page.get_by_role("link", name="Access log").click()
    page.get_by_label("User").fill("r.quintero")
    page.get_by_label("From").fill("2026-11-01")
    page.get_by_label("To (inclusive)").fill("2026-11-30")
    page.get_by_role("button", name="Filter").click()
    table = page.locator("table.access-log")
    table.wait_for()
    assert "7ABC123" in table.inner_text() and "8XYZ789" not in table.inner_text()
    assert "no case number" in page.locator("tr.flagged").inner_text()
    if DOCS.is_dir():
        page.screenshot(path=str(DOCS / "oversight-access-log.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(open(info.value.path()).read())))
    assert rows[0][:3] == ["time", "kind", "user"]
    assert sorted(r[3] for r in rows[1:]) == ["7ABC123", "7ABC124"]
    page.get_by_role("link", name="Annual report").click()
    page.get_by_role("heading", name="Audit findings").wait_for()
    if DOCS.is_dir():
        page.screenshot(path=str(DOCS / "oversight-annual-page.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_public_policy_page_loads_without_signing_in(live_server, page):
    page.goto(live_server.url + "/policy/")
    assert "/accounts/login/" not in page.url
    page.get_by_role("heading", name="How long data is kept").wait_for()
    assert "No face recognition" in page.content()
    if DOCS.is_dir():
        page.screenshot(path=str(DOCS / "oversight-public-policy.png"), full_page=True)
