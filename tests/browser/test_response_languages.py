"""The public response page in a real browser, in Spanish and Chinese: the words, <html lang>, and a CJK font."""

import pytest

from dearjohn.letters import printing
from dearjohn.letters.models import Letter, Response
from tests import factories
from tests.browser.screens import DOCS
from tests.conftest import make_user


def fonts_used(page, selector):
    """The fonts Chromium actually drew the element's text with (not just what the CSS asks for)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


@pytest.mark.django_db(transaction=True)
def test_a_recipient_answers_in_spanish_and_reads_chinese_in_a_cjk_font(live_server, page, browser, settings, tmp_path):
    settings.DEARJOHN = {**settings.DEARJOHN, "LETTERS": {**settings.DEARJOHN["LETTERS"], "OUTPUT_DIR": tmp_path}}
    supervisor = make_user("Supervisor")
    letter = factories.approved_letter(zip_code="94612")
    printing.mark_mailed(printing.print_batch("b", user=supervisor).batch, supervisor)

    page.goto(f"{live_server.url}/r/{letter.reference}?lang=es")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_label("Código postal (ZIP) al que se envió la carta").fill("94612")
    page.get_by_role("button", name="Continuar").click()
    page.get_by_role("heading", name="Su carta").wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    page.screenshot(path=str(DOCS / "letter-ui-response-page-es.png"), full_page=True)
    page.get_by_label("El vehículo fue vendido").check()
    page.get_by_role("button", name="Enviar").click()
    page.get_by_role("heading", name="Gracias").wait_for()
    assert Response.objects.get(letter=letter).reason == "sold"

    Letter.objects.filter(pk=letter.pk).update(language="zh")
    chinese = browser.new_context().new_page()  # no language chosen: the letter's own language is used
    chinese.goto(f"{live_server.url}/r/{letter.reference}")
    chinese.get_by_label("ZIP code the letter was mailed to").fill("94612")
    chinese.get_by_role("button", name="Continue").click()
    chinese.get_by_role("heading", name="您的信件").wait_for()
    assert chinese.locator("html").get_attribute("lang") == "zh-Hans"
    assert any("CJK" in name for name in fonts_used(chinese, "h1")), fonts_used(chinese, "h1")
    chinese.context.close()
