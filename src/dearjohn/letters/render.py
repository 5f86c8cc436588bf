"""Letters to PDF: each letter's template filled in, a whole batch laid out in one WeasyPrint run.

The page layout (letterhead, the envelope window, the QR code's place) lives
in `print.css`, which Supervisors cannot edit, so no wording change can move
the address out of the envelope window. The wording lives in versioned
`LetterTemplate`s that Supervisors edit.

The envelope window. A standard #10 window envelope (9.5 × 4.125 in) has its
window 4.5 × 1.125 in, 7/8 in from the left and 1/2 in from the bottom edge,
i.e. 2.5 to 3.625 in below the envelope's top edge. A letter-size sheet folded
in thirds is an 8.5 × 3.667 in packet whose top panel (page y 0 to 3.667 in)
faces the window. Mail travels, and stands in a tray, on its long bottom edge,
so the packet rests on the envelope's bottom fold: its top edge lies
4.125 − 3.667 = 0.458 in below the envelope's top, and the window shows page
y 2.042 to 3.167 in. Sideways the packet can sit anywhere in the 1 in of
spare width, so only page x 0.875 to 4.375 in is in the window whatever its
position. Less 1/8 in on every side for folding and insertion slack, the
address must lie in

    x 1.0 to 4.25 in, y 2.167 to 3.042 in from the page's top-left corner,

which `WINDOW` states and `print.css` honours (the block sits at x 1.125 in,
y 2.3 in, 3.1 × 0.7 in: four lines of 9 pt condensed capitals, each at most
40 characters, see address.py).
"""

import base64
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.template import Context, Engine
from django.utils.html import format_html, format_html_join

from . import languages, pdfworker

HERE = Path(__file__).resolve().parent
INCH = 72.0
# (left, top, right, bottom) in inches from the page's top-left corner.
WINDOW = (1.0, 2.167, 4.25, 3.042)
# Starting a worker process costs about a second; below this many letters each, one process is faster.
MIN_LETTERS_PER_WORKER = 100


@dataclass(frozen=True)
class LetterData:
    """Everything one letter prints, already decided; rendering reads nothing else."""

    kind: str
    language: str
    reference: str
    date: date
    recipient_lines: tuple
    observed: dict = field(default_factory=dict)
    vehicle: dict = field(default_factory=dict)
    earlier_date: date | None = None
    earlier_reference: str = ""
    image_jpeg: bytes | None = None


def letters_settings():
    return settings.DEARJOHN["LETTERS"]


def response_url(reference):
    return f"{letters_settings()['RESPONSE_URL_BASE'].rstrip('/')}/{reference}"


def short_url():
    base = letters_settings()["RESPONSE_URL_BASE"].rstrip("/")
    return base.split("://", 1)[-1]


@lru_cache(maxsize=1)
def stylesheet():
    return (HERE / "print.css").read_text()


