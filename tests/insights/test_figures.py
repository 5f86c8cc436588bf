"""Stored figures: computed once, shown with their time, recomputed by the worker when old."""

import pickle
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dearjohn.insights import figures
from dearjohn.insights.models import Figure
from dearjohn.insights.tasks import refresh_figures
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    """Count how often the weekly chart is really computed."""
    calls = []
    original = figures.CHARTS["weekly"]

    def weekly(window):
        calls.append(window)
        return original[1](window)

    monkeypatch.setitem(figures.CHARTS, "weekly", (original[0], weekly))
    return calls


def waiting_refreshes():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=refresh_figures.module_path)


def age(key, minutes):
    Figure.objects.filter(key=key).update(computed_at=timezone.now() - timedelta(minutes=minutes))


def test_a_figure_is_computed_once_and_then_read(client_for, counted):
    client = client_for("Supervisor")
    first = client.get(reverse("insights:chart", kwargs={"name": "weekly"})).content
    again = client.get(reverse("insights:chart", kwargs={"name": "weekly"})).content
    assert len(counted) == 1 and first == again
    assert Figure.objects.filter(key="chart:weekly").count() == 1
    assert not waiting_refreshes().exists()


def test_an_old_figure_is_shown_and_one_refresh_is_queued_for_the_worker(client_for, counted, settings,
                                                                          worker_keeps_the_test_connection):
    client = client_for("Supervisor")
    client.get(reverse("insights:chart", kwargs={"name": "weekly"}))
    factories.reviewed_sighting("7NEW001", timezone.now() - timedelta(hours=1), factories.zone("Fresh zone"))
    age("chart:weekly", settings.DEARJOHN["INSIGHTS"]["REFRESH_MINUTES"] + 1)
    stale = client.get(reverse("insights:chart", kwargs={"name": "weekly"})).content.decode()
    client.get(reverse("insights:chart", kwargs={"name": "weekly"}))
    assert "Fresh zone" not in stale and len(counted) == 1  # shown as it was, not recomputed while the page waits
    assert waiting_refreshes().count() == 1  # queued once, however many views see it old

    call_command("worker", "--burst", verbosity=0)
    assert not waiting_refreshes().exists()
    fresh = client.get(reverse("insights:chart", kwargs={"name": "weekly"})).content.decode()
    assert "Fresh zone" in fresh
    assert set(Figure.objects.values_list("key", flat=True)) == set(figures.makers())


def test_an_old_figure_is_recomputed_in_the_page_when_no_worker_took_the_refresh(client_for, counted, settings):
    client = client_for("Supervisor")
    minutes = settings.DEARJOHN["INSIGHTS"]["REFRESH_MINUTES"]
    client.get(reverse("insights:chart", kwargs={"name": "weekly"}))
    age("chart:weekly", minutes + 1)
    client.get(reverse("insights:chart", kwargs={"name": "weekly"}))
    assert len(counted) == 1
    waiting_refreshes().update(enqueued_at=timezone.now() - timedelta(minutes=minutes + 1))
    client.get(reverse("insights:chart", kwargs={"name": "weekly"}))
    assert len(counted) == 2 and waiting_refreshes().count() == 1


def test_a_stored_value_that_no_longer_loads_is_computed_again(client_for, counted):
    client = client_for("Supervisor")
    client.get(reverse("insights:chart", kwargs={"name": "weekly"}))
    Figure.objects.filter(key="chart:weekly").update(value=pickle.dumps("x")[:-3])
    assert client.get(reverse("insights:chart", kwargs={"name": "weekly"})).status_code == 200
    assert len(counted) == 2


def test_pages_say_how_old_their_figures_are(client_for):
    client = client_for("Auditor")
    for name in ("insights:dashboard", "insights:map", "insights:deterrence"):
        assert "Figures as of" in client.get(reverse(name)).content.decode()


def test_with_refresh_off_every_view_computes(client_for, counted, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "INSIGHTS": {**settings.DEARJOHN["INSIGHTS"], "REFRESH_MINUTES": 0}}
    client = client_for("Supervisor")
    client.get(reverse("insights:chart", kwargs={"name": "weekly"}))
    client.get(reverse("insights:chart", kwargs={"name": "weekly"}))
    assert len(counted) == 2 and not Figure.objects.exists()
