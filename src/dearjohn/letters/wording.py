"""Supervisors' changes to a letter's wording: checked by rendering, saved as a new version, previewed."""

from django.db import IntegrityError, transaction
from django.template import TemplateSyntaxError

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


def check(kind, language, html):
    """Render `html` with the sample letter; LetterError says what is wrong. Returns the sample's HTML."""
    missing = [name for name in REQUIRED[kind] if "{{ " + name + " }}" not in html and "{{" + name + "}}" not in html]
    if missing:
        raise LetterError("The letter must use " + ", ".join("{{ %s }}" % name for name in missing) + ".")
    try:
        compiled = render.compile_template(html)
        return render.letter_html(compiled, render.sample(kind, language))
    except TemplateSyntaxError as e:
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
