"""The annual report's numbers, checked against counts the test makes itself."""

import csv
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dearjohn.evidence.models import Camera, SourceKind
from dearjohn.letters.models import Response
from dearjohn.oversight.annual import annual_report
from dearjohn.oversight.models import Agency, Disclosure
from dearjohn.oversight.retention import purge
from tests import factories
from tests.conftest import make_user


def local(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def year_of_records(db):
    """A program's 2026 with some 2025 and 2027 records around it; returns what the test expects for 2026."""
    reviewer = make_user("Reviewer", "annual-reviewer")
    expected = {"sightings": 0, "reviews": 0, "lookups": 0, "letters": 0, "responses": 0, "withdrawals": 0}
    plan = [(local(2025, 12, 31, 23, 30), False), (local(2026, 1, 1, 0, 30), True), (local(2026, 6, 15, 21), True),
            (local(2026, 12, 31, 23, 59), True), (local(2027, 1, 1, 0, 1), False)]
    for n, (when, counted) in enumerate(plan):
        s = factories.sighting(f"7ANN{n:03d}", seen_at=when)
        if n % 2 == 0:
            s.review_status, s.reviewed_at = "confirmed", when
            s.save()
            expected["reviews"] += counted
        expected["sightings"] += counted
        factories.owner_lookup(reviewer, plate=f"7ANN{n:03d}", case_number="" if n == 2 else "C-1", looked_up_at=when)
        expected["lookups"] += counted
        case = factories.case(sightings=[s], plate=f"7ANN{n:03d}", status="lettered")
        letter = factories.letter_for(case, mailed_at=when)
        expected["letters"] += counted
        if n in (1, 2):
            r = factories.response(letter, decision=Response.Decision.WITHDRAWN if n == 1 else Response.Decision.UPHELD,
                                   decided_at=when + timedelta(minutes=5))
            Response.objects.filter(pk=r.pk).update(received_at=when + timedelta(minutes=1))
            expected["responses"] += counted
            expected["withdrawals"] += counted and n == 1
    agency = Agency.objects.create(name="San Mateo County Sheriff", jurisdiction="County of San Mateo", level="county")
    Disclosure.objects.create(agency=agency, case_number="C-1", legal_standard="warrant", legal_reference="W-1",
                              purpose="investigation", contents={"sightings": 2, "images": 1}, sha256="0" * 64)
    Camera.objects.create(name="Capp & 19th", street="Capp St at 19th St", latitude=37.76, longitude=-122.4185)
    return expected


def test_counts_match_the_records_of_the_year(year_of_records):
    report = annual_report(2026)
    for measure, n in year_of_records.items():
        assert report.counts[measure].total == n, measure
    assert report.error_rate == pytest.approx(1 / 3)
    assert report.audit_findings["no case number"] == 1
    assert [(r["agency"], r["exports"], r["sightings"]) for r in report.sharing] == [("San Mateo County Sheriff", 1, 2)]
    assert [c.name for c in report.cameras] == ["Capp & 19th"]


def test_records_destroyed_on_schedule_still_count(year_of_records):
    before = {m: c.total for m, c in annual_report(2026).counts.items()}
    purge(now=timezone.now() + timedelta(days=4000))
    report = annual_report(2026)
    assert {m: c.total for m, c in report.counts.items()} == before
    assert report.counts["sightings"].held == 0 and report.counts["sightings"].destroyed == year_of_records["sightings"]


def test_the_command_writes_a_pdf_and_csvs_with_the_same_numbers(year_of_records, tmp_path, capsys):
    call_command("report", "annual", "--year", "2026", "--out", str(tmp_path))
    pdf = tmp_path / "surveillance-report-2026.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    with open(tmp_path / "surveillance-report-2026-counts.csv") as f:
        rows = {row["measure"]: row for row in csv.DictReader(f)}
    for measure, n in year_of_records.items():
        assert int(rows[measure]["total"]) == n
    assert rows["error_rate"]["total"] == "33.3%"
    assert (tmp_path / "surveillance-report-2026-cameras.csv").read_text().count("Capp & 19th") == 1


def test_the_auditor_page_shows_the_same_numbers(year_of_records, client_for):
    body = client_for("Auditor").get(reverse("oversight:annual_report"), {"year": 2026}).content.decode()
    assert f'<tr data-measure="lookups"><td>Registered-owner lookups</td><td>{year_of_records["lookups"]}</td>' in body
    assert "33.3%" in body


def test_a_bad_year_falls_back_with_a_message(client_for):
    response = client_for("Auditor").get(reverse("oversight:annual_report"), {"year": "last"})
    assert response.status_code == 200 and b"not a report year" in response.content


def test_the_page_rejects_post(client_for):
    assert client_for("Auditor").post(reverse("oversight:annual_report")).status_code == 405
