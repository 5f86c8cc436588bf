from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dearjohn.oversight.audit import record as audit

from .forms import CameraForm
from .models import Camera, ForgottenWriting, plate_key


@permission_required("evidence.view_camera", raise_exception=True)
def camera_list(request):
    return render(request, "evidence/camera_list.html", {
        "cameras": Camera.objects.select_related("zone"),
        "silent_hours": settings.DEARJOHN["INTAKE"]["CAMERA_SILENT_HOURS"]})


def _show_token(request, camera, token):
    """The token is on this page once; only its hash is stored."""
    url = request.build_absolute_uri(reverse("evidence:api_camera_captures", args=[camera.pk]))
    return render(request, "evidence/camera_token.html", {"camera": camera, "token": token, "api_url": url})


@permission_required("evidence.add_camera", raise_exception=True)
def camera_create(request):
    form = CameraForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        camera = form.save(commit=False)
        token = camera.issue_token()
        camera.save()
        audit("camera.created", request=request, obj=camera)
        return _show_token(request, camera, token)
    return render(request, "evidence/camera_form.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("evidence.change_camera", raise_exception=True)
def camera_edit(request, pk):
    camera = get_object_or_404(Camera, pk=pk)
    form = CameraForm(request.POST or None, instance=camera)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit("camera.changed", request=request, obj=camera, changed=form.changed_data)
        messages.success(request, f"Camera “{camera.name}” saved.")
        return redirect("evidence:camera_list")
    return render(request, "evidence/camera_form.html", {
        "form": form, "camera": camera, "not_plates": sorted(camera.writing_not_plates().items()),
        "not_a_plate_after": settings.DEARJOHN["INTAKE"]["NOT_A_PLATE_AFTER"]}, status=400 if form.errors else 200)


@require_POST
@permission_required("evidence.change_camera", raise_exception=True)
def camera_token(request, pk):
    camera = get_object_or_404(Camera, pk=pk)
    token = camera.issue_token()
    camera.save(update_fields=["api_token_hash"])
    audit("camera.token_issued", request=request, obj=camera)
    return _show_token(request, camera, token)


@require_POST
@permission_required("evidence.change_camera", raise_exception=True)
def camera_forget_writing(request, pk):
    """The camera's reads of a text make sightings again, until reviewers reject it as not a plate anew."""
    camera = get_object_or_404(Camera, pk=pk)
    key = plate_key(request.POST.get("plate_key", ""))
    if key not in camera.writing_not_plates():
        messages.error(request, "That text is not on this camera's list of writing that is not a plate.")
        return redirect("evidence:camera_edit", pk=camera.pk)
    ForgottenWriting.objects.create(camera=camera, plate_key=key, forgotten_by=request.user)
    audit("camera.writing_forgotten", request=request, obj=camera, plate_key=key)
    messages.success(request, f"{camera.name} has forgotten {key}: its reads of it make sightings again.")
    return redirect("evidence:camera_edit", pk=camera.pk)
