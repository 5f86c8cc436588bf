"""The program's work in numbers: what the dashboard charts and tables show.

Every figure is counted by the database (GROUP BY with Count); Python only
arranges the grouped rows into series. Weeks, weekdays and hours are the
department's (settings.TIME_ZONE), so a Friday-night peak shows as Friday
night.

Time series are counted per UTC hour (`UTCHour`, a plain substring or
to_char in SQL) and those few thousand hourly counts are then placed in local
weeks, weekdays, hours and months. Django's TruncWeek/ExtractHour with a time
zone would do the conversion in SQL, but on SQLite each of them is a Python
function called once per row: seconds for a million sightings. An hour in
UTC lies within one local hour wherever the offset is a whole number of hours
(every US time zone); elsewhere a count can land in the neighbouring hour.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db.models import CharField, Count, FloatField, Func, Q
from django.utils import timezone

from dearjohn.evidence.models import Sighting, Zone
from dearjohn.letters.models import Letter, Response

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
BACKLOG_AGES = [(0, 1, "under 1 day"), (1, 3, "1–3 days"), (3, 7, "3–7 days"), (7, None, "over 7 days")]
REVIEW_SPEEDS = [(0, 1, "within 1 day"), (1, 3, "1–3 days"), (3, 7, "3–7 days"), (7, None, "over 7 days")]


def config():
    return settings.DEARJOHN["INSIGHTS"]


@dataclass(frozen=True)
class Window:
    """The weeks the dashboard looks at, ending now."""

    since: object
    until: object

    @classmethod
    def recent(cls, weeks=None, now=None):
        now = now or timezone.now()
        return cls(now - timedelta(weeks=weeks or config()["DASHBOARD_WEEKS"]), now)


def local_zone():
    return timezone.get_default_timezone()


def sightings_in(window):
    return Sighting.objects.filter(seen_at__gte=window.since, seen_at__lte=window.until)


class UTCHour(Func):
    """A datetime's hour in UTC, computed natively by the database.

    SQLite answers with text ("YYYY-MM-DD HH"), PostgreSQL with a naive
    timestamp; `hourly` reads both.
    """

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        value, params = compiler.compile(self.source_expressions[0])
        return f"date_trunc('hour', ({value}) AT TIME ZONE 'UTC')", params

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps aware datetimes as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
        value, params = compiler.compile(self.source_expressions[0])
        return f"substr({value}, 1, 13)", params


class DaysBetween(Func):
    """(later − earlier) in days, as a float, natively on SQLite and PostgreSQL."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        later, p1 = compiler.compile(self.source_expressions[0])
        earlier, p2 = compiler.compile(self.source_expressions[1])
        return f"(EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 86400.0)", [*p1, *p2]

    def as_sqlite(self, compiler, connection, **extra):
        later, p1 = compiler.compile(self.source_expressions[0])
        earlier, p2 = compiler.compile(self.source_expressions[1])
        return f"(julianday({later}) - julianday({earlier}))", [*p1, *p2]


def hourly(queryset, field, *by):
    """[(local datetime of the hour, *by values, count)], counted per UTC hour by the database."""
    rows = queryset.annotate(utc_hour=UTCHour(field)).values_list("utc_hour", *by).annotate(n=Count("id")).order_by()
    tz = local_zone()
    out = []
    for utc_hour, *rest in rows:
        if utc_hour is None:
            continue
        if isinstance(utc_hour, str):
            utc_hour = datetime.strptime(utc_hour, "%Y-%m-%d %H")
        at = utc_hour.replace(tzinfo=dt_timezone.utc).astimezone(tz)
        out.append((at, *rest))
    return out


def weekly_sightings(window):
    """{zone name: [(local Monday, count), ...]} for every zone with a sighting in the window."""
    names = dict(Zone.objects.values_list("pk", "name"))
    weeks = {}
    for at, zone_id, n in hourly(sightings_in(window), "seen_at", "zone_id"):
        monday = at.date() - timedelta(days=at.weekday())
        key = (names.get(zone_id, "?"), monday)
        weeks[key] = weeks.get(key, 0) + n
    series = {}
    for (zone, monday), n in sorted(weeks.items()):
        series.setdefault(zone, []).append((monday, n))
    return series


def weekday_hour(window):
    """A 7 × 24 grid of sightings: rows Monday..Sunday, columns hours 0..23, local time."""
    grid = [[0] * 24 for _ in range(7)]
    for at, n in hourly(sightings_in(window), "seen_at"):
        grid[at.weekday()][at.hour] += n
    return grid


