import csv
import itertools
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from . import access_log as access
from .annual import annual_report, context as annual_context
from .audit import record
from .errors import OversightError
from .forms import AccessLogFilterForm, AgencyForm, ExportForm
from .models import Agency, AuditEvent, Disclosure
from .retention import retention_days
from .sharing import export_case

PAGE_SIZE = 100


@permission_required("oversight.view_auditevent", raise_exception=True)
def audit_log(request):
    events = AuditEvent.objects.all()
    user = request.GET.get("user", "").strip()
    action = request.GET.get("action", "").strip()
    if user:
        events = events.filter(username__iexact=user)
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "oversight/audit_log.html", {"page": page, "user_filter": user, "action_filter": action})


@require_GET
@permission_required("oversight.view_auditevent", raise_exception=True)
def access_log(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = form.filters()
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    rows = list(itertools.islice(access.rows(filters), (number - 1) * PAGE_SIZE, number * PAGE_SIZE + 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "oversight/access_log.html", {
        "form": form, "rows": rows[:PAGE_SIZE], "page": number, "has_next": len(rows) > PAGE_SIZE,
        "total": None if filters.flagged_only else access.count(filters), "query": query.urlencode(),
        "thresholds": settings.DEARJOHN["ACCESS_LOG"],
    })


class _Echo:
    def write(self, value):
        return value


@require_GET
@permission_required("oversight.view_auditevent", raise_exception=True)
def access_log_csv(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = form.filters()
    record("access_log.export", request=request, purpose="access-log audit",
           filters={k: v for k, v in request.GET.items() if v})
    writer = csv.writer(_Echo())
    lines = itertools.chain([writer.writerow(access.CSV_HEADER)], (writer.writerow(row.csv()) for row in access.rows(filters)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.localdate():%Y%m%d}.csv"'
    return response


@require_GET
@permission_required("oversight.view_auditevent", raise_exception=True)
def annual(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
        report = annual_report(year)
    except (ValueError, OversightError):
        year = timezone.localdate().year
        messages.error(request, "That is not a report year; showing this year.")
        report = annual_report(year)
    return render(request, "oversight/annual_report.html", {**annual_context(report), "years": range(year - 3, year + 2)})


@login_not_required
@require_GET
def public_policy(request):
    from dearjohn.evidence.models import Camera, Capture, Sighting, Zone
    from dearjohn.letters.models import Letter, Response
    from dearjohn.vehicles.models import OwnerLookup

    since = timezone.now() - timedelta(days=30)
    counts = [
        ("Photos and videos received", Capture.objects.filter(received_at__gte=since).count()),
        ("Sightings in enforcement zones", Sighting.objects.filter(seen_at__gte=since).count()),
        ("Registered-owner lookups", OwnerLookup.objects.filter(looked_up_at__gte=since).count()),
        ("Letters mailed", Letter.objects.filter(mailed_at__gte=since).count()),
        ("Responses received", Response.objects.filter(received_at__gte=since).count()),
        ("Letters withdrawn after a response", Response.objects.filter(decision=Response.Decision.WITHDRAWN, decided_at__gte=since).count()),
        ("Exports of case data to other agencies", Disclosure.objects.filter(at__gte=since).count()),
    ]
    try:
        response_url = reverse("respond:start")
    except NoReverseMatch:
        response_url = None
    return render(request, "oversight/public_policy.html", {
        "counts": counts, "retention": retention_days(), "response_url": response_url,
        "zones": Zone.objects.filter(is_active=True).order_by("name"),
        "cameras": Camera.objects.filter(is_active=True).count(),
        "agencies": Agency.objects.filter(is_active=True).order_by("name"),
    })


@require_http_methods(["GET", "POST"])
@permission_required("oversight.view_agency", raise_exception=True)
def sharing(request):
    form = AgencyForm()
    if request.method == "POST":
        if not request.user.has_perm("oversight.change_agency"):
            raise PermissionDenied
        if request.POST.get("toggle"):
            agency = Agency.objects.filter(pk=request.POST["toggle"]).first()
            if agency is not None:
                agency.is_active = not agency.is_active
                agency.save()
                record("sharing.allow_list_" + ("added" if agency.is_active else "removed"), request=request, obj=agency)
            return redirect("oversight:sharing")
        if not request.user.has_perm("oversight.add_agency"):
            raise PermissionDenied
        form = AgencyForm(request.POST)
        if form.is_valid():
            agency = form.save(commit=False)
            agency.added_by = request.user
            agency.save()
            record("sharing.allow_list_added", request=request, obj=agency, jurisdiction=agency.jurisdiction)
            messages.success(request, f"{agency} is on the allow-list.")
            return redirect("oversight:sharing")
    disclosures = Disclosure.objects.select_related("agency", "made_by")[:200] if request.user.has_perm("oversight.view_disclosure") else None
    return render(request, "oversight/sharing.html", {
        "form": form, "agencies": Agency.objects.annotate(exports=Count("disclosures")), "disclosures": disclosures,
    })


@require_http_methods(["GET", "POST"])
@permission_required("oversight.export_case", raise_exception=True)
def export(request):
    form = ExportForm(request.POST or None, initial={"case_number": request.GET.get("case", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disclosure, payload = export_case(data["case_number"], data["agency"], data["legal_standard"],
                                              data["legal_reference"], data["purpose"], user=request.user, request=request)
        except OversightError as e:
            form.add_error(None, str(e))
        else:
            response = HttpResponse(payload, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="case-{disclosure.case_number}-export-{disclosure.pk}.zip"'
            return response
    return render(request, "oversight/export.html", {"form": form}, status=400 if form.errors else 200)
