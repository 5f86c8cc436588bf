import io

import pytest


@pytest.fixture
def letter_output(settings, tmp_path):
    """Print batches go to a fresh folder for each test."""
    settings.DEARJOHN = {**settings.DEARJOHN, "LETTERS": {**settings.DEARJOHN["LETTERS"], "OUTPUT_DIR": tmp_path / "letters"}}
    return tmp_path / "letters"


def page_image(pdf_bytes, page=0, dpi=200):
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()


def decode_qr(image):
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def pdf_words(pdf_bytes, page=0):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return pdf.pages[page].extract_words(keep_blank_chars=False, use_text_flow=True), len(pdf.pages)
