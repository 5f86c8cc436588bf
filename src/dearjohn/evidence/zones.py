"""Where and when the program may act: zone shapes, zone hours, GeoJSON in and out.

Decisions (also in the README):
- A point exactly on a zone's boundary counts as inside (shapely `covers`):
  zone lines are drawn along streets, and a camera on the line watches them.
- Hours are wall-clock times in settings.TIME_ZONE, per weekday. A span
  includes its start minute and excludes its end ("20:00"-"04:00" covers
  20:00:00 up to 03:59:59); "24:00" means the end of the day. A span whose
  end is not after its start runs past midnight and belongs to the weekday
  it starts on. On DST days the clock on the wall decides: a 20:00-04:00
  span is 7 real hours the night clocks spring forward and 9 the night they
  fall back, and 01:30 counts both times it happens.
"""

import json
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from shapely.geometry import Point, mapping, shape
from shapely.validation import explain_validity

from .errors import EvidenceError
from .models import Zone

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _minutes(text, *, allow_24=False):
    try:
        hours, minutes = text.split(":")
        value = int(hours) * 60 + int(minutes)
        ok = 0 <= int(minutes) < 60 and (0 <= value < 1440 or (allow_24 and value == 1440))
    except (AttributeError, ValueError):
        ok = False
    if not ok:
        raise EvidenceError(f"{text!r} is not a time of day; write hours as HH:MM, e.g. 20:00 (24:00 for midnight at the end).")
    return value


def clean_hours(hours):
    """Check active hours ({"mon": [["20:00", "04:00"]], ...}); returns them with days in order."""
    if not isinstance(hours, dict):
        raise EvidenceError("Active hours must map weekdays (mon … sun) to lists of [start, end] times.")
    unknown = set(hours) - set(WEEKDAYS)
    if unknown:
        raise EvidenceError(f"Unknown weekday {sorted(unknown)[0]!r}; use mon, tue, wed, thu, fri, sat, sun.")
    cleaned = {}
    for day in WEEKDAYS:
        spans = hours.get(day) or []
        if not isinstance(spans, list):
            raise EvidenceError(f"Hours for {day} must be a list of [start, end] pairs.")
        for span in spans:
            if not (isinstance(span, (list, tuple)) and len(span) == 2):
                raise EvidenceError(f"Each span for {day} must be [start, end], e.g. [\"20:00\", \"04:00\"].")
            start, end = _minutes(span[0]), _minutes(span[1], allow_24=True)
            if start == end:
                raise EvidenceError(f"A span on {day} starts and ends at {span[0]}; use 00:00-24:00 for the whole day.")
        if spans:
            cleaned[day] = [[str(a), str(b)] for a, b in spans]
    return cleaned


def clean_boundary(geometry):
    """Check a GeoJSON Polygon/MultiPolygon (longitude, latitude); returns it as plain GeoJSON."""
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except ValueError:
            raise EvidenceError("The boundary is not valid JSON.") from None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise EvidenceError("A zone boundary must be a GeoJSON Polygon or MultiPolygon.")
    try:
        geom = shape(geometry)
    except Exception:  # shapely raises several types for malformed coordinates
        raise EvidenceError("The boundary's coordinates are not a polygon: each ring needs at least 4 [longitude, latitude] points, the last equal to the first.") from None
    if geom.is_empty or not geom.is_valid:
        raise EvidenceError(f"The boundary is not a valid polygon ({explain_validity(geom)}); its edges must not cross.")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise EvidenceError("The boundary lies outside longitude -180…180 / latitude -90…90; GeoJSON puts longitude first.")
    return json.loads(json.dumps(mapping(geom)))


@lru_cache(maxsize=256)
def _geometry(zone_pk, updated_at, boundary_json):
    return shape(json.loads(boundary_json))


def geometry(zone):
    return _geometry(zone.pk, zone.updated_at, json.dumps(zone.boundary, sort_keys=True))


