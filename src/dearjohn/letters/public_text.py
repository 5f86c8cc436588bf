"""The public response page's words in the four letter languages, and how a visitor's language is chosen.

A plain-Python catalogue (no gettext: the machines have no msgfmt). `texts(code)` returns every message
for a language, English where a translation is missing. The wording follows the letters in `seed/`.

Language choice, first match wins:
1. `?lang=xx` on any page of the response site; it is remembered in the session (an explicit choice);
2. a language chosen earlier in this session;
3. the language of the letter the visitor opened (on the form and thank-you pages);
4. the browser's Accept-Language, when it names one of the four;
5. English.
"""

DEFAULT = "en"

# Each language named in itself, in the order the links show them.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "zh": "中文", "fil": "Filipino"}

# The value for <html lang>: the page's Chinese is Simplified, which tells the browser which CJK glyphs to use.
HTML_LANG = {"en": "en", "es": "es", "zh": "zh-Hans", "fil": "fil"}

CHOSEN_KEY = "letters.public_language"      # a language the visitor picked with ?lang=
LETTER_KEY = "letters.letter_language"      # the language of the letter the visitor opened

TEXT = {
    "en": {
        "language_nav": "Language",
        "start_title": "Respond to a letter",
        "start_heading": "Respond to a letter",
        "start_intro": "If you received a letter from the {department} about a vehicle, you can tell us about it "
                       "here: for example, that you were not driving, that the vehicle was sold or stolen, or that "
                       "the letter reached you in error.",
        "label_reference": "Reference code (on your letter, e.g. K7QW2-XR9MD-4HPZT)",
        "label_zip_code": "ZIP code the letter was mailed to",
        "button_continue": "Continue",
        "call_us": "You can also call us at {phone}.",
        "not_found": "We could not find a letter with that reference code and ZIP code. Check both against your "
                     "letter and try again, or call us at the number on the letter.",
        "error_required": "This field is required.",
        "error_too_long": "This is too long: at most %(limit_value)d characters.",
        "error_invalid_choice": "Choose one of the options.",
        "form_title": "Respond to a letter",
        "form_heading": "Your letter",
        "fact_reference": "Reference",
        "fact_letter": "Letter",
        "fact_seen": "Vehicle seen on",
        "fact_area": "Area",
        "kind_first": "First notice",
        "kind_repeat": "Repeat notice",
        "kind_apology": "Apology",
        "letter_sent": "{kind}, sent {date}",
        "list_separator": ", ",
        "label_reason": "What would you like to tell us?",
        "reason_not_driving": "I was not driving",
        "reason_sold": "The vehicle was sold",
        "reason_stolen": "The vehicle was stolen",
        "reason_other": "Other",
        "label_message": "Anything else (optional)",
        "label_contact": "How we can reach you (optional: phone or email)",
        "label_suffix": ":",
        "button_send": "Send",
        "form_note": "What you send goes to a supervisor, who decides whether the letter stands or is withdrawn.",
        "thanks_title": "Thank you",
        "thanks_heading": "Thank you",
        "thanks_body": "We received your response. A supervisor will review it. If you gave contact details, we may "
                       "contact you; if we withdraw the letter, we will write to you to confirm it.",
        "thanks_questions": "Questions: call {phone}.",
        "blocked_title": "Please wait",
        "blocked_heading": "Please wait before trying again",
        "blocked_body": "There have been too many unsuccessful tries from your connection. Please wait an hour and "
                        "try again, or call us at {phone}.",
    },
    "es": {
        "language_nav": "Idioma",
        "start_title": "Responder a una carta",
        "start_heading": "Responder a una carta",
        "start_intro": "Si recibió una carta del {department} sobre un vehículo, puede decirnos aquí lo que quiera "
                       "sobre ella: por ejemplo, que usted no manejaba, que el vehículo fue vendido o robado, o que "
                       "la carta le llegó por error.",
        "label_reference": "Código de referencia (en su carta, p. ej. K7QW2-XR9MD-4HPZT)",
        "label_zip_code": "Código postal (ZIP) al que se envió la carta",
        "button_continue": "Continuar",
        "call_us": "También puede llamarnos al {phone}.",
        "not_found": "No encontramos ninguna carta con ese código de referencia y ese código postal (ZIP). "
                     "Compare ambos con su carta y vuelva a intentarlo, o llámenos al número que aparece en la carta.",
        "error_required": "Este campo es obligatorio.",
        "error_too_long": "Es demasiado largo: como máximo %(limit_value)d caracteres.",
        "error_invalid_choice": "Elija una de las opciones.",
        "form_title": "Responder a una carta",
        "form_heading": "Su carta",
        "fact_reference": "Referencia",
        "fact_letter": "Carta",
        "fact_seen": "Vehículo visto el",
        "fact_area": "Zona",
        "kind_first": "Primer aviso",
        "kind_repeat": "Segundo aviso",
        "kind_apology": "Carta de disculpa",
        "letter_sent": "{kind}, enviada el {date}",
        "list_separator": ", ",
        "label_reason": "¿Qué nos quiere decir?",
        "reason_not_driving": "Yo no manejaba",
        "reason_sold": "El vehículo fue vendido",
        "reason_stolen": "El vehículo fue robado",
        "reason_other": "Otro motivo",
        "label_message": "Algo más (opcional)",
        "label_contact": "Cómo podemos comunicarnos con usted (opcional: teléfono o correo electrónico)",
        "label_suffix": ":",
        "button_send": "Enviar",
        "form_note": "Lo que nos envíe lo revisará un supervisor, que decidirá si la carta se mantiene o se retira.",
        "thanks_title": "Gracias",
        "thanks_heading": "Gracias",
        "thanks_body": "Recibimos su respuesta. Un supervisor la revisará. Si nos dio sus datos de contacto, es "
                       "posible que nos comuniquemos con usted; si retiramos la carta, le escribiremos para "
                       "confirmarlo.",
        "thanks_questions": "Preguntas: llame al {phone}.",
        "blocked_title": "Espere, por favor",
        "blocked_heading": "Espere antes de volver a intentarlo",
        "blocked_body": "Hubo demasiados intentos fallidos desde su conexión. Espere una hora y vuelva a "
                        "intentarlo, o llámenos al {phone}.",
    },
    "zh": {
        "language_nav": "语言",
        "start_title": "回复信件",
        "start_heading": "回复信件",
        "start_intro": "如果您收到了{department}寄来的关于某辆车的信，可以在这里告诉我们有关情况，例如：当时开车的不是您，"
                       "车辆已经卖出或被盗，或者您误收了这封信。",
        "label_reference": "参考编号（见您的信件，例如 K7QW2-XR9MD-4HPZT）",
        "label_zip_code": "这封信所寄地址的邮政编码（ZIP）",
        "button_continue": "继续",
        "call_us": "您也可以致电 {phone} 联系我们。",
        "not_found": "我们找不到与该参考编号和邮政编码（ZIP）相符的信件。请对照您的信件核对这两项后再试一次，"
                     "或拨打信上的电话号码联系我们。",
        "error_required": "此项为必填项。",
        "error_too_long": "内容太长：最多 %(limit_value)d 个字符。",
        "error_invalid_choice": "请选择其中一项。",
        "form_title": "回复信件",
        "form_heading": "您的信件",
        "fact_reference": "参考编号",
        "fact_letter": "信件",
        "fact_seen": "看到车辆的日期",
        "fact_area": "区域",
        "kind_first": "第一次通知",
        "kind_repeat": "第二次通知",
        "kind_apology": "致歉信",
        "letter_sent": "{kind}，{date}寄出",
        "list_separator": "、",
        "label_reason": "您想告诉我们什么？",
        "reason_not_driving": "当时开车的不是我",
        "reason_sold": "车辆已经卖出",
        "reason_stolen": "车辆被盗",
        "reason_other": "其他",
        "label_message": "其他补充（可选）",
        "label_contact": "我们如何联系您（可选：电话或电子邮件）",
        "label_suffix": "：",
        "button_send": "发送",
        "form_note": "您发送的内容将交给一位主管，由主管决定维持还是撤回这封信。",
        "thanks_title": "谢谢",
        "thanks_heading": "谢谢您",
        "thanks_body": "我们已收到您的回复，主管会进行审查。如果您留下了联系方式，我们可能会与您联系；"
                       "如果我们撤回这封信，会写信向您确认。",
        "thanks_questions": "如有疑问，请致电 {phone}。",
        "blocked_title": "请稍候",
        "blocked_heading": "请稍后再试",
        "blocked_body": "从您的网络连接发出的失败尝试次数过多。请等待一小时后再试，或致电 {phone} 联系我们。",
    },
    "fil": {
        "language_nav": "Wika",
        "start_title": "Tumugon sa isang liham",
        "start_heading": "Tumugon sa isang liham",
        "start_intro": "Kung nakatanggap kayo ng liham mula sa {department} tungkol sa isang sasakyan, maaari ninyong "
                       "sabihin sa amin dito ang tungkol dito: halimbawa, na hindi kayo ang nagmamaneho, na naibenta "
                       "o ninakaw ang sasakyan, o na napunta sa inyo ang liham nang hindi dapat.",
        "label_reference": "Numero ng reference (nasa inyong liham, hal. K7QW2-XR9MD-4HPZT)",
        "label_zip_code": "ZIP code ng address kung saan ipinadala ang liham",
        "button_continue": "Magpatuloy",
        "call_us": "Maaari rin kayong tumawag sa amin sa {phone}.",
        "not_found": "Wala kaming nahanap na liham na may ganitong numero ng reference at ZIP code. Ihambing ang "
                     "dalawa sa inyong liham at subukang muli, o tawagan kami sa numerong nasa liham.",
        "error_required": "Kailangang sagutan ito.",
        "error_too_long": "Masyadong mahaba: hanggang %(limit_value)d na character lamang.",
        "error_invalid_choice": "Pumili ng isa sa mga pagpipilian.",
        "form_title": "Tumugon sa isang liham",
        "form_heading": "Ang inyong liham",
        "fact_reference": "Numero ng reference",
        "fact_letter": "Liham",
        "fact_seen": "Nakita ang sasakyan noong",
        "fact_area": "Lugar",
        "kind_first": "Unang paunawa",
        "kind_repeat": "Ikalawang paunawa",
        "kind_apology": "Liham ng paumanhin",
        "letter_sent": "{kind}, ipinadala noong {date}",
        "list_separator": ", ",
        "label_reason": "Ano ang gusto ninyong sabihin sa amin?",
        "reason_not_driving": "Hindi ako ang nagmamaneho",
        "reason_sold": "Naibenta na ang sasakyan",
        "reason_stolen": "Ninakaw ang sasakyan",
        "reason_other": "Iba pa",
        "label_message": "Iba pang gusto ninyong sabihin (hindi kailangan)",
        "label_contact": "Paano namin kayo makokontak (hindi kailangan: telepono o email)",
        "label_suffix": ":",
        "button_send": "Ipadala",
        "form_note": "Mapupunta ang ipapadala ninyo sa isang superbisor, na magpapasya kung mananatili o babawiin "
                     "ang liham.",
        "thanks_title": "Salamat po",
        "thanks_heading": "Salamat po",
        "thanks_body": "Natanggap namin ang inyong tugon. Susuriin ito ng isang superbisor. Kung nagbigay kayo ng "
                       "paraan para makontak kayo, maaari namin kayong kontakin; kung babawiin namin ang liham, "
                       "susulatan namin kayo upang kumpirmahin ito.",
        "thanks_questions": "May tanong? Tumawag sa {phone}.",
        "blocked_title": "Pakihintay",
        "blocked_heading": "Pakihintay bago subukang muli",
        "blocked_body": "Masyadong marami ang hindi matagumpay na pagsubok mula sa inyong koneksyon. Maghintay ng "
                        "isang oras at subukang muli, o tawagan kami sa {phone}.",
    },
}


