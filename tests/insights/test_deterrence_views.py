from datetime import datetime, timezone

import pytest
from django.urls import reverse

from dearjohn.oversight.models import AuditEvent
from tests import factories


def at(m, d):
    return datetime(2026, m, d, tzinfo=timezone.utc)


@pytest.fixture
def history(db):
    zone = factories.zone("Tamsin block")
    factories.reviewed_sighting("7DET001", at(1, 1), zone)
    factories.mailed_letter("7DET001", at(1, 10))
    factories.reviewed_sighting("7DET001", at(1, 20), zone)  # returns at day 10
    factories.reviewed_sighting("7DET002", at(2, 1), zone)
    factories.reviewed_sighting("7DET002", at(3, 3), zone)  # not lettered, returns at day 30
    return zone


def test_page_states_association_not_proof_and_the_figures(client_for, history):
    response = client_for("Supervisor").get(reverse("insights:deterrence"))
    body = response.content.decode()
    assert "association, not proof" in body
    assert "Tamsin block" in body and "First notice" in body
    report = response.context["report"]
    assert report.overall.lettered.estimate(30).share == 1.0
    assert report.overall.comparison.estimate(7).share == 0.0


def test_csv_export_is_recorded_in_the_audit_log(client_for, history):
    response = client_for("Auditor").get(reverse("insights:deterrence_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "all,lettered,1,1,30,1.0000" in response.content.decode()
    assert AuditEvent.objects.filter(action="insights.deterrence_export", username="auditor").exists()


def test_chart_exports_as_svg_and_png(client_for, history):
    client = client_for("Supervisor")
    svg = client.get(reverse("insights:deterrence_chart", kwargs={"fmt": "svg"}), {"slice": f"zone-{history.pk}"})
    assert svg["Content-Type"] == "image/svg+xml" and "Tamsin block" in svg.content.decode()
    png = client.get(reverse("insights:deterrence_chart", kwargs={"fmt": "png"}), {"slice": "kind-first", "download": "1"})
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'filename="deterrence-kind-first.png"' in png["Content-Disposition"]


def test_unknown_slice_is_not_found(client_for, history):
    response = client_for("Supervisor").get(reverse("insights:deterrence_chart", kwargs={"fmt": "svg"}), {"slice": "zone-999"})
    assert response.status_code == 404
