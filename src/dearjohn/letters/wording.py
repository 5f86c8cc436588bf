"""Supervisors' changes to a letter's wording: checked by rendering, saved as a new version, previewed."""

import re

from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError

from dearjohn.oversight.audit import record

from . import render
from .errors import LetterError
from .models import LetterTemplate

# Every notice must carry these; an apology needs only the address.
REQUIRED = {
    "first": ["address_window", "reference", "response_qr", "short_url"],
    "repeat": ["address_window", "reference", "response_qr", "short_url"],
    "apology": ["address_window"],
}


# The page layout (print.css) is not the wording's to change: no style sheets, inline styles or scripts.
LAYOUT_MARKUP = re.compile(r"<\s*(style|link|script|iframe|object|embed|meta|base)\b|\sstyle\s*=", re.IGNORECASE)


def check(kind, language, html):
    """Render `html` with the sample letter; LetterError says what is wrong. Returns the sample's HTML."""
    layout = LAYOUT_MARKUP.search(html)
    if layout:
        raise LetterError(f"Letter wording cannot change the page layout or embed code ({layout.group(0).strip()!r}); "
                          "the layout is fixed so the address always shows through the envelope window.")
    missing = [name for name in REQUIRED[kind] if "{{ " + name + " }}" not in html and "{{" + name + "}}" not in html]
    if missing:
        raise LetterError("The letter must use " + ", ".join("{{ %s }}" % name for name in missing) + ".")
    try:
        compiled = render.compile_template(html)
        return render.letter_html(compiled, render.sample(kind, language))
    except (TemplateSyntaxError, TemplateDoesNotExist) as e:
        raise LetterError(f"The template has an error: {e}") from None


def preview_pdf(kind, language, html):
    check(kind, language, html)
    return render.render_pdf([(html, render.sample(kind, language, with_photo=True))], title="Preview")


def new_version(kind, language, html, note, user, request=None):
    check(kind, language, html)
    current = LetterTemplate.current(kind, language)
    if current is not None and current.html == html:
        raise LetterError("Nothing changed; the current version already has this wording.")
    try:
        with transaction.atomic():
            template = LetterTemplate.objects.create(kind=kind, language=language, html=html, note=note, created_by=user,
                                                     version=(current.version if current else 0) + 1)
    except IntegrityError:
        raise LetterError("Someone saved a new version at the same moment; reload and try again.") from None
    record("letter_template.saved", user=user, obj=template, request=request, kind=kind, language=language,
           version=template.version)
    return template
