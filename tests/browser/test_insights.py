import pytest
from django.core.cache import cache

from dearjohn.insights.demo import seed_history
from dearjohn.site.demo import seed_zones_and_cameras
from tests.browser.conftest import sign_in_page
from tests.conftest import make_user

from tests.browser.screens import DOCS


def charts_loaded(page):
    """Every chart <img> fetched and decoded (an SVG that failed would have no natural width)."""
    return page.evaluate("() => [...document.querySelectorAll('figure.chart img')].map(i => i.complete && i.naturalWidth > 0)")


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_opens_the_dashboard_the_map_and_the_deterrence_page(live_server, page):
    cache.clear()  # charts and the map are cached; other tests may have left theirs
    make_user("Reviewer", "reviewer")
    seed_zones_and_cameras()
    seed_history()  # the demo's year of fictitious history, so the pictures look like a program at work
    sign_in_page(page, live_server, make_user("Supervisor"))

    # The live test server shares one SQLite connection between its threads, and five charts fetched
    # at once can collide saving the session: fetch each from the server one by one, then let the
    # page's own requests for them be answered with what the server sent.
    charts = {}
    for name in ("weekly", "heatmap", "review", "letters", "responses"):
        response = page.request.get(f"{live_server.url}/insights/charts/{name}.svg")
        assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
        charts[f"/insights/charts/{name}.svg"] = response.body()
    page.route("**/insights/charts/*.svg", lambda route: route.fulfill(
        body=charts[route.request.url.removeprefix(live_server.url).split("?")[0]], content_type="image/svg+xml"))
    page.get_by_role("link", name="Insights").click()
    page.get_by_role("heading", name="Program dashboard").wait_for()
    for img in page.locator("figure.chart img").all():
        img.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('figure.chart img')].every(i => i.complete && i.naturalWidth > 0)")
    assert charts_loaded(page) == [True] * 5
    if DOCS.is_dir():
        page.screenshot(path=str(DOCS / "insights-dashboard.png"), full_page=True)

    page.get_by_role("link", name="zone map").click()
    page.get_by_role("heading", name="Zone map").wait_for()
    svg = page.locator(".zone-map svg")
    assert "Capp Street corridor" in svg.inner_html() and "Shotwell Street corridor" in svg.inner_html()
    assert svg.bounding_box()["width"] > 600
    if DOCS.is_dir():
        page.screenshot(path=str(DOCS / "insights-map.png"), full_page=True)

    page.get_by_role("link", name="Insights").click()
    page.get_by_role("link", name="whether letters keep vehicles away").click()
    page.get_by_role("heading", name="Do letters keep vehicles away?").wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('figure.chart img')].every(i => i.complete && i.naturalWidth > 0)")
    assert "association, not proof" in page.content()
    if DOCS.is_dir():
        page.screenshot(path=str(DOCS / "insights-deterrence.png"), full_page=True)