def contains(zone, latitude, longitude):
    """True when the point is inside the zone or on its boundary."""
    return geometry(zone).covers(Point(longitude, latitude))


def is_active_at(zone, when):
    """True when `when` (an aware datetime) falls in one of the zone's hour spans."""
    local = when.astimezone(ZoneInfo(settings.TIME_ZONE))
    minute = local.hour * 60 + local.minute
    today = WEEKDAYS[local.weekday()]
    yesterday = WEEKDAYS[(local.weekday() - 1) % 7]
    for start, end in ((_minutes(a), _minutes(b, allow_24=True)) for a, b in zone.active_hours.get(today, [])):
        if start < end and start <= minute < end:
            return True
        if end <= start and minute >= start:  # overnight span, evening part
            return True
    for start, end in ((_minutes(a), _minutes(b, allow_24=True)) for a, b in zone.active_hours.get(yesterday, [])):
        if end <= start and minute < end:  # overnight span from yesterday, morning part
            return True
    return False


def zone_at(latitude, longitude, when, prefer=None):
    """The active zone the program may act in at this place and time, or None.

    Where zones overlap, `prefer` (a camera's own zone) wins, then the first by name.
    """
    if latitude is None or longitude is None or when is None:
        return None
    matches = [z for z in Zone.objects.filter(is_active=True) if contains(z, latitude, longitude) and is_active_at(z, when)]
    if prefer is not None and any(z.pk == prefer.pk for z in matches):
        return next(z for z in matches if z.pk == prefer.pk)
    return matches[0] if matches else None


def inside_point(zone):
    """A point surely inside the zone (for places entered by choosing a zone)."""
    point = geometry(zone).representative_point()
    return point.y, point.x


def to_feature(zone):
    return {
        "type": "Feature",
        "geometry": zone.boundary,
        "properties": {"name": zone.name, "description": zone.description,
                       "active_hours": zone.active_hours, "is_active": zone.is_active},
    }


def export_geojson(zones=None):
    zones = Zone.objects.all() if zones is None else zones
    return {"type": "FeatureCollection", "features": [to_feature(z) for z in zones]}


def import_geojson(data):
    """Create or update zones (by name) from a GeoJSON FeatureCollection; all or nothing.

    Returns (created, updated) counts. Each feature needs properties.name;
    active_hours defaults to none (a zone with no hours never counts).
    """
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except ValueError:
            raise EvidenceError("The file is not GeoJSON: it is not valid JSON.") from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise EvidenceError("The file must be a GeoJSON FeatureCollection of zone polygons.")
    rows = []
    for n, feature in enumerate(data["features"], 1):
        if not isinstance(feature, dict):
            raise EvidenceError(f"Feature {n} is not a GeoJSON Feature object.")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise EvidenceError(f"Feature {n}: properties must be an object with a name.")
        name = str(props.get("name") or "").strip()
        if not name:
            raise EvidenceError(f"Feature {n} has no properties.name; every zone needs a name.")
        try:
            boundary = clean_boundary(feature.get("geometry"))
            hours = clean_hours(props.get("active_hours") or {})
        except EvidenceError as e:
            raise EvidenceError(f"Zone {name!r}: {e}") from None
        rows.append((name[:100], str(props.get("description") or ""), boundary, hours, props.get("is_active", True) is not False))
    created = updated = 0
    with transaction.atomic():
        for name, description, boundary, hours, active in rows:
            _, was_created = Zone.objects.update_or_create(
                name=name, defaults={"description": description, "boundary": boundary, "active_hours": hours, "is_active": active})
            created += was_created
            updated += not was_created
    return created, updated


def hours_text(zone):
    """Hours for people: 'mon 20:00–04:00; fri 19:00–05:00'."""
    parts = []
    for day in WEEKDAYS:
        spans = zone.active_hours.get(day) or []
        if spans:
            parts.append(f"{day} " + ", ".join(f"{a}–{b}" for a, b in spans))
    return "; ".join(parts) or "no hours set (never active)"
