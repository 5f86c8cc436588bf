"""Keeping background jobs honest: a job whose worker died is run again.

django-tasks-db marks a job RUNNING when a worker claims it and never looks
back. If that worker is killed, the job would stay RUNNING for ever. Worker
ids here carry the host and process id, so a worker on the same host can
see that the claimer is gone and put the job back at once; a job claimed on
another host is put back once it has run longer than STALE_JOB_MINUTES.
The jobs themselves are idempotent, so running one again is safe.
"""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def new_worker_id():
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{get_random_string(8)}"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claimer_gone(worker_ids, host):
    if not worker_ids:
        return True
    parts = str(worker_ids[-1]).split(":")
    if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
        return False
    return not _alive(int(parts[1]))


def requeue_orphaned_jobs():
    """Put RUNNING jobs whose worker is gone back in the queue; returns how many."""
    host = socket.gethostname()[:30]
    stale_before = timezone.now() - timedelta(minutes=settings.DEARJOHN["INTAKE"]["STALE_JOB_MINUTES"])
    orphans = []
    for job in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        if _claimer_gone(job.worker_ids, host) or (job.started_at and job.started_at < stale_before):
            orphans.append(job.id)
    if orphans:
        DBTaskResult.objects.filter(id__in=orphans, status=TaskResultStatus.RUNNING).update(status=TaskResultStatus.READY)
    return len(orphans)


def job_status(job_id):
    """The background job's record (status and times) for display, or None when there is none."""
    if not job_id:
        return None
    return DBTaskResult.objects.filter(id=job_id).only("status", "enqueued_at", "started_at", "finished_at").first()
