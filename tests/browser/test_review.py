from datetime import datetime, timedelta, timezone

import pytest

from dearjohn.cases.models import Case
from dearjohn.evidence.models import Sighting
from dearjohn.vehicles.models import OwnerLookup
from tests import factories
from tests.browser.conftest import sign_in_page
from tests.conftest import make_user
from tests.browser.screens import DOCS

NIGHT = datetime(2026, 11, 18, 6, 30, tzinfo=timezone.utc)


def wait_for_item(page, sighting):
    page.locator(f'.review-item[data-sighting="{sighting.pk}"]').wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_clears_five_items_by_keyboard_and_the_case_qualifies(live_server, page, settings):
    factories.evidence_policy(min_sightings=3, min_days=3, window_days=30)
    factories.registration("7ABC123", make="Toyota", model="Camry", color="Silver")
    confident = factories.stored_sighting("7ABC123", confidence=0.96, seen_at=NIGHT)
    doubtful = factories.stored_sighting("7A8C123", confidence=0.55, seen_at=NIGHT + timedelta(days=1), candidates=[
        {"text": "7A8C123", "confidence": 0.55}, {"text": "7ABC123", "confidence": 0.41}])
    misread = factories.stored_sighting("7ABC1Z3", confidence=0.5, seen_at=NIGHT + timedelta(days=2))
    junk = factories.stored_sighting("LLLL", confidence=0.3, seen_at=NIGHT + timedelta(days=3))
    other = factories.stored_sighting("6OKR410", confidence=0.95, seen_at=NIGHT + timedelta(days=4))
    reviewer = make_user("Reviewer")

    sign_in_page(page, live_server, reviewer)
    page.goto(live_server.url + "/cases/review/")
    assert page.locator(".shortcuts").is_visible()
    wait_for_item(page, confident)
    assert page.locator('input[name="plate"]:checked').get_attribute("value") == "7ABC123"  # pre-selected, not confirmed
    page.keyboard.press("Enter")

    wait_for_item(page, doubtful)
    assert page.locator('input[name="plate"]:checked').count() == 0
    page.keyboard.press("2")
    page.keyboard.press("Enter")

    wait_for_item(page, misread)
    page.keyboard.press("c")
    page.keyboard.type("7ABC123")
    page.keyboard.press("Enter")

    wait_for_item(page, junk)
    page.keyboard.press("n")  # skip for now
    wait_for_item(page, other)
    page.keyboard.press("Enter")
    wait_for_item(page, junk)  # the skipped item comes back at the end
    page.keyboard.press("r")
    page.keyboard.press("p")
    page.get_by_text("No sightings wait for review.").wait_for()
    assert "Rejected: not a plate." in page.locator(".done").inner_text()
    page.screenshot(path=str(DOCS / "review-queue-done.png"))

    statuses = dict(Sighting.objects.values_list("pk", "review_status"))
    assert statuses == {confident.pk: "confirmed", doubtful.pk: "confirmed", misread.pk: "corrected", junk.pk: "rejected",
                        other.pk: "confirmed"}
    case = Case.objects.get(plate_key="7ABC123")
    assert case.sightings.count() == 3

    page.goto(live_server.url + f"/cases/{case.pk}/")
    page.get_by_label("Purpose of this lookup").select_option("letter_case")
    page.get_by_role("button", name="Look up owner").click()
    page.get_by_text("Registered owner found.").wait_for()
    page.get_by_label("Matches the image").check()
    page.get_by_role("button", name="Record vehicle check").click()
    page.get_by_text("Qualifies for a letter").wait_for()
    assert "3 confirmed sightings on 3 days within 30 days (policy v1)" in page.locator(".status").inner_text()
    page.screenshot(path=str(DOCS / "case-qualifying.png"), full_page=True)
    case.refresh_from_db()
    assert case.status == Case.Status.QUALIFYING and OwnerLookup.objects.get().purpose == "letter_case"


@pytest.mark.django_db(transaction=True)
def test_the_review_item_screenshot(live_server, page):
    """Keeps a picture of one item in docs/ for readers of the README."""
    factories.stored_sighting("7ABC123", confidence=0.93, candidates=[
        {"text": "7ABC123", "confidence": 0.93}, {"text": "7A8C123", "confidence": 0.04}, {"text": "7ABC12B", "confidence": 0.02}])
    sign_in_page(page, live_server, make_user("Reviewer"))
    page.goto(live_server.url + "/cases/review/")
    page.locator("img.crop").wait_for()
    page.wait_for_function("document.querySelector('img.whole').complete && document.querySelector('img.crop').naturalWidth > 0")
    page.screenshot(path=str(DOCS / "review-queue.png"), full_page=True)
