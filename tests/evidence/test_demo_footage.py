"""The demo's footage day: the whole night in the past, whatever the hour the demo is loaded."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from dearjohn.evidence.demo import DAY, VIDEO, _when, footage_day


def _local(*args):
    return datetime(*args, tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.mark.parametrize("now, day", [
    (_local(2026, 12, 5, 1, 0), date(2026, 12, 3)),  # yesterday's night still runs until 02:05
    (_local(2026, 12, 5, 2, 30), date(2026, 12, 4)),
    (_local(2026, 12, 5, 15, 0), date(2026, 12, 4)),
])
def test_the_footage_day_is_the_latest_whose_night_is_over(now, day):
    assert footage_day(now) == day
    assert max(_when(day, h, m) for _n, h, m, _w in [*DAY, VIDEO]) <= now


@pytest.mark.django_db
def test_a_second_demo_renders_the_same_plates_after_the_history_added_registrations():
    """The history registers its lettered vehicles; the footage must not pick them up and add new photos."""
    from dearjohn.evidence.demo import demo_plates
    from dearjohn.insights.demo import seed_history
    from dearjohn.site.demo import seed_registry, seed_users, seed_zones_and_cameras
    from dearjohn.vehicles.models import Registration

    seed_users()
    seed_zones_and_cameras()
    seed_registry()
    first = demo_plates()
    registry = Registration.objects.filter(state="CA").order_by("plate_key")
    assert list(first.items())[:6] == list(registry.values_list("plate", "color")[:6])  # each car in its registered colour
    seed_history()
    assert Registration.objects.count() > 300
    assert demo_plates() == first
    registered = set(Registration.objects.values_list("plate", flat=True))
    assert set(list(first)[:6]) <= registered and not set(list(first)[6:]) & registered


def test_a_plate_drawn_with_a_colour_is_on_a_car_of_that_colour_in_every_scene():
    from dearjohn.evidence.synthetic import CAR_COLOURS, street_scene_with_box

    def body(seed, colour):
        image, (px, py, _w, _h) = street_scene_with_box("5ABC123", seed=seed, colour=colour)
        return image.getpixel((px - 20, py + 5))

    assert body(1, "Red") == body(7, "Red")
    assert max(abs(a - b) for a, b in zip(body(1, "Red"), CAR_COLOURS["Red"])) < 12
    assert body(1, "Red") != body(1, "Blue")
