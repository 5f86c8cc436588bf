"""The public response page: no sign-in; a reference code and a ZIP code open one letter's summary and form.

Every page speaks English, Spanish, Chinese and Filipino (`public_text`); the language never changes what is
checked or stored: a wrong code and a wrong ZIP get the same page in any language, and a response keeps its reason code.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from . import public_text, responses
from .forms import LookupForm, ResponseForm
from .models import Letter
from .references import clean_reference
from .render import letters_settings

SESSION_KEY = "letters.responding_to"


def _render(request, template, lang, context=None, status=200):
    phone = letters_settings()["DEPARTMENT_PHONE"]
    department = settings.DEARJOHN.get("DEPARTMENT_NAME", "")
    page = {"t": public_text.texts(lang, phone=phone, department=department), "lang": lang,
            "page_lang": public_text.HTML_LANG[lang], "languages": public_text.LANGUAGE_NAMES, "phone": phone}
    response = render(request, template, {**page, **(context or {})}, status=status)
    patch_vary_headers(response, ["Accept-Language"])
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def start(request, code=""):
    lang = public_text.choose(request)
    form = LookupForm(request.POST or None, initial={"reference": clean_reference(code) or ""}, lang=lang)
    source = responses.source_of(request)
    if responses.is_blocked(source):
        return _render(request, "letters/public/blocked.html", lang, status=429)
    if request.method == "POST" and form.is_valid():
        letter = responses.find_letter(form.cleaned_data["reference"], form.cleaned_data["zip_code"], source)
        if letter is not None:
            request.session.cycle_key()
            request.session[SESSION_KEY] = letter.pk
            request.session[public_text.LETTER_KEY] = letter.language
            return redirect("respond:form")
        form.add_error(None, public_text.texts(lang)["not_found"])
    return _render(request, "letters/public/start.html", lang, {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def form(request):
    letter = Letter.objects.filter(pk=request.session.get(SESSION_KEY), status__in=responses.ANSWERABLE).first()
    if letter is None:
        return redirect("respond:start")
    lang = public_text.choose(request, letter.language)
    response_form = ResponseForm(request.POST or None, lang=lang)
    if request.method == "POST" and response_form.is_valid():
        data = response_form.cleaned_data
        responses.submit(letter, data["reason"], data["message"], data["contact"], request=request)
        del request.session[SESSION_KEY]
        return redirect("respond:thanks")
    return _render(request, "letters/public/form.html", lang,
                   {"summary": responses.summary(letter, lang), "form": response_form})


@login_not_required
def thanks(request):
    return _render(request, "letters/public/thanks.html", public_text.choose(request))
