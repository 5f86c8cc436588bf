"""An officer uploads two photos and sees their plate reads; a member of the public submits a photo without signing in."""


import pytest
from django.core.management import call_command

from dearjohn.evidence.models import Capture
from tests import factories
from tests.browser.conftest import sign_in_page
from tests.conftest import make_user
from tests.evidence.conftest import FAKE_READER, IN_ZONE, NOV_20_EVENING, photo

from tests.browser.screens import DOCS


def scene_photo(plate, seed=0):
    """A rendered street photo with EXIF time and place, its plate's box written where the fake reader finds it."""
    import io

    from PIL import Image

    from dearjohn.evidence.synthetic import street_scene_with_box

    image, box = street_scene_with_box(plate, seed=seed, size=(960, 540), night=True)
    reference = Image.open(io.BytesIO(photo(taken=NOV_20_EVENING, gps=IN_ZONE)))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85, exif=reference.getexif(), comment=f"plates:{plate}@{','.join(map(str, box))}")
    return buf.getvalue()


@pytest.fixture
def intake_settings(settings, tmp_path):
    from dearjohn.evidence import reading

    settings.DEARJOHN = {**settings.DEARJOHN, "PLATE_READER": FAKE_READER}
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    reading._reader.cache_clear()
    yield
    reading._reader.cache_clear()


@pytest.mark.django_db(transaction=True)
def test_an_officer_uploads_two_photos_and_sees_their_reads(live_server, page, intake_settings, tmp_path):
    factories.zone()
    files = []
    for n, (name, plate) in enumerate((("front-of-41.jpg", "7ABC123"), ("corner.jpg", "8XYZ999"))):
        path = tmp_path / name
        path.write_bytes(scene_photo(plate, seed=n))
        files.append(str(path))
    sign_in_page(page, live_server, make_user("Officer"))
    page.goto(live_server.url + "/captures/upload/")
    page.set_viewport_size({"width": 420, "height": 900})  # a phone
    page.get_by_label("Photos or videos").set_input_files(files)
    page.get_by_role("button", name="Upload").click()
    items = page.locator("[data-results] li")
    items.nth(1).get_by_role("link", name="Open the capture").wait_for()  # both received
    assert Capture.objects.count() == 2
    # The background worker's turn. The test database is one in-memory SQLite
    # file shared with the live server, so hold the page's polling meanwhile
    # (the page retries, as it would after a dropped connection).
    page.route("**/reads.json", lambda route: route.abort())
    call_command("worker", "--burst", verbosity=0)
    page.unroute("**/reads.json")
    for plate in ("7ABC123", "8XYZ999"):
        page.locator("[data-results] .plate", has_text=plate).wait_for()
    assert page.locator("[data-results] img").count() == 2
    assert page.locator("[data-results] img").first.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(DOCS / "evidence-upload.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Open the capture").first.click()
    page.get_by_role("heading", name="Plates read in an active zone").wait_for()
    assert page.get_by_text("Chain of custody").is_visible()
    page.screenshot(path=str(DOCS / "evidence-capture.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_member_of_the_public_submits_a_photo_without_signing_in(live_server, page, intake_settings, tmp_path):
    zone = factories.zone("Capp Street corridor")
    path = tmp_path / "car.jpg"
    path.write_bytes(photo([("7ABC123", (40, 60, 120, 50))], size=(480, 360)))
    page.goto(live_server.url + "/submit/")
    assert "/accounts/login/" not in page.url
    page.get_by_label("Photo or video").set_input_files(str(path))
    page.get_by_label("When was it taken?").fill("2026-11-20T22:15")
    page.get_by_label("Where?").select_option(label=zone.name)
    page.get_by_label("Anything else").fill("Silver sedan, circled the block three times.")
    page.screenshot(path=str(DOCS / "evidence-submit.png"), full_page=True)
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    capture = Capture.objects.get()
    assert capture.source_kind == "public" and capture.taken_at_source == "entered" and not capture.usable_as_evidence


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_draws_a_zone_on_the_map(live_server, page, intake_settings):
    from dearjohn.evidence import zones
    from dearjohn.evidence.models import Camera, Zone

    factories.zone("Capp Street corridor")
    Camera.objects.create(name="Capp & 19th", latitude=37.755, longitude=-122.415)
    sign_in_page(page, live_server, make_user("Supervisor"))
    page.goto(live_server.url + "/zones/new/")
    svg = page.locator(".zonemap.editing svg")
    svg.wait_for()
    box = svg.bounding_box()
    corners = [(0.62, 0.25), (0.85, 0.25), (0.85, 0.75), (0.62, 0.75)]
    for fx, fy in corners:
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
    assert page.locator(".zonemap .vertex").count() == 4
    page.get_by_label("Name").fill("Shotwell Street corridor")
    page.get_by_label("Fri").fill("19:00-05:00")
    page.screenshot(path=str(DOCS / "evidence-zone-editor.png"), full_page=True)
    page.get_by_role("button", name="Save zone").click()
    page.get_by_text("Zone “Shotwell Street corridor” saved.").wait_for()
    zone = Zone.objects.get(name="Shotwell Street corridor")
    ring = zone.boundary["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1] and zone.active_hours == {"fri": [["19:00", "05:00"]]}
    capp = Zone.objects.get(name="Capp Street corridor")
    assert zones.geometry(zone).bounds[0] > zones.geometry(capp).bounds[0]  # drawn east of the existing zone
    page.screenshot(path=str(DOCS / "evidence-zones.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_file_sent_twice_says_it_is_the_same_capture(live_server, page, intake_settings, tmp_path):
    factories.zone()
    path = tmp_path / "car.jpg"
    path.write_bytes(scene_photo("7ABC123"))
    sign_in_page(page, live_server, make_user("Officer"))
    page.goto(live_server.url + "/captures/upload/")
    page.get_by_label("Photos or videos").set_input_files([str(path), str(path)])
    page.get_by_role("button", name="Upload").click()
    items = page.locator("[data-results] li")
    items.nth(1).get_by_role("link", name="Open the capture").wait_for()
    page.route("**/reads.json", lambda route: route.abort())
    call_command("worker", "--burst", verbosity=0)
    page.unroute("**/reads.json")
    items.nth(1).locator(".plate", has_text="7ABC123").wait_for()
    assert Capture.objects.count() == 1 and Capture.objects.get().receipts.count() == 2
    assert "same capture, stored once" in items.nth(1).locator(".status").inner_text()
    assert "same capture" not in items.nth(0).locator(".status").inner_text()
