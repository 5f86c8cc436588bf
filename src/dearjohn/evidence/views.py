from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Capture


def visible_captures(user):
    """Officers see what they sent; people who may view all captures see all."""
    if user.has_perm("evidence.view_capture"):
        return Capture.objects.all()
    if user.has_perm("evidence.add_capture"):
        return Capture.objects.filter(uploaded_by=user)
    raise PermissionDenied


def capture_list(request):
    captures = visible_captures(request.user).select_related("camera", "uploaded_by")
    page = Paginator(captures, 50).get_page(request.GET.get("page"))
    return render(request, "evidence/capture_list.html", {"page": page})
