"""Do vehicles come back after a letter? Return curves for lettered and not-yet-lettered vehicles.

The design, in words (the page and the README say the same):

- A vehicle is a plate key and state taken from confirmed (or corrected)
  sightings; unreviewed and rejected reads never count. States are compared
  as stored (review keeps them upper case), so the lookups can use indexes.
- A *letter* is a first or repeat notice that was mailed and not returned
  to sender or cancelled. Lettered cohort: each vehicle's first such letter
  mailed in the period; its index date is `mailed_at`.
- Comparison cohort: each vehicle confirmed in the period, indexed at its
  first confirmed sighting in the period, unless it had been lettered by
  then. A letter mailed later ends (censors) its follow-up at the letter, so
  a vehicle can count as "not yet lettered" and then as lettered.
- Event (a return): the first confirmed sighting in any zone more than the
  configured gap (`INSIGHTS["RETURN_GAP_HOURS"]`) after the index date. The
  gap keeps a second camera catching the same pass from counting as a
  return; it applies to both cohorts alike.
- Follow-up ends (is censored) at the end of the data: the `until` date,
  by default the latest sighting the program holds.
- The curve is Kaplan–Meier's estimate of the share returned by day t,
  1 − S(t), with Greenwood's variance and a normal 95 % band, clipped to
  [0, 1].
- Per zone: a lettered vehicle belongs to the zone of its last confirmed
  sighting before the letter, a comparison vehicle to the zone of its index
  sighting. Returns count in any zone.

The comparison is an association, not proof: vehicles are not lettered at
random (they were seen more often, or qualified under the evidence policy),
and a vehicle that stops coming may just use another street.

The cohorts come out of the database already reduced to one row per vehicle
(zone, days to return, days to the end of follow-up), by grouped joins
written for SQLite and PostgreSQL alike (no per-vehicle subqueries: a
frequent vehicle has thousands of sightings); only the Kaplan–Meier product
runs in Python.
"""

import csv
import io
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dearjohn.cases.models import Case
from dearjohn.evidence.models import Sighting, Zone
from dearjohn.letters.models import Letter

Z95 = 1.959963984540054
LETTERED = "lettered"
COMPARISON = "comparison"
KIND_ALL = "all"


def config():
    return settings.DEARJOHN["INSIGHTS"]


@dataclass(frozen=True)
class Step:
    """The curve just after `day`: how many were followed, returned, censored there."""

    day: float
    at_risk: int
    returned: int
    censored: int
    share: float
    low: float
    high: float


@dataclass(frozen=True)
class Estimate:
    days: int
    share: float | None  # None when no vehicle was followed that long
    low: float | None
    high: float | None
    at_risk: int


GRID_DAYS = 0.25  # curves are kept every 6 hours: exact at whole-day horizons, small to cache and to draw


@dataclass(frozen=True)
class Curve:
    """A return curve, kept as (day, share, low, high, still followed) every GRID_DAYS up to the last horizon."""

    label: str
    cohort: str
    vehicles: int
    returns: int
    followed: float  # the longest follow-up of any vehicle, in days
    points: tuple = ()
    horizons: tuple = ()

    def estimate(self, days):
        """The share returned within `days` days, with its band; undefined past the longest follow-up."""
        if not self.vehicles or not self.points:
            return Estimate(days, None, None, None, 0)
        index = min(int(round(days / GRID_DAYS)), len(self.points) - 1)
        _, share, low, high, still = self.points[index]
        if self.followed < days and share < 1.0:
            return Estimate(days, None, None, None, 0)
        return Estimate(days, share, low, high, still)

    @property
    def estimates(self):
        return [self.estimate(days) for days in self.horizons]


