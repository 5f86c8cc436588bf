"""The zone map: zone outlines and sightings counted per block, as one SVG the server draws.

The map shows how many sightings fell in each block of about
`MAP_GRID_METRES` (counted by the database from the sightings' coordinates),
never a plate or a single vehicle's track. It is drawn in Web Mercator, the
projection of street-map tiles, so with `MAP_TILE_URL` set the tiles line up
underneath; without one (the default) the background is plain and the map
needs no internet at all.
"""

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db.models import Count, FloatField, Func, IntegerField, Value

from dearjohn.evidence.models import Zone

from .measure import sightings_in

METRES_PER_DEGREE = 111_320
TILE = 256
MAX_ZOOM = 19
DASHES = ["", "6 3", "2 3", "8 3 2 3", "12 4"]


def config():
    return settings.DEARJOHN["INSIGHTS"]


class CellIndex(Func):
    """floor(value / step) on every database: FLOOR where it is native, a cast of a positive number on SQLite.

    Coordinates (latitude or longitude) are shifted by +180 first, so the value is never negative and
    SQLite's truncating cast equals floor.
    """

    output_field = IntegerField()

    def __init__(self, expression, step):
        super().__init__(expression, Value(step, output_field=FloatField()))

    def as_sql(self, compiler, connection, **extra):
        value, params = compiler.compile(self.source_expressions[0])
        step, step_params = compiler.compile(self.source_expressions[1])
        return f"FLOOR(({value} + 180.0) / {step})", [*params, *step_params]

    def as_sqlite(self, compiler, connection, **extra):
        value, params = compiler.compile(self.source_expressions[0])
        step, step_params = compiler.compile(self.source_expressions[1])
        return f"CAST((({value} + 180.0) / {step}) AS INTEGER)", [*params, *step_params]


def _rings(geometry):
    """The outer rings of a GeoJSON Polygon or MultiPolygon, as lists of (lon, lat)."""
    if not geometry:
        return []
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"][0]]
    if kind == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    if kind == "Feature":
        return _rings(geometry.get("geometry"))
    return []


@dataclass(frozen=True)
class Cell:
    west: float
    south: float
    east: float
    north: float
    count: int


def block_counts(window, reference_latitude):
    """Sightings per grid block in the window, counted in the database."""
    metres = config()["MAP_GRID_METRES"]
    lat_step = metres / METRES_PER_DEGREE
    lon_step = metres / (METRES_PER_DEGREE * max(0.1, math.cos(math.radians(reference_latitude))))
    rows = (sightings_in(window).filter(latitude__isnull=False, longitude__isnull=False)
            .annotate(ix=CellIndex("longitude", lon_step), iy=CellIndex("latitude", lat_step))
            .values("ix", "iy").annotate(n=Count("id")).order_by())
    cells = []
    for row in rows:
        west = row["ix"] * lon_step - 180.0
        south = row["iy"] * lat_step - 180.0
        cells.append(Cell(west, south, west + lon_step, south + lat_step, row["n"]))
    return cells


def _mercator(lon, lat, zoom):
    scale = TILE * 2 ** zoom
    x = (lon + 180.0) / 360.0 * scale
    siny = math.sin(math.radians(max(-85.0, min(85.0, lat))))
    y = (0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)) * scale
    return x, y


@dataclass(frozen=True)
class ZoneMap:
    svg: str
    zones: list
    cells: list
    total: int