def qr_image(url):
    """The QR code as a small 1-bit PNG: much cheaper to lay out than SVG, printed with crisp modules."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=4, border=4)
    return format_html('<img class="qr" alt="" src="data:image/png;base64,{}">', base64.b64encode(out.getvalue()).decode())


def _letterhead():
    cfg, program = letters_settings(), settings.DEARJOHN
    return format_html(
        '<header class="letterhead"><p class="dept">{}</p><p class="program">{}</p><p class="contact">{}<br>{} · {}</p></header>',
        program["DEPARTMENT_NAME"], program["PROGRAM_NAME"], " · ".join(cfg["DEPARTMENT_ADDRESS"]),
        cfg["DEPARTMENT_PHONE"], cfg["DEPARTMENT_EMAIL"])


def _vehicle_text(vehicle):
    parts = [str(vehicle.get("year") or ""), vehicle.get("color", ""), vehicle.get("make", ""), vehicle.get("model", "")]
    return " ".join(p for p in parts if p)


def context(data):
    """The variables a template may use (listed on the template editor page)."""
    lang = languages.get(data.language)
    cfg, program = letters_settings(), settings.DEARJOHN
    observed = data.observed or {}
    days = [date.fromisoformat(d) for d in observed.get("dates", [])]
    url = response_url(data.reference)
    image = ""
    if data.image_jpeg:
        image = format_html('<img class="vehicle-image" alt="" src="data:image/jpeg;base64,{}">',
                            base64.b64encode(data.image_jpeg).decode())
    return {
        "department": program["DEPARTMENT_NAME"],
        "program": program["PROGRAM_NAME"],
        "department_phone": cfg["DEPARTMENT_PHONE"],
        "department_email": cfg["DEPARTMENT_EMAIL"],
        "hotline_name": cfg["HOTLINE_NAME"],
        "hotline_phone": cfg["HOTLINE_PHONE"],
        "hotline_text": cfg["HOTLINE_TEXT"],
        "letterhead": _letterhead(),
        "date": lang.date(data.date),
        "reference": data.reference,
        "address_window": format_html('<div class="window">{}</div>',
                                      format_html_join("", "<p>{}</p>", ((line,) for line in data.recipient_lines))),
        "response_qr": qr_image(url),
        "response_url": url,
        "short_url": short_url(),
        "observed_dates": lang.dates(days),
        "first_seen": lang.date(days[0]) if days else "",
        "last_seen": lang.date(days[-1]) if days else "",
        "time_from": lang.time(time.fromisoformat(observed["from"])) if observed.get("from") else "",
        "time_to": lang.time(time.fromisoformat(observed["to"])) if observed.get("to") else "",
        "zones": lang.separator.join(observed.get("zones", [])),
        "sighting_count": observed.get("count", len(days)),
        "vehicle": _vehicle_text(data.vehicle),
        "plate": data.vehicle.get("plate", ""),
        "plate_state": data.vehicle.get("state", "").upper(),
        "vehicle_image": image,
        "earlier_date": lang.date(data.earlier_date) if data.earlier_date else "",
        "earlier_reference": data.earlier_reference,
    }


class WordingEngine(Engine):
    """The template language Supervisors write letters in: variables, filters and a few flow tags.

    No libraries to {% load %}, no loaders (so no {% include %} or {% extends %}
    of the site's templates), no {% url %}, {% csrf_token %}, {% debug %} or
    {% autoescape off %}: wording can only arrange the letter's own data.
    """

    default_builtins = ["django.template.defaultfilters", "dearjohn.letters.wording_tags"]


@lru_cache(maxsize=1)
def wording_engine():
    return WordingEngine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=True)


def compile_template(html):
    """A Django template from a LetterTemplate's text; raises TemplateSyntaxError for the editor to show."""
    return wording_engine().from_string(html)


def letter_html(compiled, data):
    lang = languages.get(data.language)
    body = compiled.render(Context(context(data)))
    image = " with-image" if data.image_jpeg else ""
    return f'<section class="letter {lang.font_class}{image}" lang="{lang.code}">{body}</section>'


def document_html(sections, title="Letters"):
    return ('<!doctype html><html><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{stylesheet()}</style></head><body>"
            + "".join(sections) + "</body></html>")


def render_pdf(items, title="Letters", workers=None):
    """One PDF for [(template_html, LetterData), ...], in the order given.

    Templates are compiled once each. A large batch is laid out by several
    worker processes in contiguous runs (each one WeasyPrint call sharing its
    fonts) and joined in order; a small one in this process.
    """
    compiled = {}
    sections = []
    for html, data in items:
        if html not in compiled:
            compiled[html] = compile_template(html)
        sections.append(letter_html(compiled[html], data))
    workers = workers or letters_settings().get("RENDER_WORKERS", 1)
    runs = min(workers, len(sections) // MIN_LETTERS_PER_WORKER)
    if runs <= 1:
        return pdfworker.html_to_pdf(document_html(sections, title), str(HERE))
    size = -(-len(sections) // runs)
    documents = [document_html(sections[i:i + size], title) for i in range(0, len(sections), size)]
    with ProcessPoolExecutor(max_workers=runs, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(pdfworker.html_to_pdf, documents, [str(HERE)] * len(documents)))
    return join_pdfs(parts, title)


def join_pdfs(parts, title):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_to_png(pdf_bytes, page=0, dpi=72):
    """A page of a PDF as PNG bytes, for previews a browser shows inline."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf_bytes)
    try:
        image = doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def sample_photo():
    """A drawn, fictitious car for sample letters (no photograph of anyone)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (196, 200, 204))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 230, 480, 300], fill=(90, 92, 96))
    draw.rounded_rectangle([60, 120, 420, 235], radius=28, fill=(168, 172, 180))
    draw.polygon([(120, 122), (165, 60), (320, 60), (370, 122)], fill=(150, 155, 164))
    draw.polygon([(140, 118), (175, 70), (310, 70), (348, 118)], fill=(60, 66, 76))
    for x in (125, 355):
        draw.ellipse([x - 32, 205, x + 32, 269], fill=(30, 30, 32))
    draw.rectangle([200, 175, 280, 205], fill=(245, 245, 240), outline=(20, 20, 20))
    draw.text((240, 190), "7XYZ123", fill=(20, 30, 110), anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def sample(kind, language, reference="K7QW2-XR9MD-4HPZT", with_photo=False):
    """A fictitious letter for previews and the samples in docs/."""
    return LetterData(
        kind=kind, language=language, reference=reference, date=date(2026, 12, 4),
        recipient_lines=("JORDAN Q SAMPLEPERSON", "1234 LARKSPUR LN", "APT 5", "SAN FRANCISCO CA 94110"),
        observed={"dates": ["2026-11-20", "2026-11-27"], "from": "22:10", "to": "23:45",
                  "zones": ["Capp Street corridor"], "count": 3},
        vehicle={"plate": "7XYZ123", "state": "ca", "make": "Toyota", "model": "Camry", "color": "Silver", "year": 2019},
        earlier_date=date(2026, 6, 2) if kind != "first" else None,
        earlier_reference="M4TD8-8QWPX-ZK2RB" if kind == "apology" else "",
        image_jpeg=sample_photo() if with_photo and kind != "apology" else None,
    )
