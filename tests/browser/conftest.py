"""Real-browser tests: Playwright drives Debian's Chromium against a live Dear John."""

import os
import shutil
import sys

import pytest

IDLE_CONNECTION_SECONDS = 3
CHROMIUM = os.environ.get("DEARJOHN_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are still plain synchronous Django.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's Chromium is not installed (make test installs it with apt-get when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


OPEN_REQUESTS = pytest.StashKey[set]()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    # What the browser is still waiting for, shown when a test fails (see pytest_runtest_makereport).
    waiting = request.node.stash[OPEN_REQUESTS] = set()
    page.on("request", lambda r: waiting.add(r))
    page.on("requestfinished", lambda r: waiting.discard(r))
    page.on("requestfailed", lambda r: waiting.discard(r))
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    waiting = item.stash.get(OPEN_REQUESTS, None)
    if report.failed and waiting:
        report.sections.append(("requests the browser was still waiting for",
                                "\n".join(f"{r.method} {r.url}" for r in waiting)))
    return report


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def sign_in_page(page, live_server, user, password="a-long-test-password"):
    """Sign in through the real forms, password then authenticator code; the one place browser tests get a staff session."""
    from tests.conftest import current_code, give_authenticator

    give_authenticator(user)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("User name").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("One-time code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="What needs doing").wait_for()
    return page


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time():
    """The live server answers requests one after another.

    Its threads share the test's in-memory SQLite connection, and two requests
    at once (a page fetching its next item while the browser loads an image)
    fail with "database table is locked". A real installation uses a file
    database in WAL mode and real connections per thread; this is the test
    database's limit, not the app's. Django's single-threaded server closes
    each connection after its answer, so the browser's parallel requests queue.
    """
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)  # requests run in the server thread, which already uses the overrides

        def get_request(self):
            # A connection the browser opened ahead and has not used yet must
            # not hold up the ones behind it: give up on it after a few seconds.
            connection, address = super().get_request()
            connection.settimeout(IDLE_CONNECTION_SECONDS)
            return connection, address

        def handle_error(self, request, client_address):
            if not isinstance(sys.exc_info()[1], TimeoutError):
                super().handle_error(request, client_address)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneAtATime
    yield
    LiveServerThread.server_class = threaded
