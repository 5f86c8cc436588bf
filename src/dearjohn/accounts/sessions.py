"""One active session per person unless an Administrator allows more (CJIS: concurrent session control)."""

from importlib import import_module

from django.conf import settings

from dearjohn.oversight.audit import record

from .models import SignInPolicy, StaffSession


def _store(key=None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def claim(request):
    """Make this session the person's; end their other sessions unless they may hold several."""
    user = request.user
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    others = StaffSession.objects.filter(user=user).exclude(session_key=key)
    if SignInPolicy.objects.filter(user=user, allow_several_sessions=True).exists():
        stale = [s.session_key for s in others if not _store().exists(s.session_key)]
        StaffSession.objects.filter(session_key__in=stale).delete()
    else:
        ended = _end(others)
        if ended:
            record("auth.sessions_ended", user=user, request=request, count=ended, reason="signed in on another device")
    StaffSession.objects.get_or_create(session_key=key, defaults={"user": user})


def end_all(user):
    return _end(StaffSession.objects.filter(user=user))


def forget(session_key):
    if session_key:
        StaffSession.objects.filter(session_key=session_key).delete()


def _end(queryset):
    keys = list(queryset.values_list("session_key", flat=True))
    live = 0
    for key in keys:
        store = _store(key)
        if store.exists(key):
            live += 1
            store.delete(key)
    StaffSession.objects.filter(session_key__in=keys).delete()
    return live


def idle_seconds():
    return settings.SESSION_COOKIE_AGE
