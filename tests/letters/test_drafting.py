"""From a qualifying case to an approved letter, and every rule that stops one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dearjohn.cases.models import Case
from dearjohn.letters import drafting
from dearjohn.letters.errors import LetterError
from dearjohn.letters.models import Letter, Suppression
from dearjohn.oversight.models import AuditEvent
from tests import factories
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_it_drafts_a_first_notice_in_the_owners_language_with_a_usps_address():
    case = factories.qualifying_case(preferred_language="es", address_line1="1200 Marigold Court", address_line2="apartment 4")
    letter = drafting.draft(case)
    assert (letter.kind, letter.language, letter.status) == ("first", "es", "draft")
    assert letter.address_lines == ["ROBIN QUILLFEATHER", "1200 MARIGOLD CT", "APT 4", "OAKLAND CA 94612"]
    assert letter.recipient_zip == "94612" and letter.template.language == "es" and letter.template_version == 1
    assert letter.observed["zones"] == ["Test zone"] and letter.observed["count"] == 1
    case.refresh_from_db()
    assert case.status == Case.Status.LETTER_PENDING
    assert AuditEvent.objects.filter(action="letter.drafted", object_id=str(letter.pk)).exists()


def test_an_unknown_language_falls_back_to_english():
    assert drafting.draft(factories.qualifying_case(preferred_language="ko")).language == "en"


def test_it_refuses_a_case_that_does_not_qualify():
    case = factories.qualifying_case()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.OPEN)
    case.refresh_from_db()
    with pytest.raises(LetterError, match="does not qualify"):
        drafting.draft(case)


def test_it_refuses_a_withdrawn_case():
    case = factories.qualifying_case()
    case.status = Case.Status.WITHDRAWN
    case.save()
    with pytest.raises(LetterError):
        drafting.draft(case)
    assert not Letter.objects.exists()


@pytest.mark.parametrize("plate,owner", [("7TST123", ""), ("7TST123", "robin  quillfeather"), ("", "Robin Quillfeather")])
def test_it_refuses_a_suppressed_vehicle_or_owner(plate, owner):
    case = factories.qualifying_case()
    Suppression.objects.create(state="CA" if plate else "", plate_key=plate, owner_name=drafting.owner_key(owner),
                               reason="Owner asked; legal review")
    with pytest.raises(LetterError, match="suppressed"):
        drafting.draft(case)


def test_a_suppression_for_another_owner_does_not_stop_the_letter():
    case = factories.qualifying_case()
    Suppression.objects.create(state="CA", plate_key="7TST123", owner_name="SOMEONE ELSE", reason="previous owner")
    assert drafting.draft(case).status == "draft"


def test_it_never_drafts_twice_inside_the_cooldown():
    case = factories.qualifying_case()
    first = drafting.draft(case)
    with pytest.raises(LetterError, match="already has a letter waiting"):
        drafting.draft(case)
    Letter.objects.filter(pk=first.pk).update(status=Letter.Status.MAILED, mailed_at=timezone.now() - timedelta(days=10))
    Case.objects.filter(pk=case.pk).update(status=Case.Status.QUALIFYING)
    case.refresh_from_db()
    with pytest.raises(LetterError):
        drafting.draft(case)
    assert case.letters.count() == 1


def test_after_the_cooldown_the_same_owner_gets_a_repeat_notice():
    case = factories.qualifying_case()
    first = drafting.draft(case)
    long_ago = timezone.now() - timedelta(days=200)
    Letter.objects.filter(pk=first.pk).update(status=Letter.Status.MAILED, mailed_at=long_ago, drafted_at=long_ago,
                                              approved_at=long_ago)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.LETTERED)
    factories.confirmed_sighting("7TST123", seen_at=timezone.now() - timedelta(hours=5))
    case.refresh_from_db()
    assert case.status == Case.Status.QUALIFYING
    second = drafting.draft(case)
    assert second.kind == "repeat" and second.about_letter == first


def test_an_address_without_a_zip_code_is_held_until_a_person_fixes_it():
    supervisor = make_user("Supervisor")
    letter = drafting.draft(factories.qualifying_case(zip_code=""))
    assert letter.status == Letter.Status.HELD and "ZIP" in letter.hold_reason
    with pytest.raises(LetterError, match="Fix the address"):
        drafting.approve(letter, supervisor)
    with pytest.raises(LetterError):
        drafting.fix_address(letter, supervisor, "Robin Quillfeather", "no such place", "", "Oakland", "CA", "")
    fixed = drafting.fix_address(letter, supervisor, "Robin Quillfeather", "1200 Marigold Ct", "", "Oakland", "CA", "94612")
    assert fixed.status == Letter.Status.DRAFT and fixed.recipient_zip == "94612" and not fixed.hold_reason
    assert drafting.approve(fixed, supervisor).status == Letter.Status.APPROVED


def test_an_unparseable_street_is_held():
    letter = drafting.draft(factories.qualifying_case(address_line1="xx yy"))
    assert letter.status == Letter.Status.HELD and "could not be read" in letter.hold_reason


def test_the_person_who_confirmed_the_sightings_cannot_approve():
    supervisor = make_user("Supervisor")
    letter = drafting.draft(factories.qualifying_case(reviewer=supervisor))
    with pytest.raises(LetterError, match="two-person rule"):
        drafting.approve(letter, supervisor)
    other = make_user("Supervisor", "second-supervisor")
    assert drafting.approve(letter, other).approved_by == other


def test_approval_rechecks_the_evidence_policy():
    supervisor = make_user("Supervisor")
    case = factories.qualifying_case()
    letter = drafting.draft(case)
    Case.objects.filter(pk=case.pk).update(vehicle_check=Case.VehicleCheck.MISMATCH)
    with pytest.raises(LetterError, match="no longer qualifies"):
        drafting.approve(letter, supervisor)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.DRAFT


def test_cancelling_a_draft_returns_the_case_to_the_policy():
    supervisor = make_user("Supervisor")
    case = factories.qualifying_case()
    drafting.cancel(drafting.draft(case), supervisor, "wrong language")
    case.refresh_from_db()
    assert case.status == Case.Status.QUALIFYING
    assert drafting.draft(case).status == Letter.Status.DRAFT


def test_changing_the_language_takes_that_languages_template_and_needs_approval_again():
    supervisor = make_user("Supervisor")
    letter = drafting.approve(drafting.draft(factories.qualifying_case()), supervisor)
    changed = drafting.set_language(letter, supervisor, "zh")
    assert changed.template.language == "zh" and changed.status == Letter.Status.DRAFT and changed.approved_by is None


def test_draft_qualifying_drafts_every_case_and_says_why_it_skipped_others():
    factories.qualifying_case("7AAA111")
    blocked = factories.qualifying_case("7BBB222")
    Suppression.objects.create(state="CA", plate_key="7BBB222", reason="test")
    drafted, skipped = drafting.draft_qualifying()
    assert [letter.case.plate_key for letter in drafted] == ["7AAA111"]
    assert [case.pk for case, _ in skipped] == [blocked.pk] and "suppressed" in skipped[0][1]
