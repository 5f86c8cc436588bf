"""The camera push API: a camera sends what it captured with its own token.

Token-authenticated, so it needs no session, no sign-in and no CSRF token;
everything else about the file goes through `intake.accept()` like any
other way in. Answers are JSON; the OpenAPI description is openapi.json.
"""

import json
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from . import intake
from .errors import EvidenceError
from .models import Camera, Capture, SourceKind
from .views import _oversize_errors

OPENAPI = Path(__file__).with_name("openapi.json")


def _error(message, status, **headers):
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _camera_reads(raw):
    """The camera's own reads, checked for shape: [{"text": "7ABC123", "confidence": 0.91}, ...]."""
    if not raw:
        return []
    try:
        reads = json.loads(raw)
    except ValueError:
        raise EvidenceError("plates must be a JSON list, e.g. [{\"text\": \"7ABC123\", \"confidence\": 0.9}].") from None
    if not isinstance(reads, list) or len(reads) > 20 or not all(isinstance(r, dict) and isinstance(r.get("text"), str) for r in reads):
        raise EvidenceError("plates must be a list of at most 20 objects, each with a text.")
    return [{"text": r["text"][:12], **({"confidence": float(r["confidence"])} if isinstance(r.get("confidence"), (int, float)) else {})}
            for r in reads]


@csrf_exempt
@login_not_required
def camera_captures(request, pk):
    if request.method != "POST":
        return _error("Use POST to send a capture.", 405, Allow="POST")
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    camera = Camera.objects.filter(pk=pk).first()
    if camera is None or not camera.token_matches(token):
        return _error("Missing or wrong camera token; send 'Authorization: Bearer <token>'.", 401, WWW_Authenticate="Bearer")
    if not camera.is_active:
        return _error("This camera is switched off in Dear John; a supervisor can switch it back on.", 403)
    oversized = _oversize_errors(request)
    if oversized:
        return _error(oversized[0]["error"], 413)
    upload = request.FILES.get("file")
    if upload is None:
        return _error("Send the photo or video as multipart/form-data field 'file'.", 400)
    taken_at = None
    if request.POST.get("taken_at"):
        taken_at = parse_datetime(request.POST["taken_at"])
        if taken_at is None or taken_at.tzinfo is None:
            return _error("taken_at must be ISO 8601 with a UTC offset, e.g. 2026-11-20T22:15:00-08:00.", 400)
    try:
        accepted = intake.accept(
            upload, source_kind=SourceKind.CAMERA, filename=upload.name, camera=camera,
            remote_address=request.META.get("REMOTE_ADDR"), taken_at=taken_at,
            taken_at_source=Capture.TimeSource.CAMERA, camera_reads=_camera_reads(request.POST.get("plates")))
    except EvidenceError as e:
        return _error(str(e), 400)
    capture = accepted.capture
    return JsonResponse({
        "capture": capture.pk, "sha256": capture.sha256, "duplicate": accepted.duplicate,
        "media_kind": capture.media_kind, "taken_at": capture.taken_at.isoformat(),
        "taken_at_source": capture.taken_at_source, "status": capture.status,
        "url": request.build_absolute_uri(reverse("evidence:capture_detail", args=[capture.pk])),
    }, status=200 if accepted.duplicate else 201)


@login_not_required
@require_GET
def openapi(request):
    spec = json.loads(OPENAPI.read_text())
    spec["servers"] = [{"url": request.build_absolute_uri("/")[:-1]}]
    return JsonResponse(spec)
