from datetime import timedelta

import pytest
from django.utils import timezone

from dearjohn.cases.models import Case
from dearjohn.oversight.models import AuditEvent
from dearjohn.vehicles import lookup
from dearjohn.vehicles.models import OwnerLookup, Registration, VehiclesError
from tests import factories
from tests.vehicles.gateway import Gateway, gateway_record, settings_for

PURPOSE = OwnerLookup.Purpose.LETTER_CASE


def use_gateway(settings, gateway, **overrides):
    settings.DEARJOHN = {**settings.DEARJOHN, "OWNER_LOOKUP_ADAPTER": "gateway", "GATEWAY": settings_for(gateway, **overrides)}


@pytest.mark.django_db
@pytest.mark.parametrize("purpose,case_number", [("", "DJ-2026-000001"), ("curiosity", "DJ-2026-000001"), (PURPOSE, ""), (PURPOSE, "  ")])
def test_a_lookup_without_a_purpose_or_case_is_refused(users, purpose, case_number):
    factories.registration("7ABC123")
    with pytest.raises(VehiclesError):
        lookup.look_up("7ABC123", "CA", user=users["Reviewer"], purpose=purpose, case_number=case_number)
    assert OwnerLookup.objects.count() == 0


@pytest.mark.django_db
def test_a_local_lookup_is_logged_with_user_plate_state_purpose_and_count(users):
    found = factories.registration("6OKR410")
    result = lookup.look_up("6 okr 410", "ca", user=users["Reviewer"], purpose=PURPOSE, case_number="DJ-2026-000007")
    assert result.registration == found
    row = OwnerLookup.objects.get()
    assert (row.user, row.plate_key, row.state, row.purpose, row.case_number, row.records_found, row.source) == (
        users["Reviewer"], "60KR410", "CA", PURPOSE, "DJ-2026-000007", 1, "local")
    event = AuditEvent.objects.get(action="owner_lookup")
    assert event.username == "reviewer" and event.purpose == "Letter program case review, case DJ-2026-000007"
    assert event.detail["plate"] == "60KR410" and event.detail["records_found"] == 1


@pytest.mark.django_db
def test_a_lookup_that_finds_nothing_is_still_logged(users):
    result = lookup.look_up("1NOPE11", "CA", user=users["Reviewer"], purpose=PURPOSE, case_number="DJ-2026-000001")
    assert result.registration is None and result.registrations == ()
    assert OwnerLookup.objects.get().records_found == 0
    assert AuditEvent.objects.get(action="owner_lookup").detail["records_found"] == 0


@pytest.mark.django_db
def test_the_gateway_is_asked_with_its_key_and_its_fields_are_mapped(users, settings):
    with Gateway({("7ABC123", "CA"): [gateway_record()]}) as gateway:
        use_gateway(settings, gateway)
        result = lookup.look_up("7ABC123", "CA", user=users["Reviewer"], purpose=PURPOSE, case_number="DJ-2026-000002")
    assert gateway.requests == [{"query": {"plate": "7ABC123", "state": "CA"}, "auth": "test-gateway-key"}]
    reg = result.registration
    assert (reg.make, reg.color, reg.year, reg.owner_name, reg.zip_code) == ("Subaru", "Green", 2019, "Emerson Galloway", "94401")
    assert Registration.objects.get(plate_key="7ABC123").pk == reg.pk
    assert OwnerLookup.objects.get().source == "gateway"


@pytest.mark.django_db
def test_the_gateway_is_retried_after_a_server_error(users, settings):
    with Gateway({("7ABC123", "CA"): [gateway_record()]}, fail_first=2) as gateway:
        use_gateway(settings, gateway, RETRIES=2)
        result = lookup.look_up("7ABC123", "CA", user=users["Reviewer"], purpose=PURPOSE, case_number="DJ-2026-000002")
    assert len(gateway.requests) == 3 and result.registration is not None