def draw(window, width=900, height=620):
    """The map as SVG markup (zone outlines, block counts, a legend, tiles if configured)."""
    zones = [(zone, _rings(zone.boundary)) for zone in Zone.objects.order_by("name")]
    points = [pt for _, rings in zones for ring in rings for pt in ring]
    reference_latitude = sum(lat for _, lat in points) / len(points) if points else 0.0
    cells = block_counts(window, reference_latitude)
    lons = [p[0] for p in points] + [c.west for c in cells] + [c.east for c in cells]
    lats = [p[1] for p in points] + [c.south for c in cells] + [c.north for c in cells]
    total = sum(c.count for c in cells)
    if not lons:
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 120" role="img" aria-label="No zones yet">'
               f'<text x="20" y="60" font-family="sans-serif" font-size="16">No zones or located sightings yet.</text></svg>')
        return ZoneMap(svg, [], [], 0)
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    tile_url = config()["MAP_TILE_URL"]
    # The zoom that fits the zones in 85 % of the frame; whole when tiles must line up.
    x0, y0 = _mercator(west, north, 0)
    x1, y1 = _mercator(east, south, 0)
    fit = min(width * 0.85 / max(x1 - x0, 1e-12), height * 0.85 / max(y1 - y0, 1e-12))
    zoom = min(MAX_ZOOM, math.log2(fit))
    if tile_url:
        zoom = max(1, math.floor(zoom))
    x0, y0 = _mercator(west, north, zoom)
    x1, y1 = _mercator(east, south, zoom)
    left = (x0 + x1) / 2 - width / 2
    top = (y0 + y1) / 2 - height / 2

    def xy(lon, lat):
        x, y = _mercator(lon, lat, zoom)
        return x - left, y - top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-labelledby="map-title" font-family="DejaVu Sans, sans-serif">',
             f'<title id="map-title">Enforcement zones and sightings per block ({total} sightings)</title>',
             '<defs><pattern id="zone-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
             '<line x1="0" y1="0" x2="0" y2="8" stroke="#000" stroke-width="0.6" stroke-opacity="0.35"/></pattern></defs>',
             f'<rect width="{width}" height="{height}" fill="#fbfbf8"/>']
    if tile_url:
        count = 2 ** zoom
        for tx in range(int(left // TILE), int((left + width) // TILE) + 1):
            for ty in range(int(top // TILE), int((top + height) // TILE) + 1):
                if 0 <= ty < count:
                    href = tile_url.format(z=zoom, x=tx % count, y=ty)
                    parts.append(f'<image href={quoteattr(href)} x="{tx * TILE - left:.1f}" y="{ty * TILE - top:.1f}" '
                                 f'width="{TILE}" height="{TILE}" opacity="0.75"/>')
    for i, (zone, rings) in enumerate(zones):
        for ring in rings:
            d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat, *_ in ring)) + " Z"
            dash = f' stroke-dasharray="{DASHES[i % len(DASHES)]}"' if DASHES[i % len(DASHES)] else ""
            parts.append(f'<path d="{d}" fill="url(#zone-hatch)" stroke="#111" stroke-width="2"{dash}/>')
    top_count = max((c.count for c in cells), default=0)
    for cell in cells:
        cx0, cy0 = xy(cell.west, cell.north)
        cx1, cy1 = xy(cell.east, cell.south)
        share = cell.count / top_count if top_count else 0
        grey = int(230 - 200 * share)
        parts.append(f'<rect x="{cx0:.1f}" y="{cy0:.1f}" width="{cx1 - cx0:.1f}" height="{cy1 - cy0:.1f}" '
                     f'fill="rgb({grey},{grey},{grey})" fill-opacity="0.85" stroke="#333" stroke-width="0.5">'
                     f'<title>{cell.count} sightings in this block</title></rect>')
        if cx1 - cx0 >= 18 and cy1 - cy0 >= 12:
            ink = "#fff" if share > 0.5 else "#000"
            parts.append(f'<text x="{(cx0 + cx1) / 2:.1f}" y="{(cy0 + cy1) / 2 + 4:.1f}" font-size="11" text-anchor="middle" '
                         f'fill="{ink}">{cell.count}</text>')
    for i, (zone, rings) in enumerate(zones):
        if rings:
            # Names alternate above and below their zones, so neighbouring corridors do not share a line.
            ring = rings[0]
            lon = sum(p[0] for p in ring[:-1] or ring) / len(ring[:-1] or ring)
            x, y = xy(lon, max(p[1] for p in ring) if i % 2 == 0 else min(p[1] for p in ring))
            y = y - 8 if i % 2 == 0 else y + 18
            parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="13" font-weight="bold" text-anchor="middle" '
                         f'stroke="#fbfbf8" stroke-width="3" paint-order="stroke">{escape(zone.name)}</text>')
    metres = config()["MAP_GRID_METRES"]
    parts.append(f'<g transform="translate(12,{height - 58})"><rect width="330" height="48" fill="#fff" stroke="#999"/>'
                 f'<rect x="10" y="10" width="14" height="14" fill="rgb(230,230,230)" stroke="#333" stroke-width="0.5"/>'
                 f'<rect x="26" y="10" width="14" height="14" fill="rgb(130,130,130)" stroke="#333" stroke-width="0.5"/>'
                 f'<rect x="42" y="10" width="14" height="14" fill="rgb(30,30,30)" stroke="#333" stroke-width="0.5"/>'
                 f'<text x="64" y="22" font-size="11">sightings per ~{metres} m block (darker: more)</text>'
                 f'<rect x="10" y="30" width="46" height="12" fill="url(#zone-hatch)" stroke="#111" stroke-width="1.5"/>'
                 f'<text x="64" y="41" font-size="11">enforcement zone</text></g>')
    attribution = config()["MAP_TILE_ATTRIBUTION"]
    if tile_url and attribution:
        parts.append(f'<text x="{width - 6}" y="{height - 6}" font-size="9" text-anchor="end">{escape(attribution)}</text>')
    parts.append("</svg>")
    return ZoneMap("".join(parts), [zone for zone, _ in zones], cells, total)
