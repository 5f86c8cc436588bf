import base64
import io

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from dearjohn.cases.models import Case
from dearjohn.oversight.audit import record
from dearjohn.oversight.models import AuditEvent

from . import drafting, languages, printing, render as letter_render, wording
from .errors import LetterError
from .forms import (AddressForm, CancelForm, DecisionForm, LanguageForm, MailLogForm, PrintForm, SuppressionForm,
                    TemplateForm)
from .models import Letter, LetterTemplate, PrintBatch, Response, Suppression
from .responses import decide as decide_response

TABS = [
    ("waiting", "Needs action", [Letter.Status.HELD, Letter.Status.DRAFT, Letter.Status.APPROVED]),
    ("printed", "Printed", [Letter.Status.PRINTED]),
    ("mailed", "Mailed", [Letter.Status.MAILED, Letter.Status.DELIVERED, Letter.Status.RETURNED]),
    ("cancelled", "Cancelled", [Letter.Status.CANCELLED]),
]


def _letter(reference):
    return get_object_or_404(Letter.objects.select_related("case", "template", "batch"), reference=reference)


def _done(request, reference, message):
    messages.success(request, message)
    return redirect("letters:letter_detail", reference=reference)


@permission_required("letters.view_letter", raise_exception=True)
def letter_list(request):
    tab = request.GET.get("tab", "waiting")
    statuses = dict((key, s) for key, _, s in TABS).get(tab, TABS[0][2])
    letters = Letter.objects.filter(status__in=statuses).select_related("case", "template").order_by("status", "-drafted_at")
    page = Paginator(letters, 50).get_page(request.GET.get("page"))
    return render(request, "letters/letter_list.html", {
        "page": page, "tabs": TABS, "tab": tab,
        "qualifying": Case.objects.filter(status=Case.Status.QUALIFYING).count(),
        "approved": Letter.objects.filter(status=Letter.Status.APPROVED).count(),
        "print_form": PrintForm(initial={"name": printing.default_batch_name()}),
    })


@require_POST
@permission_required("letters.add_letter", raise_exception=True)
def draft_qualifying(request):
    drafted, skipped = drafting.draft_qualifying(user=request.user, request=request)
    messages.success(request, f"Drafted {len(drafted)} letter{'s' if len(drafted) != 1 else ''}.")
    for case, why in skipped:
        messages.warning(request, f"No letter for case {case.number}: {why}")
    return redirect("letters:letter_list")


@permission_required("letters.view_letter", raise_exception=True)
def letter_detail(request, reference):
    letter = _letter(reference)
    record("letter.viewed", request=request, obj=letter, purpose="Reviewing a letter", case=letter.case.number)
    return render(request, "letters/letter_detail.html", {
        "letter": letter, "case": letter.case, "history": history(letter),
        "confirmers": drafting.evidence_confirmers(letter.case),
        "address_form": AddressForm(), "language_form": LanguageForm(initial={"language": letter.language}),
        "cancel_form": CancelForm(), "is_open": letter.status in drafting.OPEN_STATUSES,
        "language_name": languages.get(letter.language).name,
    })


def history(letter):
    """What happened to this letter, from the audit log (views and downloads left out)."""
    return (AuditEvent.objects.filter(object_type="letters.letter", object_id=str(letter.pk))
            .exclude(action__in=["letter.viewed", "letter.downloaded", "letter.responses_viewed"]).order_by("at"))


@permission_required("letters.view_letter", raise_exception=True)
def letter_pdf(request, reference):
    letter = _letter(reference)
    record("letter.downloaded", request=request, obj=letter, purpose="Reviewing a letter", case=letter.case.number)
    response = HttpResponse(printing.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.reference}.pdf"'
    return response


@permission_required("letters.view_letter", raise_exception=True)
def letter_png(request, reference):
    letter = _letter(reference)
    return HttpResponse(letter_render.pdf_to_png(printing.letter_pdf(letter), dpi=80), content_type="image/png")


def _act(request, reference, action, success):
    letter = _letter(reference)
    try:
        action(letter)
    except LetterError as e:
        messages.error(request, str(e))
        return redirect("letters:letter_detail", reference=reference)
    return _done(request, reference, success)


@require_POST
@permission_required("letters.approve_letter", raise_exception=True)
def approve(request, reference):
    return _act(request, reference, lambda letter: drafting.approve(letter, request.user, request=request),
                "Letter approved; it will go into the next print batch.")


