"""The public response page: no sign-in; a reference code and a ZIP code open one letter's summary and form."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import responses
from .forms import LookupForm, ResponseForm
from .models import Letter
from .references import clean_reference
from .render import letters_settings

SESSION_KEY = "letters.responding_to"
NOT_FOUND = ("We could not find a letter with that reference code and ZIP code. Check both against your letter and "
             "try again, or call us at the number on the letter.")


@login_not_required
@require_http_methods(["GET", "POST"])
def start(request, code=""):
    form = LookupForm(request.POST or None, initial={"reference": clean_reference(code) or ""})
    source = responses.source_of(request)
    if responses.is_blocked(source):
        return render(request, "letters/public/blocked.html", {"phone": letters_settings()["DEPARTMENT_PHONE"]}, status=429)
    if request.method == "POST" and form.is_valid():
        letter = responses.find_letter(form.cleaned_data["reference"], form.cleaned_data["zip_code"], source)
        if letter is not None:
            request.session.cycle_key()
            request.session[SESSION_KEY] = letter.pk
            return redirect("respond:form")
        form.add_error(None, NOT_FOUND)
    return render(request, "letters/public/start.html", {"form": form, "phone": letters_settings()["DEPARTMENT_PHONE"]})


@login_not_required
@require_http_methods(["GET", "POST"])
def form(request):
    letter = Letter.objects.filter(pk=request.session.get(SESSION_KEY), status__in=responses.ANSWERABLE).first()
    if letter is None:
        return redirect("respond:start")
    response_form = ResponseForm(request.POST or None)
    if request.method == "POST" and response_form.is_valid():
        data = response_form.cleaned_data
        responses.submit(letter, data["reason"], data["message"], data["contact"], request=request)
        del request.session[SESSION_KEY]
        return redirect("respond:thanks")
    return render(request, "letters/public/form.html", {"summary": responses.summary(letter), "form": response_form})


@login_not_required
def thanks(request):
    return render(request, "letters/public/thanks.html", {"phone": letters_settings()["DEPARTMENT_PHONE"]})
