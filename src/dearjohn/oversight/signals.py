"""Sign-ins and sign-outs go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    record("auth.sign_in", user=user, request=request)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.sign_out", user=user, request=request)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    record("auth.sign_in_failed", request=request, attempted_username=str(credentials.get("username", ""))[:150])
