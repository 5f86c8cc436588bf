import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dearjohn.oversight import access_log
from dearjohn.oversight.access_log import Filters
from dearjohn.oversight.audit import record
from dearjohn.oversight.models import AuditEvent
from tests import factories
from tests.conftest import make_user


def local(*args):
    return timezone.make_aware(datetime(*args))


def flags_of(lookup, **filters):
    rows = [r for r in access_log.rows(Filters(**filters)) if r.kind == "lookup" and r.key[2] == lookup.pk]
    return rows[0].flags


def test_a_lookup_without_a_case_is_flagged(users):
    without = factories.owner_lookup(users["Reviewer"], looked_up_at=local(2026, 11, 3, 10))
    with_case = factories.owner_lookup(users["Reviewer"], case_number="DJ-2026-000001", looked_up_at=local(2026, 11, 3, 10, 5))
    assert flags_of(without) == ["no_case"]
    assert flags_of(with_case) == []


def test_lookups_outside_the_users_usual_hours_are_flagged(users):
    reviewer = users["Reviewer"]
    for day in range(1, 26):
        factories.owner_lookup(reviewer, case_number="C-1", looked_up_at=local(2026, 10, day, 21, 15))
    late = factories.owner_lookup(reviewer, case_number="C-1", looked_up_at=local(2026, 10, 26, 14, 0))
    usual = factories.owner_lookup(reviewer, case_number="C-1", looked_up_at=local(2026, 10, 27, 21, 40))
    until = local(2026, 11, 1)
    assert flags_of(late, until=until) == ["off_hours"]
    assert flags_of(usual, until=until) == []


def test_without_history_the_working_hours_apply(users, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "ACCESS_LOG": {**settings.DEARJOHN["ACCESS_LOG"], "WORKING_HOURS": (8, 18)}}
    night = factories.owner_lookup(users["Reviewer"], case_number="C-1", looked_up_at=local(2026, 11, 3, 2, 30))
    day = factories.owner_lookup(users["Reviewer"], case_number="C-1", looked_up_at=local(2026, 11, 3, 9, 30))
    assert flags_of(night) == ["off_hours"] and flags_of(day) == []


def test_more_than_n_lookups_in_m_minutes_are_flagged_as_bulk(users, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "ACCESS_LOG": {**settings.DEARJOHN["ACCESS_LOG"], "BULK_LOOKUPS": 5, "BULK_MINUTES": 10}}
    start = local(2026, 11, 3, 10)
    burst = [factories.owner_lookup(users["Reviewer"], plate=f"7BLK{n:03d}", case_number="C-1", looked_up_at=start + timedelta(minutes=n))
             for n in range(6)]
    spaced = [factories.owner_lookup(users["Supervisor"], case_number="C-2", looked_up_at=start + timedelta(minutes=3 * n))
              for n in range(6)]
    assert all("bulk" in flags_of(lookup) for lookup in burst)
    assert not any("bulk" in flags_of(lookup) for lookup in spaced)


def test_it_merges_lookups_and_record_views_newest_first(users):
    factories.owner_lookup(users["Reviewer"], plate="7ABC123", case_number="C-1", looked_up_at=timezone.now() - timedelta(hours=2))
    record("case.view", user=users["Supervisor"], purpose="approval", plate="7ABC123")
    record("auth.sign_in", user=users["Supervisor"])
    rows = list(access_log.rows(Filters()))
    assert [(r.kind, r.user) for r in rows] == [("view", "supervisor"), ("lookup", "reviewer")]


def test_record_views_of_every_app_appear_with_plate_and_case(users):
    case = factories.case(number="DJ-2026-000042", plate="7VUE100")
    record("case.owner_viewed", user=users["Reviewer"], obj=case, purpose="case review", plate="7VUE100", state="CA")
    record("letter.viewed", user=users["Supervisor"], purpose="Reviewing a letter", case="DJ-2026-000042")
    record("case.note", user=users["Reviewer"], obj=case)
    rows = list(access_log.rows(Filters(kind="view")))
    assert [(r.user, r.case_number) for r in rows] == [("supervisor", "DJ-2026-000042"), ("reviewer", "DJ-2026-000042")]
    assert [r.user for r in access_log.rows(Filters(kind="view", plate="7VUE100"))] == ["reviewer"]


def test_filters_select_by_user_plate_purpose_and_dates(users):
    factories.owner_lookup(users["Reviewer"], plate="7ABC123", purpose="letter_case", case_number="C-1", looked_up_at=local(2026, 11, 3, 10))
    factories.owner_lookup(users["Reviewer"], plate="8XYZ789", purpose="response", case_number="C-2", looked_up_at=local(2026, 11, 5, 10))
    factories.owner_lookup(users["Supervisor"], plate="7ABC123", purpose="response", case_number="C-1", looked_up_at=local(2026, 11, 7, 10))

    def plates(**f):
        return sorted((r.user, r.plate) for r in access_log.rows(Filters(kind="lookup", **f)))

    assert plates(user="reviewer") == [("reviewer", "7ABC123"), ("reviewer", "8XYZ789")]
    assert plates(plate="7abc-123") == [("reviewer", "7ABC123"), ("supervisor", "7ABC123")]
    assert plates(purpose="response") == [("reviewer", "8XYZ789"), ("supervisor", "7ABC123")]
    assert plates(since=local(2026, 11, 4), until=local(2026, 11, 6)) == [("reviewer", "8XYZ789")]


def test_the_page_filters_and_shows_flags(client_for, users):
    factories.owner_lookup(users["Reviewer"], plate="7ABC123", looked_up_at=local(2026, 11, 3, 10))
    factories.owner_lookup(users["Supervisor"], plate="8XYZ789", case_number="C-9", looked_up_at=local(2026, 11, 3, 11))
    body = client_for("Auditor").get(reverse("oversight:access_log"), {"user": "reviewer", "since": "2026-11-01", "until": "2026-11-30"}).content.decode()
    assert "7ABC123" in body and "8XYZ789" not in body and "no case number" in body


def test_the_csv_streams_the_filtered_rows_and_is_logged(client_for, users):
    factories.owner_lookup(users["Reviewer"], plate="7ABC123", looked_up_at=local(2026, 11, 3, 10))
    factories.owner_lookup(users["Reviewer"], plate="8XYZ789", case_number="C-1", looked_up_at=local(2026, 11, 3, 11))
    response = client_for("Auditor").get(reverse("oversight:access_log_csv"), {"plate": "7ABC123"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == access_log.CSV_HEADER
    assert [(r[1], r[2], r[3], r[8]) for r in rows[1:]] == [("lookup", "reviewer", "7ABC123", "no_case")]
    assert AuditEvent.objects.filter(action="access_log.export", username="auditor").exists()


@pytest.mark.parametrize("view", ["oversight:access_log", "oversight:access_log_csv"])
def test_it_rejects_post(client_for, view):
    assert client_for("Auditor").post(reverse(view)).status_code == 405


@pytest.mark.django_db
def test_flag_counts_for_a_period():
    user = make_user("Reviewer")
    factories.owner_lookup(user, looked_up_at=local(2026, 3, 3, 10))
    factories.owner_lookup(user, case_number="C-1", looked_up_at=local(2026, 3, 3, 11))
    counts = access_log.flag_counts(local(2026, 1, 1), local(2027, 1, 1))
    assert counts == {"no_case": 1, "off_hours": 0, "bulk": 0}
