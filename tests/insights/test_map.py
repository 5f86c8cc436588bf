import math
from datetime import datetime, timezone

import pytest
from django.urls import reverse

from dearjohn.insights import measure, zonemap
from tests import factories

SEEN = datetime(2026, 11, 20, 6, 15, tzinfo=timezone.utc)


def block_centre(lat, lon, reference_latitude=37.755):
    """The centre of the grid block holding (lat, lon): blocks are counted from -180 degrees."""
    lat_step = 100 / 111_320
    lon_step = 100 / (111_320 * math.cos(math.radians(reference_latitude)))
    return ((math.floor((lat + 180) / lat_step) + 0.5) * lat_step - 180,
            (math.floor((lon + 180) / lon_step) + 0.5) * lon_step - 180)


@pytest.fixture
def located(db):
    zone = factories.zone("Larkspur corridor")
    # Three sightings in one ~100 m block, one in another block about 300 m north.
    lat, lon = block_centre(37.7552, -122.4151)
    for lat, lon in [(lat, lon), (lat + 0.0002, lon - 0.0002), (lat - 0.0002, lon + 0.0003), (lat + 0.0027, lon)]:
        s = factories.reviewed_sighting("7MAP001", SEEN, zone)
        s.latitude, s.longitude = lat, lon
        s.save()
    return zone


def test_blocks_are_counted_by_the_database(located):
    cells = zonemap.block_counts(measure.Window.recent(), reference_latitude=37.755)
    assert sorted(c.count for c in cells) == [1, 3]
    busy = max(cells, key=lambda c: c.count)
    assert busy.south < 37.7552 < busy.north and busy.west < -122.4151 < busy.east
    assert busy.north - busy.south == pytest.approx(100 / 111_320)


def test_map_page_shows_zones_and_counts_without_plates(client_for, located):
    response = client_for("Supervisor").get(reverse("insights:map"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Larkspur corridor" in body and ">3</text>" in body and "4 located sightings" in body
    assert "7MAP001" not in body
    assert "<image" not in body  # no tile source configured: a plain background, no internet needed


def test_a_configured_tile_source_draws_tiles_under_the_zones(client_for, located, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "INSIGHTS": {**settings.DEARJOHN["INSIGHTS"],
                                                            "MAP_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
                                                            "MAP_TILE_ATTRIBUTION": "Example tiles"}}
    svg = client_for("Auditor").get(reverse("insights:map_svg")).content.decode()
    assert 'href="https://tiles.example.org/' in svg and "Example tiles" in svg


def test_map_without_zones_says_so(client_for, db):
    response = client_for("Auditor").get(reverse("insights:map"))
    assert "No zones or located sightings yet." in response.content.decode()