@pytest.mark.django_db
def test_a_gateway_that_keeps_failing_is_reported_and_the_attempt_logged(users, settings):
    with Gateway(fail_first=10) as gateway:
        use_gateway(settings, gateway, RETRIES=1)
        with pytest.raises(VehiclesError, match="did not answer after 2 tries"):
            lookup.look_up("7ABC123", "CA", user=users["Reviewer"], purpose=PURPOSE, case_number="DJ-2026-000002")
    assert "did not answer" in AuditEvent.objects.get(action="owner_lookup").detail["failed"]


@pytest.mark.django_db
def test_a_gateway_refusal_is_not_retried(users, settings):
    with Gateway(status=401, body=b"{}") as gateway:
        use_gateway(settings, gateway)
        with pytest.raises(VehiclesError, match="HTTP 401"):
            lookup.look_up("7ABC123", "CA", user=users["Reviewer"], purpose=PURPOSE, case_number="DJ-2026-000002")
    assert len(gateway.requests) == 1


@pytest.mark.django_db
def test_a_gateway_record_missing_an_address_is_refused(users, settings):
    with Gateway({("7ABC123", "CA"): [gateway_record(RO_ADDR1="")]}) as gateway:
        use_gateway(settings, gateway)
        with pytest.raises(VehiclesError, match="address_line1"):
            lookup.look_up("7ABC123", "CA", user=users["Reviewer"], purpose=PURPOSE, case_number="DJ-2026-000002")


@pytest.mark.django_db
def test_the_result_is_kept_on_the_case(users):
    reg = factories.registration("7ABC123")
    case = Case.for_vehicle("7ABC123", "CA")
    result, changed = lookup.look_up_for_case(case, users["Reviewer"], PURPOSE)
    case.refresh_from_db()
    assert case.registration == reg and case.owner_lookup == result.lookup and not changed
    assert result.lookup.case_number == case.number


@pytest.mark.django_db
def test_ensure_fresh_does_nothing_while_the_lookup_is_recent(users):
    factories.registration("7ABC123")
    case = Case.for_vehicle("7ABC123", "CA")
    lookup.look_up_for_case(case, users["Reviewer"], PURPOSE)
    freshness = lookup.ensure_fresh(case, users["Supervisor"])
    assert not freshness.looked_up and freshness.may_print
    assert OwnerLookup.objects.count() == 1


@pytest.mark.django_db
def test_ensure_fresh_looks_again_when_old_and_voids_the_check_if_the_car_was_sold(users, settings, tmp_path):
    settings.DEARJOHN = {**settings.DEARJOHN, "LOOKUP_MAX_AGE_DAYS": 30}
    reg = factories.registration("7ABC123")
    case = Case.for_vehicle("7ABC123", "CA")
    lookup.look_up_for_case(case, users["Reviewer"], PURPOSE)
    case.vehicle_check = Case.VehicleCheck.MATCH
    case.save()
    Registration.objects.filter(pk=reg.pk).update(owner_name="Harper Juniper", address_line1="77 Ashgrove Ter")
    later = timezone.now() + timedelta(days=31)
    freshness = lookup.ensure_fresh(case, users["Supervisor"], now=later)
    assert freshness.looked_up and freshness.changed and not freshness.may_print
    case.refresh_from_db()
    assert case.vehicle_check == Case.VehicleCheck.UNCHECKED
    newest = OwnerLookup.objects.first()
    assert newest.purpose == OwnerLookup.Purpose.PRE_PRINT_RECHECK and newest.user == users["Supervisor"]
    assert AuditEvent.objects.filter(action="owner_lookup").count() == 2


@pytest.mark.django_db
def test_a_gateway_slower_than_the_timeout_is_given_up_on(users, settings):
    with Gateway({("7ABC123", "CA"): [gateway_record()]}, delay=1.0) as gateway:
        use_gateway(settings, gateway, TIMEOUT_SECONDS=0.2, RETRIES=1)
        with pytest.raises(VehiclesError, match="did not answer after 2 tries"):
            lookup.look_up("7ABC123", "CA", user=users["Reviewer"], purpose=PURPOSE, case_number="DJ-2026-000002")
    assert len(gateway.requests) == 2