def _bucketed(queryset, conditions, buckets):
    """Aggregate one Count per bucket in a single query; labels come back as the keys."""
    counts = queryset.aggregate(**{f"b{i}": Count("id", filter=c) for i, c in enumerate(conditions)})
    return {label: counts[f"b{i}"] for i, (_, _, label) in enumerate(buckets)}


def review_backlog(window):
    """Sightings waiting for review now, by how long ago the vehicle was seen."""
    now = window.until
    pending = Sighting.objects.filter(review_status=Sighting.ReviewStatus.PENDING)
    conditions = []
    for low, high, _ in BACKLOG_AGES:
        condition = Q(seen_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(seen_at__gt=now - timedelta(days=high))
        conditions.append(condition)
    return _bucketed(pending, conditions, BACKLOG_AGES)


def review_speed(window):
    """Sightings reviewed in the window, by how long after the sighting the review came.

    Counted as buckets rather than a mean: one forgotten sighting reviewed
    months late would drag a mean, and the buckets say what a supervisor
    wants to know (how much waits more than a few days).
    """
    reviewed = Sighting.objects.filter(reviewed_at__gte=window.since, reviewed_at__lte=window.until).exclude(
        review_status=Sighting.ReviewStatus.PENDING)
    reviewed = reviewed.annotate(days=DaysBetween("reviewed_at", "seen_at"))
    conditions = []
    for low, high, _ in REVIEW_SPEEDS:
        condition = Q(days__gte=low) if low else Q()
        if high is not None:
            condition &= Q(days__lt=high)
        conditions.append(condition)
    return _bucketed(reviewed, conditions, REVIEW_SPEEDS)


LETTER_STEPS = [
    ("drafted", "drafted_at", Q()),
    ("approved", "approved_at", Q()),
    ("mailed", "mailed_at", Q()),
    ("returned", "delivery_updated_at", Q(status=Letter.Status.RETURNED)),
]


def _monthly(queryset, field):
    months = {}
    for at, n in hourly(queryset.filter(**{f"{field}__isnull": False}), field):
        month = at.date().replace(day=1)
        months[month] = months.get(month, 0) + n
    return dict(sorted(months.items()))


def monthly_letters(window):
    """{step: {month: count}} for letters drafted, approved, mailed and returned in the window."""
    result = {}
    for step, field, condition in LETTER_STEPS:
        in_window = Letter.objects.filter(condition, **{f"{field}__gte": window.since, f"{field}__lte": window.until})
        result[step] = _monthly(in_window, field)
    return result


def monthly_responses(window):
    """{"responses": {month: n}, "withdrawn": {month: n}, "upheld": {month: n}}."""
    responses = Response.objects.filter(received_at__gte=window.since, received_at__lte=window.until)
    decided = Response.objects.filter(decided_at__gte=window.since, decided_at__lte=window.until)
    return {
        "responses": _monthly(responses, "received_at"),
        "upheld": _monthly(decided.filter(decision=Response.Decision.UPHELD), "decided_at"),
        "withdrawn": _monthly(decided.filter(decision=Response.Decision.WITHDRAWN), "decided_at"),
    }


def totals(window):
    """The headline numbers beside the charts."""
    sightings = sightings_in(window).aggregate(
        seen=Count("id"),
        confirmed=Count("id", filter=Q(review_status__in=[Sighting.ReviewStatus.CONFIRMED, Sighting.ReviewStatus.CORRECTED])),
        rejected=Count("id", filter=Q(review_status=Sighting.ReviewStatus.REJECTED)),
    )
    letters = Letter.objects.aggregate(
        drafted=Count("id", filter=Q(drafted_at__gte=window.since)),
        waiting=Count("id", filter=Q(status=Letter.Status.DRAFT)),
        mailed=Count("id", filter=Q(mailed_at__gte=window.since)),
        returned=Count("id", filter=Q(status=Letter.Status.RETURNED, mailed_at__gte=window.since)),
    )
    responses = Response.objects.filter(received_at__gte=window.since).aggregate(
        received=Count("id"),
        waiting=Count("id", filter=Q(decision=Response.Decision.NEW)),
        withdrawn=Count("id", filter=Q(decision=Response.Decision.WITHDRAWN)),
    )
    pending = Sighting.objects.filter(review_status=Sighting.ReviewStatus.PENDING).count()
    return {"sightings": sightings, "letters": letters, "responses": responses, "pending": pending}
