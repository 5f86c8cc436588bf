"""A letter from approval to withdrawal, in a real browser, and the recipient's side of it."""

import pytest

from dearjohn.letters.models import Letter
from tests import factories
from tests.browser.conftest import sign_in_page
from tests.conftest import make_user


@pytest.mark.django_db(transaction=True)
def test_approve_print_mail_respond_withdraw_and_no_second_letter(live_server, page, browser, settings, tmp_path):
    settings.DEARJOHN = {**settings.DEARJOHN, "LETTERS": {**settings.DEARJOHN["LETTERS"], "OUTPUT_DIR": tmp_path}}
    reviewer = make_user("Reviewer")
    case = factories.qualifying_case("7BRW404", reviewer=reviewer, zip_code="94110", with_photo=True)
    supervisor = make_user("Supervisor")
    sign_in_page(page, live_server, supervisor)

    page.get_by_role("link", name="Letters", exact=True).first.click()
    page.get_by_role("button", name="Draft letters for qualifying cases (1)").click()
    page.get_by_text("Drafted 1 letter.").wait_for()
    letter = Letter.objects.get(case=case)
    page.get_by_role("link", name=letter.reference).click()
    page.get_by_role("button", name="Approve letter").click()
    page.get_by_text("Letter approved").wait_for()

    page.get_by_role("link", name="Print batches").click()
    page.get_by_label("Batch name").fill("browser-batch")
    page.get_by_role("button", name="Print approved letters (1)").click()
    page.get_by_text("Printed batch browser-batch: 1 letters.").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Mark mailed").click()
    page.get_by_text("1 letters marked mailed").wait_for()

    recipient = browser.new_context().new_page()
    recipient.goto(f"{live_server.url}/r/{letter.reference}")
    recipient.get_by_label("ZIP code the letter was mailed to").fill("94110")
    recipient.get_by_role("button", name="Continue").click()
    recipient.get_by_role("heading", name="Your letter").wait_for()
    assert "ROBIN" not in recipient.content().upper()
    recipient.get_by_label("The vehicle was sold").check()
    recipient.get_by_role("button", name="Send").click()
    recipient.get_by_role("heading", name="Thank you").wait_for()
    recipient.context.close()

    page.get_by_role("link", name="Responses").click()
    page.get_by_role("link", name=letter.reference).click()
    page.get_by_label("Withdraw the letter").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(f"Decision recorded for {letter.reference}").wait_for()

    factories.confirmed_sighting("7BRW404", reviewer=reviewer)
    page.get_by_role("link", name="Letters", exact=True).first.click()
    page.get_by_role("button", name="Draft letters for qualifying cases (0)").click()
    page.get_by_text("Drafted 0 letters.").wait_for()
    assert sorted(Letter.objects.filter(case=case).values_list("kind", "status")) == [("apology", "approved"),
                                                                                    ("first", "mailed")]
