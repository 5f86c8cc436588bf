"""Background jobs of the evidence app (django-tasks, run by `dearjohn worker`)."""

from django_tasks import task

from . import reading


@task()
def read_capture(capture_id):
    return reading.read_capture(capture_id)
