import re
from datetime import datetime, timedelta, timezone

import pytest
from django.urls import reverse
from django.utils import timezone as dj_timezone

from dearjohn.insights import measure
from tests import factories


@pytest.fixture
def program(db):
    now = dj_timezone.now()
    noon_utc = now.replace(hour=12, minute=0, second=0, microsecond=0)  # early morning in Los Angeles
    north, south = factories.zone("North block"), factories.zone("South block")
    # 2026-11-20 06:15 UTC is Thursday 19 November, 22:15 in Los Angeles.
    thursday_night = datetime(2026, 11, 20, 6, 15, tzinfo=timezone.utc)
    factories.reviewed_sighting("7ABC101", thursday_night, north)
    factories.reviewed_sighting("7ABC102", thursday_night + timedelta(minutes=20), north)
    factories.reviewed_sighting("7ABC103", thursday_night + timedelta(days=1), south, status="rejected")
    waiting = factories.sighting("7ABC104", seen_at=noon_utc - timedelta(days=2), zone=south)
    slow = factories.reviewed_sighting("7ABC105", noon_utc - timedelta(days=10), south)
    slow.reviewed_at = slow.seen_at + timedelta(days=4)
    slow.save()
    letter = factories.mailed_letter("7ABC101", now - timedelta(days=3))
    factories.mailed_letter("7ABC102", now - timedelta(days=2), status="returned", delivery_updated_at=now - timedelta(days=1))
    from dearjohn.letters.models import Response

    Response.objects.create(letter=letter, reason="sold", decision="withdrawn", decided_at=now)
    return {"now": now, "waiting": waiting}


def test_heat_map_counts_in_department_time(program):
    grid = measure.weekday_hour(measure.Window.recent(now=program["now"]))
    assert grid[3][22] == 2  # Thursday, 22:00 local
    assert grid[4][22] == 1  # the rejected one, Friday 22:00 local: every sighting counts here
    assert sum(map(sum, grid)) == 5


def test_weekly_series_are_per_zone_and_local_monday(program):
    series = measure.weekly_sightings(measure.Window.recent(now=program["now"]))
    assert series["North block"][0] == (datetime(2026, 11, 16).date(), 2)  # Monday of the local week


def test_backlog_and_review_speed(program):
    window = measure.Window.recent(now=program["now"])
    assert measure.review_backlog(window) == {"under 1 day": 0, "1–3 days": 1, "3–7 days": 0, "over 7 days": 0}
    speed = measure.review_speed(window)
    # the factory reviews at the moment of the sighting (within a day) except the slow one (4 days)
    assert speed["3–7 days"] == 1 and speed["within 1 day"] == 3


def test_letters_and_responses_by_month(program):
    window = measure.Window.recent(now=program["now"])
    letters = measure.monthly_letters(window)
    assert sum(letters["mailed"].values()) == 2 and sum(letters["returned"].values()) == 1
    assert sum(measure.monthly_responses(window)["withdrawn"].values()) == 1


def test_supervisor_sees_totals_and_chart_images(client_for, program):
    response = client_for("Supervisor").get(reverse("insights:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("weekly", "heatmap", "review", "letters", "responses"):
        assert reverse("insights:chart", kwargs={"name": name}) in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "no inline scripts"
    assert response.context["totals"]["pending"] == 1


@pytest.mark.parametrize("name", ["weekly", "heatmap", "review", "letters", "responses"])
def test_each_chart_is_an_svg_with_its_labels(client_for, program, name):
    response = client_for("Auditor").get(reverse("insights:chart", kwargs={"name": name}))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<script" not in svg
    expected = {"weekly": "North block", "heatmap": "Thu", "review": "over 7 days", "letters": "returned", "responses": "withdrawn"}
    assert expected[name] in svg


def test_unknown_chart_is_not_found(client_for, db):
    assert client_for("Supervisor").get(reverse("insights:chart", kwargs={"name": "nope"})).status_code == 404


def test_it_rejects_post(client_for, db):
    assert client_for("Supervisor").post(reverse("insights:dashboard")).status_code == 405