@require_POST
@permission_required("letters.approve_letter", raise_exception=True)
def cancel(request, reference):
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, reference, lambda letter: drafting.cancel(letter, request.user, reason, request=request),
                "Letter cancelled.")


@permission_required("letters.change_letter", raise_exception=True)
def fix_address(request, reference):
    letter = _letter(reference)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drafting.fix_address(letter, request.user, request=request, **form.cleaned_data)
        except LetterError as e:
            form.add_error(None, str(e))
        else:
            return _done(request, reference, "Address corrected; the letter needs approval.")
    return render(request, "letters/fix_address.html", {"letter": letter, "form": form})


@require_POST
@permission_required("letters.change_letter", raise_exception=True)
def set_language(request, reference):
    language = request.POST.get("language", "")
    return _act(request, reference, lambda letter: drafting.set_language(letter, request.user, language, request=request),
                "Language changed.")


@permission_required("letters.view_printbatch", raise_exception=True)
def batch_list(request):
    page = Paginator(PrintBatch.objects.select_related("created_by", "mailed_by"), 30).get_page(request.GET.get("page"))
    return render(request, "letters/batch_list.html", {
        "page": page, "approved": Letter.objects.filter(status=Letter.Status.APPROVED).count(),
        "print_form": PrintForm(initial={"name": printing.default_batch_name()}),
    })


@require_POST
@permission_required("letters.approve_letter", raise_exception=True)
def print_batch(request):
    form = PrintForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the batch a name made of letters, digits and dashes.")
        return redirect("letters:batch_list")
    try:
        result = printing.print_batch(form.cleaned_data["name"], user=request.user, request=request)
    except LetterError as e:
        messages.error(request, str(e))
        return redirect("letters:batch_list")
    for reference, why in result.skipped:
        messages.warning(request, f"{reference}: {why}")
    if result.batch is None:
        messages.info(request, "No approved letters to print.")
    else:
        messages.success(request, f"Printed batch {result.batch.name}: {result.batch.letter_count} letters.")
    return redirect("letters:batch_list")


def _batch_file(request, name, relative, content_type, suffix):
    batch = get_object_or_404(PrintBatch, name=name)
    try:
        data = printing.read_batch_file(getattr(batch, relative))
    except FileNotFoundError:
        raise Http404("The batch file is missing.") from None
    record("letters.batch_downloaded", request=request, obj=batch, purpose="Printing and mailing letters", file=suffix)
    return FileResponse(io.BytesIO(data), content_type=content_type, as_attachment=True, filename=f"{batch.name}.{suffix}")


@permission_required("letters.view_printbatch", raise_exception=True)
def batch_pdf(request, name):
    return _batch_file(request, name, "pdf_path", "application/pdf", "pdf")


@permission_required("letters.view_printbatch", raise_exception=True)
def batch_manifest(request, name):
    return _batch_file(request, name, "manifest_path", "text/csv", "csv")


@require_POST
@permission_required("letters.approve_letter", raise_exception=True)
def batch_mailed(request, name):
    batch = get_object_or_404(PrintBatch, name=name)
    try:
        count = printing.mark_mailed(batch, request.user, request=request)
    except LetterError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"Batch {batch.name}: {count} letters marked mailed.")
    return redirect("letters:batch_list")


@permission_required("letters.change_letter", raise_exception=True)
def mail_log(request):
    form = MailLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letter = printing.record_delivery(form.cleaned_data["reference"], form.cleaned_data["outcome"], request.user,
                                              request=request)
        except LetterError as e:
            form.add_error("reference", str(e))
        else:
            messages.success(request, f"{letter.reference}: {letter.get_status_display().lower()}.")
            return redirect("letters:mail_log")
    recent = Letter.objects.filter(delivery_updated_at__isnull=False).order_by("-delivery_updated_at")[:20]
    return render(request, "letters/mail_log.html", {"form": form, "recent": recent})


@permission_required("letters.view_lettertemplate", raise_exception=True)
def template_list(request):
    rows = []
    enabled = languages.choices(letter_render.letters_settings()["LANGUAGES"])
    for kind, label in LetterTemplate.Kind.choices:
        rows.append((kind, label, [(code, name, LetterTemplate.current(kind, code)) for code, name in enabled]))
    return render(request, "letters/template_list.html", {"rows": rows, "languages": enabled})


