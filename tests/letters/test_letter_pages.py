"""The staff pages a letter goes through: list, detail, approve, address fix, print, mailed, mail log."""

import pytest
from django.urls import reverse

from dearjohn.letters.models import Letter, PrintBatch, Suppression
from dearjohn.oversight.models import AuditEvent
from tests import factories
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(client):
    user = make_user("Supervisor")
    sign_in(client, user)
    return user


def test_drafting_from_the_list_reports_what_was_skipped(client, supervisor):
    factories.qualifying_case("7AAA111")
    factories.qualifying_case("7BBB222")
    Suppression.objects.create(state="CA", plate_key="7BBB222", reason="test")
    page = client.post(reverse("letters:draft_qualifying"), follow=True).content.decode()
    assert "Drafted 1 letter." in page and "suppressed" in page
    assert Letter.objects.count() == 1


def test_the_detail_page_shows_the_letter_and_logs_the_view(client, supervisor):
    letter = factories.drafted_letter()
    page = client.get(reverse("letters:letter_detail", kwargs={"reference": letter.reference})).content.decode()
    assert "ROBIN QUILLFEATHER" in page and "Approve letter" in page
    assert AuditEvent.objects.filter(action="letter.viewed", object_id=str(letter.pk), username="supervisor").exists()
    image = client.get(reverse("letters:letter_png", kwargs={"reference": letter.reference}))
    assert image["Content-Type"] == "image/png"


def test_approving_from_the_page(client, supervisor):
    letter = factories.drafted_letter()
    client.post(reverse("letters:approve", kwargs={"reference": letter.reference}))
    assert Letter.objects.get(pk=letter.pk).status == "approved"


def test_approval_refused_by_the_two_person_rule_says_so(client, supervisor):
    letter = factories.drafted_letter(reviewer=supervisor)
    page = client.post(reverse("letters:approve", kwargs={"reference": letter.reference}), follow=True).content.decode()
    assert "two-person rule" in page and Letter.objects.get(pk=letter.pk).status == "draft"


def test_fixing_a_held_address(client, supervisor):
    letter = factories.drafted_letter(zip_code="")
    url = reverse("letters:fix_address", kwargs={"reference": letter.reference})
    form = {"name": "Robin Quillfeather", "line1": "1200 Marigold Court", "line2": "", "city": "Oakland", "state": "CA"}
    assert "ZIP" in client.post(url, {**form, "zip_code": "9461"}).content.decode()
    client.post(url, {**form, "zip_code": "94612"})
    letter.refresh_from_db()
    assert letter.status == "draft" and letter.address_lines[1] == "1200 MARIGOLD CT"


def test_print_then_mark_mailed_from_the_batch_page(client, supervisor, letter_output):
    factories.approved_letter()
    page = client.post(reverse("letters:print_batch"), {"name": "dec-4"}, follow=True).content.decode()
    assert "Printed batch dec-4: 1 letters." in page
    pdf = client.get(reverse("letters:batch_pdf", kwargs={"name": "dec-4"}))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.post(reverse("letters:batch_mailed", kwargs={"name": "dec-4"}))
    assert PrintBatch.objects.get().mailed_at is not None and Letter.objects.get().status == "mailed"
    again = client.post(reverse("letters:print_batch"), {"name": "dec-4b"}, follow=True).content.decode()
    assert "No approved letters to print." in again


def test_the_mail_log_records_a_returned_letter(client, supervisor, letter_output):
    letter = factories.approved_letter()
    client.post(reverse("letters:print_batch"), {"name": "b"})
    client.post(reverse("letters:batch_mailed", kwargs={"name": "b"}))
    client.post(reverse("letters:mail_log"), {"reference": letter.reference, "outcome": "returned"})
    assert Letter.objects.get().status == "returned"
    page = client.post(reverse("letters:mail_log"), {"reference": "nonsense", "outcome": "returned"}).content.decode()
    assert "not a letter reference" in page


def test_adding_a_suppression(client, supervisor):
    client.post(reverse("letters:suppression_list"), {"state": "ca", "plate_key": "7abc 123", "owner_name": "", "reason": "fleet"})
    suppression = Suppression.objects.get()
    assert (suppression.state, suppression.plate_key, suppression.owner_name) == ("CA", "7ABC123", "")


def test_an_interrupted_batch_offers_to_finish_printing_and_cannot_be_mailed_before(client, supervisor, letter_output):
    letter = factories.approved_letter()
    batch = PrintBatch.objects.create(name="cut-short", letter_count=1, pdf_path="batches/cut-short.pdf",
                                      manifest_path="batches/cut-short.csv")
    Letter.objects.filter(pk=letter.pk).update(status="printed", batch=batch)
    page = client.get(reverse("letters:batch_list")).content.decode()
    assert "Interrupted" in page and "Finish printing" in page and "Mark mailed" not in page
    refused = client.post(reverse("letters:batch_mailed", kwargs={"name": "cut-short"}), follow=True).content.decode()
    assert "interrupted while printing" in refused and Letter.objects.get().status == "printed"
    done = client.post(reverse("letters:print_batch"), {"name": "cut-short"}, follow=True).content.decode()
    assert "Printed batch cut-short: 1 letters." in done and "Finish printing" not in done
    pdf = client.get(reverse("letters:batch_pdf", kwargs={"name": "cut-short"}))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