def kaplan_meier(observations, label="", cohort="", horizons=()):
    """Kaplan–Meier return curve from (days, returned) pairs, one per vehicle.

    At each distinct time t with n vehicles still followed and d returns,
    S falls by the factor (1 − d/n); vehicles censored at t are still
    counted in n at t. Greenwood: Var S(t) = S(t)² Σ d/(n(n − d)).
    """
    observations = sorted((float(days), bool(returned)) for days, returned in observations)
    at_risk = len(observations)
    survival, greenwood = 1.0, 0.0
    steps = []
    i = 0
    while i < len(observations):
        day = observations[i][0]
        returned = censored = 0
        while i < len(observations) and observations[i][0] == day:
            if observations[i][1]:
                returned += 1
            else:
                censored += 1
            i += 1
        if returned:
            survival *= 1 - returned / at_risk
            if at_risk > returned:
                greenwood += returned / (at_risk * (at_risk - returned))
            se = survival * math.sqrt(greenwood)
            share = 1 - survival
            steps.append(Step(day, at_risk, returned, censored, share, max(0.0, share - Z95 * se), min(1.0, share + Z95 * se)))
        else:
            previous = steps[-1] if steps else None
            steps.append(Step(day, at_risk, 0, censored, previous.share if previous else 0.0,
                              previous.low if previous else 0.0, previous.high if previous else 0.0))
        at_risk -= returned + censored
    followed = observations[-1][0] if observations else 0.0
    last = min(followed, max(horizons, default=followed))
    points, j, state = [], 0, (0.0, 0.0, 0.0, len(observations))
    for g in range(int(last / GRID_DAYS + 1e-9) + 1):
        day = g * GRID_DAYS
        while j < len(steps) and steps[j].day <= day:
            step = steps[j]
            state = (step.share, step.low, step.high, step.at_risk - step.returned - step.censored)
            j += 1
        points.append((day, *state))
    return Curve(label, cohort, len(observations), sum(1 for _, r in observations if r), followed, tuple(points),
                 tuple(horizons))


@dataclass(frozen=True)
class Period:
    start: object
    until: object


def default_period(until=None, days=None):
    """The last `days` days of data, ending at the latest sighting (or now, with none)."""
    if until is None:
        # One indexed look per zone is cheaper than a scan of every sighting.
        latest = [Sighting.objects.filter(zone=zone_id).order_by("-seen_at").values_list("seen_at", flat=True).first()
                  for zone_id in Zone.objects.values_list("pk", flat=True)]
        latest = [at for at in latest if at is not None]
        until = max(latest) if latest else timezone.now()
    return Period(until - timedelta(days=days or config()["DETERRENCE_DAYS"]), until)


def _days(later, earlier):
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 86400.0)"
    return f"(julianday({later}) - julianday({earlier}))"


def _not_indexed(column):
    """Keep SQLite off the (review_status, seen_at) index inside per-vehicle lookups.

    Without table statistics SQLite prefers that index to the plate-key one and
    then walks every confirmed sighting for each vehicle; a unary + makes the
    column unusable as an index term. PostgreSQL's planner needs no such help.
    """
    return f"+{column}" if connection.vendor == "sqlite" else column


def _later_than(column, base):
    """SQL: `column` is more than %s hours after `base` (one parameter, the hours)."""
    if connection.vendor == "postgresql":
        return f"{column} > {base} + %s * INTERVAL '1 hour'"
    # SQLite compares its UTC text; datetime() drops fractions of a second, which cannot matter here.
    return f"{column} > datetime({base}, '+' || %s || ' hours')"


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def _tables():
    return {
        "sighting": Sighting._meta.db_table,
        "letter": Letter._meta.db_table,
        "case": Case._meta.db_table,
    }


CONFIRMED = (Sighting.ReviewStatus.CONFIRMED, Sighting.ReviewStatus.CORRECTED)
LETTER_KINDS = (Letter.Kind.FIRST, Letter.Kind.REPEAT)
NOT_RECEIVED = (Letter.Status.RETURNED, Letter.Status.CANCELLED)


def _in(values):
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _stamped_zone(column_at, column_zone):
    """Text that sorts like the time and carries the zone: MAX/MIN of it give the latest/earliest sighting's zone.

    Both databases hand timestamps to text in one fixed UTC format (Django
    sets the connection's time zone), so the order of the text is the order
    of the times; the zone id follows a "|".
    """
    return f"(CAST({column_at} AS TEXT) || '|' || CAST({column_zone} AS TEXT))"


