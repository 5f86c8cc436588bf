import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dearjohn.oversight.audit import record as audit

from . import intake, jobs, reading, store, zones
from .errors import EvidenceError, IntegrityFailure
from .forms import PublicSubmissionForm, UploadForm
from .models import Capture, PlateRead, PublicSubmissionAttempt, SourceKind


def visible_captures(user):
    """Who sees which captures: all for those who may view captures; officers their own
    (anything they sent) and, if they verify public submissions, those too."""
    if user.has_perm("evidence.view_capture"):
        return Capture.objects.all()
    if user.has_perm("evidence.add_capture"):
        mine = Q(receipts__sender=user) | Q(uploaded_by=user)
        if user.has_perm("evidence.verify_capture"):
            mine |= Q(source_kind=SourceKind.PUBLIC)
        return Capture.objects.filter(pk__in=Capture.objects.filter(mine).values("pk"))
    raise PermissionDenied


def _capture_for(user, pk):
    return get_object_or_404(visible_captures(user), pk=pk)


def capture_list(request):
    captures = visible_captures(request.user).select_related("camera", "uploaded_by").annotate(read_count=Count("plate_reads")).order_by("-received_at", "-pk")
    show = request.GET.get("show", "")
    if show == "unverified":
        captures = captures.filter(source_kind=SourceKind.PUBLIC, verified_at__isnull=True)
    page = Paginator(captures, 50).get_page(request.GET.get("page"))
    return render(request, "evidence/capture_list.html", {"page": page, "show": show})


def capture_detail(request, pk):
    capture = _capture_for(request.user, pk)
    reads = capture.plate_reads.select_related("sighting__zone").order_by("frame_time_s", "-confidence")
    return render(request, "evidence/capture_detail.html", {
        "capture": capture, "reads": reads, "job": jobs.job_status(capture.read_job_id),
        "receipts": capture.receipts.select_related("camera", "sender"),
        "can_verify": (request.user.has_perm("evidence.verify_capture") and capture.source_kind == SourceKind.PUBLIC
                       and not capture.verified_at and not capture.integrity_failed_at),
    })


def capture_reads(request, pk):
    """What the upload page polls for: the job's state and, when done, the reads."""
    capture = _capture_for(request.user, pk)
    return JsonResponse({
        "status": capture.status, "status_display": capture.get_status_display(), "detail": capture.status_detail,
        "done": capture.status in (Capture.Status.READ, Capture.Status.FAILED),
        "outside_zones": capture.reads_outside_zones,
        "url": reverse("evidence:capture_detail", args=[capture.pk]),
        "reads": [{"text": r.text, "confidence": round(r.confidence, 3), "in_zone": hasattr(r, "sighting"),
                   "crop_url": reverse("evidence:read_crop", args=[r.pk]) if r.crop_path else ""}
                  for r in capture.plate_reads.all()],
    })


def capture_original(request, pk):
    """The original file, after re-checking its hash; a mismatch flags the capture and is refused."""
    capture = _capture_for(request.user, pk)
    if not capture.has_file:
        raise Http404("No original file is kept for this capture.")
    try:
        path = store.verified_path(capture)
    except IntegrityFailure as e:
        messages.error(request, str(e))
        return redirect("evidence:capture_detail", pk=capture.pk)
    audit("capture.viewed_original", request=request, obj=capture)
    return FileResponse(open(path, "rb"), content_type=capture.content_type, as_attachment=True,
                        filename=f"capture-{capture.pk}-{capture.sha256[:12]}")


def read_crop(request, pk):
    read = get_object_or_404(PlateRead.objects.select_related("capture"), pk=pk)
    _capture_for(request.user, read.capture_id)
    if not read.crop_path:
        raise Http404("No crop for this read.")
    return FileResponse(open(store.absolute(read.crop_path), "rb"), content_type="image/jpeg")


