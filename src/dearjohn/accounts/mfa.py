"""Second factors for staff: an authenticator app (TOTP), single-use recovery codes and,
as an extra option, security keys (WebAuthn passkeys, django-otp-webauthn; see keys.py).

django-otp does the cryptography and throttling; this module decides when a
session counts as fully signed in and writes every change to the audit log.
"""

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as reset_failures
from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from dearjohn.oversight.audit import record

from . import sessions

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
KEY_NAME_LENGTH = 64  # django-otp's Device.name


class SignInError(Exception):
    """A sign-in step the person can retry or act on; the message is for them."""


class LockedOut(SignInError):
    """Too many failed attempts: the session was ended and the account is locked."""


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def security_keys(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "id")


def has_security_key(user):
    return security_keys(user).exists()


def pending_device(user):
    """The authenticator being set up: the same key across page reloads until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_for_typing(device):
    """The key in the base32 form authenticator apps accept when the QR code cannot be scanned."""
    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, omitsize=True)


def current_code(device):
    """The code an authenticator app shows right now (for the demo command and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def new_recovery_codes(user, request=None, reason="regenerated"):
    """Replace every recovery code with a fresh set; returns the codes (shown to the person once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.DEARJOHN["SIGN_IN"]["RECOVERY_CODES"])]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record("auth.mfa_recovery_codes_issued", user=user, request=request, count=len(codes), reason=reason)
    return codes


def confirm_enrolment(request, token):
    """Finish setting up the authenticator with a first correct code; returns new recovery codes."""
    user = request.user
    if has_second_factor(user):
        raise SignInError("An authenticator is already set up for this account; sign in with it.")
    device = pending_device(user)
    if not device.verify_token(_cleaned(token)):
        _count_failure(request, "enrolment")
        raise SignInError("That code did not match. Check the time on your phone and type the six digits the app shows now.")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    record("auth.mfa_enrolled", user=user, request=request, device=device.name)
    codes = new_recovery_codes(user, request, reason="enrolment")
    _complete(request, device, method="enrolment")
    return codes


def verify(request, token):
    """Accept a code from the authenticator app or an unused recovery code, or count a failure."""
    user = request.user
    refuse_if_locked(request)
    throttled = [d for d in TOTPDevice.objects.filter(user=user, confirmed=True) if not d.verify_is_allowed()[0]]
    device = match_token(user, _cleaned(token))
    if device is None:
        _count_failure(request, "code")
        if throttled:
            raise SignInError("Too many wrong codes in a row. Wait a minute, then type the code your app shows now.")
        raise SignInError("That code did not match. Type the six digits your authenticator app shows now, or one of your recovery codes.")
    method = "recovery code" if isinstance(device, StaticDevice) else "authenticator app"
    _complete(request, device, method=method)
    if isinstance(device, StaticDevice):
        left = StaticToken.objects.filter(device=device).count()
        record("auth.mfa_recovery_code_used", user=user, request=request, codes_left=left)
    return device


def refuse_if_locked(request):
    """A locked account gets no second step: the session ends (raises LockedOut)."""
    if AxesProxyHandler.is_locked(request, {"username": request.user.get_username()}):
        _end_locked_session(request)


def key_verified(request, key):
    """A security key answered the sign-in challenge: the session counts as fully signed in."""
    _complete(request, key, method="security key")


def key_failed(request):
    """A key's answer did not verify: counted like a wrong code (raises LockedOut at the limit)."""
    _count_failure(request, "security key")


def key_added(request, key):
    """Record a newly registered key under a numbered name; the person names it next (rename_key)."""
    user = request.user
    key.name = f"Security key {security_keys(user).exclude(pk=key.pk).count() + 1}"
    key.save(update_fields=["name"])
    record("auth.mfa_key_added", user=user, request=request, key=key.name, key_id=key.pk)
    return key


def rename_key(request, key_id, name):
    """Give one of the person's own keys a name; an empty name keeps the one it has."""
    key = security_keys(request.user).filter(pk=key_id).first()
    name = _key_name(name)
    if key is None or not name or name == key.name:
        return key
    old, key.name = key.name, name
    key.save(update_fields=["name"])
    record("auth.mfa_key_renamed", user=request.user, request=request, key=key.name, previous=old, key_id=key.pk)
    return key


def remove_key(request, key_id):
    """Remove one of the person's own keys; returns its name, or None when it is not theirs."""
    key = security_keys(request.user).filter(pk=key_id).first()
    if key is None:
        return None
    name = key.name
    key.delete()
    record("auth.mfa_key_removed", user=request.user, request=request, key=name, key_id=key_id)
    return name


def reset(user, *, by, request=None):
    """Remove every second factor of `user`: they set up a new authenticator at their next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        WebAuthnCredential.objects.filter(user=user).delete()
    ended = sessions.end_all(user)
    record("auth.mfa_reset", user=by, obj=user, request=request, account=user.get_username(), sessions_ended=ended)


def _key_name(name):
    return " ".join(str(name or "").split())[:KEY_NAME_LENGTH]


def _cleaned(token):
    """Codes are typed with spaces and in either case; recovery codes are stored in lower case."""
    return "".join(str(token).split()).lower()


def _complete(request, device, method):
    """Both factors are in: a new session key, the device in the session, failures forgotten."""
    request.session.cycle_key()
    otp_login(request, device)
    reset_failures(username=request.user.get_username())
    sessions.claim(request)
    record("auth.mfa_verified", user=request.user, request=request, method=method)


def _count_failure(request, step):
    """A wrong second factor counts toward the same lockout as a wrong password."""
    user = request.user
    record("auth.mfa_failed", user=user, request=request, step=step)
    credentials = {"username": user.get_username()}
    AxesProxyHandler.user_login_failed(sender=verify, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(request, credentials):
        _end_locked_session(request)


def _end_locked_session(request):
    logout(request)
    raise LockedOut("This account is locked after too many failed attempts. Try again later or ask an Administrator to release it.")
