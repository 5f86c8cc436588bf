"""Every page, opened in a real browser by a role allowed to see it, runs without a Content-Security-Policy violation."""

import re

import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in_page
from tests.conftest import ROLES, make_user
from tests.site.test_permissions import ACCESS

DOWNLOADS = re.compile(r"csv|pdf|png|svg|export|original|crop|image|chart|manifest|openapi|keepalive|json")


def pages_for(role):
    for name, (allowed, kwargs, method) in ACCESS.items():
        if method == "get" and not kwargs and not DOWNLOADS.search(name) and (
                (role is None and allowed == "public") or (isinstance(allowed, set) and role in allowed)):
            yield reverse(name)


def violations_while_visiting(page, live_server, urls):
    found = []
    page.on("console", lambda msg: found.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None)
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
    return found


@pytest.mark.django_db(transaction=True)
def test_public_pages_keep_to_the_policy(live_server, page):
    assert violations_while_visiting(page, live_server, list(pages_for(None))) == []


@pytest.mark.django_db(transaction=True)
def test_staff_pages_keep_to_the_policy(live_server, page):
    """Each page once, opened by the first role that may see it."""
    seen, found = set(), []
    for role in ROLES:
        urls = [u for u in pages_for(role) if u not in seen]
        if role == "Administrator":
            urls += ["/admin/", "/admin/auth/user/", "/admin/auth/user/add/"]
        seen.update(urls)
        page.context.clear_cookies()
        sign_in_page(page, live_server, make_user(role))
        found += violations_while_visiting(page, live_server, urls)
    assert found == []


@pytest.mark.django_db(transaction=True)
def test_charts_opened_on_their_own_keep_to_their_policy(live_server, page):
    """The deterrence page links each slice's SVG; opened in the browser it must draw, not be blocked."""
    sign_in_page(page, live_server, make_user("Auditor"))
    urls = [reverse("insights:deterrence_chart", kwargs={"fmt": "svg"}) + "?slice=all",
            reverse("insights:chart", kwargs={"name": "heatmap"}), reverse("insights:map_svg")]
    assert violations_while_visiting(page, live_server, urls) == []