@require_POST
@permission_required("evidence.verify_capture", raise_exception=True)
def capture_verify(request, pk):
    capture = _capture_for(request.user, pk)
    if capture.source_kind != SourceKind.PUBLIC or capture.verified_at:
        messages.info(request, "This capture needs no verification.")
        return redirect("evidence:capture_detail", pk=capture.pk)
    try:
        made = reading.verify(capture, request.user, request=request)
    except IntegrityFailure as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"Verified as evidence; {made} sighting(s) added for review.")
    return redirect("evidence:capture_detail", pk=capture.pk)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _oversize_errors(request):
    limit = max(settings.DEARJOHN["INTAKE"]["MAX_IMAGE_BYTES"], settings.DEARJOHN["INTAKE"]["MAX_VIDEO_BYTES"])
    return [{"name": name, "ok": False, "error": f"This file is larger than the {limit / 1048576:,.0f} MB limit."}
            for name in getattr(request, "oversized_uploads", [])]


@permission_required("evidence.add_capture", raise_exception=True)
def upload(request):
    """Officers send several photos or videos at once; each file succeeds or fails on its own."""
    form = UploadForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, "evidence/upload.html", {"form": form})
    files = request.FILES.getlist("files")
    if not form.is_valid() or not (files or getattr(request, "oversized_uploads", None)):
        error = "; ".join(e for errors in form.errors.values() for e in errors) or "Choose at least one photo or video."
        if _wants_json(request):
            return JsonResponse({"error": error}, status=400)
        return render(request, "evidence/upload.html", {"form": form, "error": error}, status=400)
    results = _oversize_errors(request)
    data = form.cleaned_data
    for upload_file in files:
        try:
            accepted = intake.accept(
                upload_file, source_kind=SourceKind.OFFICER, filename=upload_file.name, sender=request.user,
                remote_address=request.META.get("REMOTE_ADDR"), taken_at=data["taken_at"],
                latitude=data["latitude"], longitude=data["longitude"], note=data["note"],
                require_time=True, request=request)
        except EvidenceError as e:
            results.append({"name": upload_file.name, "ok": False, "error": str(e)})
            continue
        capture = accepted.capture
        results.append({
            "name": upload_file.name, "ok": True, "duplicate": accepted.duplicate, "capture": capture.pk,
            "url": reverse("evidence:capture_detail", args=[capture.pk]),
            "reads_url": reverse("evidence:capture_reads", args=[capture.pk]),
            "taken_at": timezone.localtime(capture.taken_at).strftime("%Y-%m-%d %H:%M"),
            "taken_at_source": capture.get_taken_at_source_display(),
        })
    if _wants_json(request):
        return JsonResponse({"files": results})
    return render(request, "evidence/upload.html", {"form": UploadForm(), "results": results})


def _address_key(request):
    """A keyed hash of the sender's address: enough to count tries, useless to identify anyone."""
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _over_public_limit(request):
    hour_ago = timezone.now() - timedelta(hours=1)
    PublicSubmissionAttempt.objects.filter(at__lt=hour_ago).delete()
    key = _address_key(request)
    if PublicSubmissionAttempt.objects.filter(address_key=key).count() >= settings.DEARJOHN["INTAKE"]["PUBLIC_SUBMISSIONS_PER_HOUR"]:
        return True
    PublicSubmissionAttempt.objects.create(address_key=key)
    return False


@login_not_required
def submit(request):
    """The public page. Anonymous: no account, no address kept; nothing it received is shown back."""
    form = PublicSubmissionForm(*(request.POST, request.FILES) if request.method == "POST" else ())
    if request.method != "POST":
        return render(request, "evidence/submit.html", {"form": form})
    if _over_public_limit(request):
        limit = settings.DEARJOHN["INTAKE"]["PUBLIC_SUBMISSIONS_PER_HOUR"]
        form.add_error(None, f"You have sent {limit} submissions in the last hour, the most we take from one connection; please try again later.")
        return render(request, "evidence/submit.html", {"form": form}, status=429)
    if getattr(request, "oversized_uploads", None):
        form.add_error("file", _oversize_errors(request)[0]["error"])
    if form.is_valid():
        data = form.cleaned_data
        where = zones.inside_point(data["zone"]) if data["zone"] else (None, None)
        try:
            intake.accept(data["file"], source_kind=SourceKind.PUBLIC, filename=data["file"].name,
                          taken_at=data["taken_at"], latitude=where[0], longitude=where[1],
                          note=data["note"], require_time=True)  # no request: the audit log keeps no address
        except EvidenceError as e:
            form.add_error("taken_at" if "no time" in str(e) else "file", str(e))
        else:
            return render(request, "evidence/submit_done.html")
    return render(request, "evidence/submit.html", {"form": form}, status=400)
