"""Every template keeps to the CSP (no inline script, handler, style attribute) and every POST form carries CSRF."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SRC = Path(__file__).resolve().parents[2] / "src" / "dearjohn"
# Templates rendered to PDF by WeasyPrint, never served to a browser, may style inline.
PRINT_ONLY = re.compile(r"_pdf\.html$|/print/|letters/templates/letters/print")
TEMPLATES = [p for p in SRC.rglob("templates/**/*.html") if not PRINT_ONLY.search(str(p))]

VIOLATIONS = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I),
    "on* handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_template_needs_no_inline_script_or_style(template):
    text = template.read_text()
    found = [name for name, pattern in VIOLATIONS.items() if pattern.search(text)]
    assert not found, f"{template.relative_to(SRC)}: {', '.join(found)} (blocked by the Content-Security-Policy)"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_post_form_carries_a_csrf_token(template):
    for form in re.findall(r"<form\b.*?</form>", template.read_text(), re.S | re.I):
        if re.search(r"method\s*=\s*[\"']?post", form, re.I):
            assert "csrf_token" in form, f"{template.relative_to(SRC)}: a POST form without {{% csrf_token %}}"


# Views that answer machines holding their own credential (no browser, no cookie): CSRF does not apply.
CSRF_EXEMPT_ALLOWED = {"evidence:api_camera_captures"}


def views(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from views(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or str(entry.pattern)), entry.callback


def test_only_the_camera_api_skips_csrf():
    exempt = {name for name, view in views() if getattr(view, "csrf_exempt", False)}
    assert exempt <= CSRF_EXEMPT_ALLOWED