def _kind_and_language(kind, language):
    if kind not in LetterTemplate.Kind.values or language not in letter_render.letters_settings()["LANGUAGES"]:
        raise Http404("No such letter template.")


@permission_required("letters.view_lettertemplate", raise_exception=True)
def template_edit(request, kind, language):
    _kind_and_language(kind, language)
    current = LetterTemplate.current(kind, language)
    form = TemplateForm(request.POST or None, initial={"html": current.html if current else ""})
    if request.method == "POST":
        if not request.user.has_perm("letters.add_lettertemplate"):
            raise PermissionDenied
        if form.is_valid():
            try:
                saved = wording.new_version(kind, language, form.cleaned_data["html"], form.cleaned_data["note"],
                                            request.user, request=request)
            except LetterError as e:
                form.add_error("html", str(e))
            else:
                messages.success(request, f"Saved as version {saved.version}.")
                return redirect("letters:template_edit", kind=kind, language=language)
    versions = LetterTemplate.objects.filter(kind=kind, language=language).select_related("created_by")
    return render(request, "letters/template_edit.html", {
        "form": form, "kind": kind, "kind_label": LetterTemplate.Kind(kind).label, "language": language,
        "language_name": languages.get(language).name, "current": current, "versions": versions,
        "variables": sorted(letter_render.context(letter_render.sample(kind, language))),
    })


# The editor shows the preview in a frame on its own page; only this response may be framed, and only by us.
PREVIEW_CSP = "default-src 'none'; img-src data:; style-src 'self'; frame-ancestors 'self'"


@xframe_options_sameorigin
@require_POST
@permission_required("letters.add_lettertemplate", raise_exception=True)
def template_preview(request, kind, language):
    """The editor's live preview: page one of the sample letter as an image in a page the editor frames."""
    _kind_and_language(kind, language)
    form = TemplateForm(request.POST)
    try:
        if not form.is_valid():
            raise LetterError("The letter is empty.")
        pdf = wording.preview_pdf(kind, language, form.cleaned_data["html"])
    except LetterError as e:
        response = render(request, "letters/preview_error.html", {"error": str(e)})
    else:
        if request.POST.get("format") == "pdf":
            response = HttpResponse(pdf, content_type="application/pdf")
        else:
            image = base64.b64encode(letter_render.pdf_to_png(pdf, dpi=110)).decode()
            response = render(request, "letters/preview.html", {"image": image})
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response


@permission_required("letters.view_response", raise_exception=True)
def response_list(request):
    waiting = (Letter.objects.filter(responses__decision=Response.Decision.NEW).distinct()
               .select_related("case").order_by("responses__received_at"))
    decided = Response.objects.exclude(decision=Response.Decision.NEW).select_related("letter", "decided_by")[:30]
    return render(request, "letters/response_list.html", {"waiting": waiting, "decided": decided})


@permission_required("letters.view_response", raise_exception=True)
def response_decide(request, reference):
    letter = _letter(reference)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("letters.decide_response"):
            raise PermissionDenied
        if form.is_valid():
            try:
                data = form.cleaned_data
                apology = decide_response(letter, request.user, data["decision"], data["note"], data["send_apology"],
                                          request=request)
            except LetterError as e:
                form.add_error(None, str(e))
            else:
                note = " An apology letter is approved for the next print batch." if apology else ""
                messages.success(request, f"Decision recorded for {letter.reference}.{note}")
                return redirect("letters:response_list")
    record("letter.responses_viewed", request=request, obj=letter, purpose="Deciding on a recipient's response",
           case=letter.case.number)
    return render(request, "letters/response_decide.html", {
        "letter": letter, "responses": letter.responses.all(), "form": form,
        "waiting": letter.responses.filter(decision=Response.Decision.NEW).exists(),
    })


@permission_required("letters.view_suppression", raise_exception=True)
def suppression_list(request):
    form = SuppressionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("letters.add_suppression"):
            raise PermissionDenied
        if form.is_valid():
            suppression = form.save(commit=False)
            suppression.created_by = request.user
            suppression.save()
            record("letters.suppression_added", request=request, obj=suppression, reason=suppression.reason)
            messages.success(request, "Suppression added: no notice will be drafted, approved or printed for it.")
            return redirect(reverse("letters:suppression_list"))
    page = Paginator(Suppression.objects.select_related("created_by"), 50).get_page(request.GET.get("page"))
    return render(request, "letters/suppression_list.html", {"page": page, "form": form})
