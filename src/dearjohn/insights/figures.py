"""Stored figures: what the insights pages show, computed ahead so a page never waits for a year of sightings.

With a million sightings, counting them for a chart or following every
vehicle for the deterrence curves takes seconds. Each figure is therefore
computed once and kept in the database (`Figure`, one row per figure, shared
by every web process), and pages read it. A page that finds a figure older
than `INSIGHTS["REFRESH_MINUTES"]` shows it with its time and queues one
background job that recomputes them all (`refresh_figures`, run by
`dearjohn worker`). Only a figure that was never computed is computed while
the page waits, and so is a stale one when a refresh has waited longer than
the refresh interval (no worker running, as in a quick demo).

REFRESH_MINUTES = 0 turns storing off: every request computes afresh (tests).

Values are pickled, as Django's own database cache does; only this module
writes them. A value that no longer unpickles (the code changed) counts as
missing.
"""

import logging
import pickle
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import charts, deterrence, measure, zonemap
from .models import Figure

log = logging.getLogger(__name__)

CHARTS = {
    "weekly": ("Sightings per week, by zone",
               lambda w: charts.weekly_chart(measure.weekly_sightings(w))),
    "heatmap": ("Sightings by weekday and hour",
                lambda w: charts.heatmap_chart(measure.weekday_hour(w))),
    "review": ("Review backlog and time to review",
               lambda w: charts.review_chart(measure.review_backlog(w), measure.review_speed(w))),
    "letters": ("Letters drafted, approved, mailed and returned",
                lambda w: charts.monthly_chart(measure.monthly_letters(w), "No letters in this period.")),
    "responses": ("Responses from recipients, and their outcome",
                  lambda w: charts.monthly_chart(measure.monthly_responses(w), "No responses in this period.")),
}


def _chart(name):
    return lambda: charts.render(CHARTS[name][1](measure.Window.recent()))


def makers():
    """Every stored figure by key, with the function that computes it."""
    found = {"totals": lambda: measure.totals(measure.Window.recent()),
             "map": lambda: zonemap.draw(measure.Window.recent()),
             "deterrence": deterrence.analyse}
    found.update({f"chart:{name}": _chart(name) for name in CHARTS})
    # The chart the deterrence page shows; other slices and PNGs are drawn when asked for.
    found["deterrence-chart:all:svg"] = lambda: charts.render(charts.return_curve_chart(get("deterrence").value.overall))
    return found


def refresh_minutes():
    return settings.DEARJOHN["INSIGHTS"]["REFRESH_MINUTES"]


@dataclass(frozen=True)
class Stored:
    value: object
    computed_at: object
    seconds: float


def _compute(key, make):
    started = time.perf_counter()
    value = make()
    seconds = time.perf_counter() - started
    now = timezone.now()
    Figure.objects.update_or_create(key=key, defaults={"value": pickle.dumps(value, pickle.HIGHEST_PROTOCOL),
                                                       "computed_at": now, "seconds": seconds})
    return Stored(value, now, seconds)


def get(key):
    """The figure `key`: stored if there is one (queueing a refresh when it is old), else computed now."""
    minutes = refresh_minutes()
    if not minutes:
        return Stored(makers()[key](), timezone.now(), 0.0)
    row = Figure.objects.filter(key=key).first()
    try:
        value = pickle.loads(row.value) if row is not None else None
    except Exception:  # written by another version of the code
        log.info("Stored figure %s no longer loads; computing it again", key)
        row = None
    if row is None:
        return _compute(key, makers()[key])
    now = timezone.now()
    if row.computed_at < now - timedelta(minutes=minutes) and queue_refresh(now) < now - timedelta(minutes=minutes):
        return _compute(key, makers()[key])  # no worker has taken the refresh: do not show old figures forever
    return Stored(value, row.computed_at, row.seconds)


def refresh_all(progress=None):
    """Compute every figure again (the worker's job); returns {key: seconds}."""
    timings = {}
    for key, make in makers().items():
        timings[key] = round(_compute(key, make).seconds, 3)
        if progress:
            progress(key, timings[key])
    return timings


def queue_refresh(now=None):
    """Queue one refresh unless one is already waiting; returns when the waiting one was queued."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import refresh_figures

    waiting = (DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=refresh_figures.module_path)
               .order_by("enqueued_at").values_list("enqueued_at", flat=True).first())
    if waiting is not None:
        return waiting
    refresh_figures.enqueue()
    return now or timezone.now()
