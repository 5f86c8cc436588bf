"""Background jobs: the daily retention purge.

`daily_purge` runs the purge and queues its own next run for the next
DEARJOHN["PURGE_AT"] local time, so one `dearjohn purge --schedule` after
deploying keeps it going for as long as a worker (`dearjohn db_worker`) runs.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .retention import purge


def next_run(now=None):
    """The next PURGE_AT local time strictly after `now`."""
    now = timezone.localtime(now or timezone.now())
    hour, minute = (int(part) for part in settings.DEARJOHN["PURGE_AT"].split(":"))
    at = timezone.make_aware(datetime.combine(now.date(), time(hour, minute)))
    return at if at > now else timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time(hour, minute)))


def pending_runs():
    """Daily purges queued and not yet started (whenever they are due)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=daily_purge.module_path)


def schedule_daily_purge(now=None):
    """Queue the next daily purge unless one is already waiting; returns when it will run."""
    waiting = pending_runs().order_by("run_after").first()
    if waiting is not None:
        return waiting.run_after
    when = next_run(now)
    daily_purge.using(run_after=when).enqueue()
    return when


@task()
def daily_purge():
    result = purge()
    schedule_daily_purge()
    return dict(result.counts)
