from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import AuditEvent


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