def supported(code):
    return code if code in TEXT else None


def texts(code, **values):
    """Every message for `code` (English for a missing key or an unknown language), with `{name}` placeholders filled in."""
    merged = {**TEXT[DEFAULT], **TEXT.get(code, {})}
    if values:
        values = _KeepMissing(values)
        merged = {key: text.format_map(values) if "{" in text else text for key, text in merged.items()}
    return merged


class _KeepMissing(dict):
    """Placeholders not given stay as they are, for a later fill (e.g. `{kind}`, `{date}` in `letter_sent`)."""

    def __missing__(self, key):
        return "{" + key + "}"


def from_accept_language(header):
    """The first of our languages the browser asks for, by quality, or None."""
    ranked = []
    for position, part in enumerate((header or "")[:1000].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.split("-")[0]
        code = supported("fil" if primary == "tl" else primary)  # Tagalog readers read the Filipino page
        if code:
            return code
    return None


def choose(request, letter_language=None):
    """The language for this request (see the module's docstring); `?lang=` is remembered in the session."""
    asked = supported(request.GET.get("lang"))
    if asked:
        request.session[CHOSEN_KEY] = asked
        return asked
    return (supported(request.session.get(CHOSEN_KEY))
            or supported(letter_language or request.session.get(LETTER_KEY))
            or from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE"))
            or DEFAULT)
