"""The zone rule at its edges: boundary points, start/end of hours, past midnight, DST."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from dearjohn.evidence import zones
from dearjohn.evidence.errors import EvidenceError
from dearjohn.evidence.models import Zone
from tests import factories

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


def at(*args):
    return datetime(*args, tzinfo=LA)


@pytest.fixture
def corridor():
    # Friday 20:00 until Saturday 04:00, and Sunday 01:00-03:00 (for the DST nights).
    return factories.zone("Corridor", active_hours={"fri": [["20:00", "04:00"]], "sat": [["01:00", "03:00"]],
                                                    "sun": [["01:00", "03:00"]]})


@pytest.mark.parametrize("lat,lon,inside", [
    (37.755, -122.415, True),    # well inside
    (37.75, -122.415, True),     # on the south edge
    (37.76, -122.42, True),      # on a corner
    (37.7499999, -122.415, False),  # just outside
    (37.755, -122.4000, False),
])
def test_a_point_on_the_boundary_counts_as_inside(corridor, lat, lon, inside):
    assert zones.contains(corridor, lat, lon) is inside


@pytest.mark.parametrize("when,active", [
    (at(2026, 11, 20, 19, 59, 59), False),  # Friday just before the start
    (at(2026, 11, 20, 20, 0), True),        # the start minute is in
    (at(2026, 11, 20, 23, 59), True),
    (at(2026, 11, 21, 0, 0), True),         # past midnight, into Saturday
    (at(2026, 11, 21, 3, 59, 59), True),
    (at(2026, 11, 21, 4, 0), False),        # the end minute is out
    (at(2026, 11, 19, 22, 0), False),       # Thursday night: no hours
    (at(2026, 11, 20, 2, 0), False),        # Friday early morning belongs to Thursday's (absent) span
])
def test_hours_include_the_start_exclude_the_end_and_run_past_midnight(corridor, when, active):
    assert zones.is_active_at(corridor, when) is active


def test_hours_are_read_in_the_department_time_zone(corridor):
    # 04:30 UTC on Saturday is 20:30 Friday in Los Angeles.
    assert zones.is_active_at(corridor, datetime(2026, 11, 21, 4, 30, tzinfo=ZoneInfo("UTC")))


def test_spring_forward_night_keeps_wall_clock_hours(corridor):
    # 2026-03-08 (a Sunday): 02:00 PST jumps to 03:00 PDT. 01:59 PST is in, 03:00 PDT is out (end minute).
    assert zones.is_active_at(corridor, datetime(2026, 3, 8, 9, 59, tzinfo=ZoneInfo("UTC")))  # 01:59 PST
    assert not zones.is_active_at(corridor, datetime(2026, 3, 8, 10, 0, tzinfo=ZoneInfo("UTC")))  # 03:00 PDT


def test_fall_back_night_counts_the_repeated_hour_both_times(corridor):
    # 2026-11-01 (a Sunday): 01:30 happens at 08:30 UTC (PDT) and again at 09:30 UTC (PST).
    first = datetime(2026, 11, 1, 8, 30, tzinfo=ZoneInfo("UTC"))
    second = datetime(2026, 11, 1, 9, 30, tzinfo=ZoneInfo("UTC"))
    assert first.astimezone(LA).hour == second.astimezone(LA).hour == 1
    assert zones.is_active_at(corridor, first) and zones.is_active_at(corridor, second)
    assert not zones.is_active_at(corridor, datetime(2026, 11, 1, 11, 0, tzinfo=ZoneInfo("UTC")))  # 03:00 PST


def test_zone_at_needs_both_place_and_time(corridor):
    assert zones.zone_at(37.755, -122.415, at(2026, 11, 20, 22, 0)) == corridor
    assert zones.zone_at(37.755, -122.415, at(2026, 11, 20, 12, 0)) is None
    assert zones.zone_at(37.9, -122.415, at(2026, 11, 20, 22, 0)) is None
    assert zones.zone_at(None, None, at(2026, 11, 20, 22, 0)) is None


def test_a_switched_off_zone_never_counts(corridor):
    Zone.objects.filter(pk=corridor.pk).update(is_active=False)
    assert zones.zone_at(37.755, -122.415, at(2026, 11, 20, 22, 0)) is None


def test_overlapping_zones_prefer_the_cameras_own(corridor):
    other = factories.zone("A overlapping zone")
    when = at(2026, 11, 20, 22, 0)
    assert zones.zone_at(37.755, -122.415, when) == other  # first by name
    assert zones.zone_at(37.755, -122.415, when, prefer=corridor) == corridor


@pytest.mark.parametrize("hours,message", [
    ({"friday": [["20:00", "04:00"]]}, "Unknown weekday"),
    ({"fri": [["25:00", "04:00"]]}, "not a time of day"),
    ({"fri": [["20:00", "20:00"]]}, "starts and ends"),
    ({"fri": [["20:00"]]}, r"must be \[start, end\]"),
])
def test_bad_hours_are_refused_with_a_reason(hours, message):
    with pytest.raises(EvidenceError, match=message):
        zones.clean_hours(hours)


@pytest.mark.parametrize("geometry,message", [
    ({"type": "Point", "coordinates": [0, 0]}, "Polygon or MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "edges must not cross"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}, "not a polygon"),
    ({"type": "Polygon", "coordinates": [[[37.7, -122.4], [37.8, -122.4], [37.8, -200], [37.7, -122.4]]]}, "longitude first"),
])
def test_bad_boundaries_are_refused_with_a_reason(geometry, message):
    with pytest.raises(EvidenceError, match=message):
        zones.clean_boundary(geometry)


def test_geojson_round_trips_through_export_and_import(corridor, tmp_path):
    exported = zones.export_geojson()
    Zone.objects.all().delete()
    assert zones.import_geojson(json.dumps(exported)) == (1, 0)
    zone = Zone.objects.get()
    assert (zone.name, zone.boundary, zone.active_hours) == ("Corridor", corridor.boundary, corridor.active_hours)
    assert zones.import_geojson(json.dumps(exported)) == (0, 1)


def test_a_bad_feature_imports_nothing():
    good = zones.to_feature(Zone(name="Good", boundary=factories.SQUARE, active_hours={}))
    bad = {"type": "Feature", "geometry": factories.SQUARE, "properties": {}}
    with pytest.raises(EvidenceError, match="Feature 2 has no properties.name"):
        zones.import_geojson({"type": "FeatureCollection", "features": [good, bad]})
    assert not Zone.objects.exists()


def test_the_zones_command_imports_and_exports(tmp_path, capsys):
    source = tmp_path / "in.geojson"
    feature = zones.to_feature(Zone(name="Capp", boundary=factories.SQUARE, active_hours={"fri": [["19:00", "05:00"]]}))
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    call_command("zones", "import", str(source))
    assert "1 new, 0 updated" in capsys.readouterr().out
    target = tmp_path / "out.geojson"
    call_command("zones", "export", str(target))
    assert json.loads(target.read_text())["features"][0]["properties"]["active_hours"] == {"fri": [["19:00", "05:00"]]}
