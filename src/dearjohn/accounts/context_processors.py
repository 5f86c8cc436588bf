from django.conf import settings


def idle_timeout(request):
    """What the idle-warning script needs: how long a session lasts and when to warn."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    sign_in = settings.DEARJOHN["SIGN_IN"]
    return {"idle_seconds": settings.SESSION_COOKIE_AGE, "idle_warning_seconds": sign_in["IDLE_WARNING_SECONDS"]}
