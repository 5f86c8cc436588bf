"""Zone pages: list, draw/edit (the form behind the map editor), GeoJSON import and export."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dearjohn.evidence import zones
from dearjohn.evidence.models import Zone
from dearjohn.oversight.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"name": "Capp", "description": "", "boundary": json.dumps(factories.SQUARE), "is_active": "on",
            "hours_fri": "19:00-05:00", "hours_sat": "19:00-05:00, 12:00-13:00"}
    data.update(overrides)
    return data


def test_a_supervisor_draws_a_zone_with_hours(client_for):
    response = client_for("Supervisor").post(reverse("evidence:zone_create"), form_data())
    assert response.status_code == 302
    zone = Zone.objects.get()
    assert zone.active_hours == {"fri": [["19:00", "05:00"]], "sat": [["19:00", "05:00"], ["12:00", "13:00"]]}
    assert zone.boundary["type"] == "Polygon" and AuditEvent.objects.filter(action="zone.created").exists()


def test_the_form_refuses_bad_shapes_and_hours_beside_the_fields(client_for):
    client = client_for("Supervisor")
    response = client.post(reverse("evidence:zone_create"), form_data(boundary='{"type": "Point", "coordinates": [0, 0]}'))
    assert response.status_code == 400 and "Polygon" in response.context["form"].errors["boundary"][0]
    response = client.post(reverse("evidence:zone_create"), form_data(hours_fri="7pm to 5am"))
    assert response.status_code == 400 and "start-end" in response.context["form"].errors["hours_fri"][0]
    assert not Zone.objects.exists()


def test_editing_shows_the_map_editor_with_the_other_zones(client_for):
    other = factories.zone("Other zone")
    zone = factories.zone("Edited zone", active_hours={"fri": [["20:00", "04:00"]]})
    page = client_for("Supervisor").get(reverse("evidence:zone_edit", args=[zone.pk])).content.decode()
    assert 'data-edit="id_boundary"' in page and "zonemap.js" in page and "20:00-04:00" in page
    map_data = page.split('id="map-data" type="application/json">')[1].split("</script>")[0]
    assert [z["name"] for z in json.loads(map_data)["zones"]] == [other.name]


def test_import_and_export_on_the_zone_page(client_for):
    client = client_for("Supervisor")
    feature = zones.to_feature(Zone(name="Imported", boundary=factories.SQUARE, active_hours={"fri": [["19:00", "05:00"]]}))
    upload = SimpleUploadedFile("zones.geojson", json.dumps({"type": "FeatureCollection", "features": [feature]}).encode())
    response = client.post(reverse("evidence:zone_import"), {"file": upload}, follow=True)
    assert b"1 new, 0 updated" in response.content
    exported = client.get(reverse("evidence:zone_export"))
    assert exported["Content-Type"] == "application/geo+json"
    assert json.loads(exported.content)["features"][0]["properties"]["name"] == "Imported"


def test_a_bad_import_says_why_and_changes_nothing(client_for):
    upload = SimpleUploadedFile("zones.geojson", b'{"type": "FeatureCollection", "features": [{"geometry": null, "properties": {"name": "X"}}]}')
    response = client_for("Supervisor").post(reverse("evidence:zone_import"), {"file": upload}, follow=True)
    assert b"Nothing imported: Zone &#x27;X&#x27;: A zone boundary must be" in response.content
    assert not Zone.objects.exists()


def test_an_auditor_sees_zones_but_cannot_change_them(client_for):
    zone = factories.zone()
    client = client_for("Auditor")
    assert zone.name in client.get(reverse("evidence:zone_list")).content.decode()
    assert client.post(reverse("evidence:zone_edit", args=[zone.pk]), form_data()).status_code == 403