def _zone_of(stamped):
    return int(stamped.rsplit("|", 1)[1]) if stamped else None


def _confirmed(alias):
    return f"{_not_indexed(alias + '.review_status')} IN {_in(CONFIRMED)}"


def lettered_rows(period):
    """One row per lettered vehicle and letter kind: (vehicle, kind, zone id, days to return or None, days of follow-up).

    One pass over the lettered vehicles' confirmed sightings finds both the
    first return after the gap and the zone of the last sighting before the
    letter. `vehicle` is an opaque key, only for telling rows apart.
    """
    t = _tables()
    gap_hours = config()["RETURN_GAP_HOURS"]
    sql = f"""
        SELECT vehicle, kind, last_zone, {_days('return_at', 'index_at')}, {_days('%s', 'index_at')}
        FROM (
            SELECT v.plate_key || '|' || v.state AS vehicle, v.kind, v.index_at,
                MIN(CASE WHEN s.seen_at <= %s AND {_later_than('s.seen_at', 'v.index_at')} THEN s.seen_at END) AS return_at,
                MAX(CASE WHEN s.seen_at <= v.index_at THEN {_stamped_zone('s.seen_at', 's.zone_id')} END) AS last_zone
            FROM (
                SELECT c.plate_key AS plate_key, c.state AS state, l.kind AS kind, MIN(l.mailed_at) AS index_at
                FROM {t['letter']} l JOIN {t['case']} c ON c.id = l.case_id
                WHERE l.mailed_at IS NOT NULL AND l.mailed_at >= %s AND l.mailed_at <= %s
                  AND l.kind IN {_in(LETTER_KINDS)} AND l.status NOT IN {_in(NOT_RECEIVED)}
                GROUP BY c.plate_key, c.state, l.kind
            ) v
            LEFT JOIN {t['sighting']} s
              ON s.confirmed_plate_key = v.plate_key AND s.confirmed_state = v.state AND {_confirmed('s')}
            GROUP BY v.plate_key, v.state, v.kind, v.index_at
        ) x
    """
    params = [_dt(period.until), _dt(period.until), gap_hours, _dt(period.start), _dt(period.until), *LETTER_KINDS,
              *NOT_RECEIVED, *CONFIRMED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(vehicle, kind, _zone_of(zone), to_return, follow_up)
                for vehicle, kind, zone, to_return, follow_up in cursor.fetchall()]


def first_letters(rows):
    """Each vehicle's earliest letter of any kind (the longest follow-up), as (zone, to return, follow-up)."""
    earliest = {}
    for vehicle, _, zone, to_return, follow_up in rows:
        if vehicle not in earliest or follow_up > earliest[vehicle][2]:
            earliest[vehicle] = (zone, to_return, follow_up)
    return list(earliest.values())


