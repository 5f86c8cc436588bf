"""Writes the audit log. Every app records through `record()`, so entries look alike."""

from .models import AuditEvent


def record(action, *, user=None, obj=None, purpose="", request=None, **detail):
    """Append one entry. `user` may be None for the system or the public."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        purpose=purpose,
        detail=detail,
        remote_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )
