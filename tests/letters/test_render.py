"""The printed letter itself: address in the envelope window, QR code and reference, every language's script.

All twelve templates (three kinds × four languages) are rendered once, as one
batch, the way letters are printed; each test reads the pages it needs.
"""

import io
import subprocess
from shutil import which

import pytest
from pypdf import PdfReader

from dearjohn.letters import render
from dearjohn.letters.models import LetterTemplate
from tests.letters.conftest import decode_qr, page_image, pdf_words

INCH = 72.0
LANGUAGES = ["en", "es", "zh", "fil"]
KINDS = ["first", "repeat", "apology"]
SAMPLES = [(kind, language) for kind in KINDS for language in LANGUAGES]
MARKERS = {"en": "not a ticket", "es": "no es una multa", "zh": "这封信不是罚单", "fil": "hindi tiket"}


@pytest.fixture(scope="module")
def batch(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        items = [(LetterTemplate.current(kind, language).html,
                  render.sample(kind, language, reference=f"K7QW2-XR9MD-{n + 20000}"))
                 for n, (kind, language) in enumerate(SAMPLES)]
    return render.render_pdf(items), [data for _, data in items]


def words_in(words, lines):
    """The run of pdfplumber words that spells `lines`, token by token."""
    wanted = [token for line in lines for token in line.split()]
    texts = [w["text"] for w in words]
    for i in range(len(texts) - len(wanted) + 1):
        if texts[i:i + len(wanted)] == wanted:
            return words[i:i + len(wanted)]
    raise AssertionError(f"address not found on the page: {wanted}")


def assert_in_window(words):
    left, top, right, bottom = (v * INCH for v in render.WINDOW)
    for word in words:
        assert left <= word["x0"] and word["x1"] <= right, word
        assert top <= word["top"] and word["bottom"] <= bottom, word


def test_each_letter_is_one_page_and_its_address_lies_inside_the_envelope_window(batch):
    pdf, samples = batch
    for page, data in enumerate(samples):
        words, pages = pdf_words(pdf, page)
        assert pages == len(samples)
        assert_in_window(words_in(words, data.recipient_lines))


@pytest.mark.django_db
def test_a_longest_allowed_address_still_fits_the_window():
    lines = ("MAXIMILIANA WOLFEHARDT-QUINTERO-BALLARD", "12345 BELLWETHER WAY SOUTHWEST STE 9000",
             "BLDG 14 UNIT 2207", "SOUTH SAN FRANCISCO WEST CA 94080-1234")
    assert all(len(line) <= 40 for line in lines)
    data = render.LetterData(**{**render.sample("first", "en").__dict__, "recipient_lines": lines})
    pdf = render.render_pdf([(LetterTemplate.current("first", "en").html, data)])
    words, _ = pdf_words(pdf)
    assert_in_window(words_in(words, lines))


def test_the_window_rectangle_keeps_an_eighth_inch_from_the_envelope_window():
    # Derivation in render.py: packet resting on the envelope's bottom fold, in any sideways position.
    envelope_h, fold = 4.125, 11 / 3
    window_top_on_page = (envelope_h - 0.5 - 1.125) - (envelope_h - fold)
    window_bottom_on_page = (envelope_h - 0.5) - (envelope_h - fold)
    left, top, right, bottom = render.WINDOW
    assert top - window_top_on_page >= 0.125 - 1e-3 and window_bottom_on_page - bottom >= 0.125 - 1e-3
    assert left - 0.875 >= 0.125 and (0.875 + 4.5 - 1.0) - right >= 0.125


def test_the_qr_code_and_the_printed_reference_lead_to_the_response_page(batch):
    pdf, samples = batch
    for page, data in enumerate(samples):
        if data.kind == "apology":
            assert decode_qr(page_image(pdf, page, dpi=100)) == []
            continue
        assert decode_qr(page_image(pdf, page, dpi=150)) == [f"https://letters.example.org/r/{data.reference}"]
        text = PdfReader(io.BytesIO(pdf)).pages[page].extract_text()
        assert data.reference in text and "letters.example.org/r" in text


def test_every_language_round_trips_its_text(batch):
    pdf, samples = batch
    for page, data in zip(PdfReader(io.BytesIO(pdf)).pages, samples):
        text = " ".join(page.extract_text().split())
        if data.kind != "apology":
            marker = MARKERS[data.language]
            assert marker in (text.replace(" ", "") if data.language == "zh" else text)
        assert "\ufffd" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_chinese_letters_embed_a_cjk_font_and_others_do_not(language):
    pdf = render.render_pdf([(LetterTemplate.current("apology", language).html, render.sample("apology", language))])
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(pdf)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("CJK" in font for font in fonts) == (language == "zh"), fonts


@pytest.mark.skipif(not which("pdffonts"), reason="poppler-utils (pdffonts) is not installed")
def test_no_font_is_left_out_of_the_pdf(batch, tmp_path):
    path = tmp_path / "batch.pdf"
    path.write_bytes(batch[0])
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), rows


@pytest.mark.django_db
def test_a_template_cannot_make_the_server_fetch_a_url():
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        html = (LetterTemplate.current("apology", "en").html
                + f'<img src="http://127.0.0.1:{server.server_port}/inside.png">')
        render.render_pdf([(html, render.sample("apology", "en"))])
    finally:
        server.shutdown()
    assert asked == []
