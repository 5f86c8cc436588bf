from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from dearjohn.oversight.models import AuditEvent
from dearjohn.oversight.tasks import daily_purge, next_run, pending_runs, schedule_daily_purge


def local(*args):
    return timezone.make_aware(datetime(*args))


def test_the_next_run_is_the_next_purge_time(settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "PURGE_AT": "03:30"}
    assert next_run(local(2026, 12, 4, 1, 0)) == local(2026, 12, 4, 3, 30)
    assert next_run(local(2026, 12, 4, 3, 30)) == local(2026, 12, 5, 3, 30)


@pytest.mark.django_db
def test_scheduling_queues_one_daily_run_only():
    first = schedule_daily_purge(local(2026, 12, 4, 12))
    again = schedule_daily_purge(local(2026, 12, 4, 13))
    assert first == again == local(2026, 12, 5, 3, 30)
    assert pending_runs().count() == 1


@pytest.mark.django_db
def test_a_run_purges_and_queues_the_next():
    counts = daily_purge.call()
    assert isinstance(counts, dict)
    assert AuditEvent.objects.filter(action="retention.purge").count() == 1
    assert pending_runs().count() == 1


@pytest.mark.django_db
def test_the_command_can_schedule(capsys):
    call_command("purge", "--schedule")
    assert "Next daily purge" in capsys.readouterr().out and pending_runs().count() == 1
