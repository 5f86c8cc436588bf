"""Lockouts and sign-outs as they concern sign-in security.

Sign-ins and failed sign-ins are recorded by oversight/signals.py; lockouts
and MFA changes are recorded here and in mfa.py.
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from dearjohn.oversight.audit import record

from . import sessions


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    record("auth.locked_out", request=request, attempted_username=str(username or "")[:150],
           minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.forget(request.session.session_key)