def comparison_rows(period):
    """One row per vehicle confirmed in the period and not lettered by its first sighting there.

    (zone id, days to return or None, days of follow-up); follow-up ends at a
    later letter or at the end of the data, whichever comes first. Three
    grouped passes: first sightings (with their zone), returns, letters.
    """
    t = _tables()
    gap_hours = config()["RETURN_GAP_HOURS"]
    sql = f"""
        WITH v AS (
            SELECT confirmed_plate_key AS plate_key, confirmed_state AS state, MIN(seen_at) AS index_at,
                   MIN({_stamped_zone('seen_at', 'zone_id')}) AS first_zone
            FROM {t['sighting']}
            WHERE review_status IN {_in(CONFIRMED)} AND confirmed_plate_key <> '' AND seen_at >= %s AND seen_at <= %s
            GROUP BY confirmed_plate_key, confirmed_state
        ),
        r AS (
            SELECT v.plate_key, v.state, MIN(s.seen_at) AS return_at
            FROM v JOIN {t['sighting']} s ON s.confirmed_plate_key = v.plate_key AND s.confirmed_state = v.state
            WHERE {_confirmed('s')} AND s.seen_at <= %s AND {_later_than('s.seen_at', 'v.index_at')}
            GROUP BY v.plate_key, v.state
        ),
        m AS (
            SELECT c.plate_key, c.state, MIN(l.mailed_at) AS letter_at
            FROM {t['letter']} l JOIN {t['case']} c ON c.id = l.case_id
            WHERE l.mailed_at IS NOT NULL AND l.kind IN {_in(LETTER_KINDS)} AND l.status NOT IN {_in(NOT_RECEIVED)}
            GROUP BY c.plate_key, c.state
        )
        SELECT v.first_zone, {_days('r.return_at', 'v.index_at')}, {_days('%s', 'v.index_at')}, {_days('m.letter_at', 'v.index_at')}
        FROM v
        LEFT JOIN r ON r.plate_key = v.plate_key AND r.state = v.state
        LEFT JOIN m ON m.plate_key = v.plate_key AND m.state = v.state
    """
    params = [*CONFIRMED, _dt(period.start), _dt(period.until), *CONFIRMED, _dt(period.until), gap_hours,
              *LETTER_KINDS, *NOT_RECEIVED, _dt(period.until)]
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for zone, to_return, follow_up, to_letter in cursor.fetchall():
            if to_letter is not None and to_letter <= 0:
                continue  # lettered at or before its first sighting here: not a comparison vehicle
            if to_letter is not None and to_letter < follow_up:
                follow_up = to_letter
                if to_return is not None and to_return > to_letter:
                    to_return = None
            rows.append((_zone_of(zone), to_return, follow_up))
    return rows


def _observations(rows):
    return [(to_return, True) if to_return is not None else (follow_up, False) for _, to_return, follow_up in rows]


@dataclass(frozen=True)
class Comparison:
    """A lettered curve beside its comparison curve, for one slice (all, a zone, a letter kind)."""

    label: str
    lettered: Curve
    comparison: Curve


@dataclass(frozen=True)
class Report:
    period: Period
    overall: Comparison
    by_zone: list
    by_kind: list
    horizons: tuple


def analyse(period=None):
    """Every figure the deterrence page shows, from two database queries."""
    period = period or default_period()
    horizons = tuple(config()["RETURN_HORIZONS_DAYS"])
    by_letter = lettered_rows(period)
    lettered = first_letters(by_letter)
    comparison = comparison_rows(period)
    comparison_curve = kaplan_meier(_observations(comparison), "Not yet lettered", COMPARISON, horizons)
    overall = Comparison("All zones, all letters", kaplan_meier(_observations(lettered), "Lettered", LETTERED, horizons),
                         comparison_curve)
    by_zone = []
    for zone in Zone.objects.order_by("name"):
        mine = [row for row in lettered if row[0] == zone.pk]
        theirs = [row for row in comparison if row[0] == zone.pk]
        if mine or theirs:
            by_zone.append(Comparison(zone.name, kaplan_meier(_observations(mine), "Lettered", LETTERED, horizons),
                                      kaplan_meier(_observations(theirs), "Not yet lettered", COMPARISON, horizons)))
    by_kind = []
    for kind in LETTER_KINDS:
        rows = [row[2:] for row in by_letter if row[1] == kind]
        label = Letter.Kind(kind).label
        by_kind.append(Comparison(label, kaplan_meier(_observations(rows), label, LETTERED, horizons), comparison_curve))
    return Report(period, overall, by_zone, by_kind, horizons)


def _fmt(value):
    return "" if value is None else f"{value:.4f}"


def to_csv(report):
    """The estimates at each horizon, per slice and cohort, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["slice", "cohort", "vehicles", "returns observed", "days", "share returned", "ci95 low", "ci95 high", "still followed"])
    slices = [("all", report.overall)] + [(f"zone: {c.label}", c) for c in report.by_zone] + [(f"letter: {c.label}", c) for c in report.by_kind]
    for name, comparison in slices:
        for curve in (comparison.lettered, comparison.comparison):
            for est in curve.estimates:
                writer.writerow([name, curve.cohort, curve.vehicles, curve.returns, est.days, _fmt(est.share), _fmt(est.low), _fmt(est.high), est.at_risk])
    return out.getvalue()
