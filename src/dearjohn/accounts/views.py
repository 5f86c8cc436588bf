from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as reset_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticToken

from dearjohn.oversight.audit import record

from . import keys, mfa
from .middleware import mfa_exempt
from .models import SignInPolicy


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@mfa_exempt
@require_http_methods(["GET", "POST"])
def enrol(request):
    """First sign-in: set up an authenticator app; the page shows the key as a QR code and as text."""
    if request.user.is_verified():
        return redirect(_next(request))
    if mfa.has_second_factor(request.user):
        return redirect_to_login(_next(request), reverse("accounts:verify"))
    device = mfa.pending_device(request.user)
    error = None
    if request.method == "POST":
        try:
            codes = mfa.confirm_enrolment(request, request.POST.get("code", ""))
        except mfa.LockedOut as e:
            return render(request, "accounts/locked.html", {"message": str(e)}, status=429)
        except mfa.SignInError as e:
            error = str(e)
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request), "first_time": True})
    return render(request, "accounts/enrol.html", {
        "qr_svg": mfa.qr_svg(device), "secret": mfa.secret_for_typing(device), "error": error, "next": _next(request),
    }, status=400 if error else 200)


@mfa_exempt
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second sign-in step: a code from the authenticator app, or a recovery code."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not mfa.has_second_factor(request.user):
        return redirect_to_login(_next(request), reverse("accounts:enrol"))
    error = None
    if request.method == "POST":
        try:
            mfa.verify(request, request.POST.get("code", ""))
        except mfa.LockedOut as e:
            return render(request, "accounts/locked.html", {"message": str(e)}, status=429)
        except mfa.SignInError as e:
            error = str(e)
        else:
            return redirect(_next(request))
    has_key = mfa.has_security_key(request.user)
    return render(request, "accounts/verify.html", {
        "error": error, "next": _next(request), "has_key": has_key,
        "key_config": keys.script_config(request) if has_key else None,
    }, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """A person's own second factors: recovery codes left (a fresh set on request) and security keys."""
    if request.method == "POST":
        codes = mfa.new_recovery_codes(request.user, request)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": settings.LOGIN_REDIRECT_URL})
    left = StaticToken.objects.filter(device__user=request.user).count()
    return render(request, "accounts/security.html", {
        "codes_left": left, "keys": mfa.security_keys(request.user), "key_config": keys.script_config(request),
        "key_name_length": mfa.KEY_NAME_LENGTH,
    })


@require_POST
def security_keys(request):
    """Name a key just added (the page's script sends this once the browser registered it) or remove one."""
    action = request.POST.get("action")
    try:
        key_id = int(request.POST.get("key", ""))
    except ValueError:
        key_id = None
    if action == "name" and key_id is not None and (key := mfa.rename_key(request, key_id, request.POST.get("name", ""))):
        messages.success(request, f'Security key "{key.name}" added: use it at the second step when you sign in.')
    elif action == "remove" and key_id is not None and (name := mfa.remove_key(request, key_id)) is not None:
        messages.success(request, f'Security key "{name}" removed; it no longer signs you in.')
    else:
        messages.error(request, "Choose one of your security keys.")
    return redirect("accounts:recovery_codes")


@require_GET
def keepalive(request):
    """The idle warning's "Stay signed in" button: any request renews the session."""
    return HttpResponse(status=204)


def _locked_usernames():
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
               .values_list("username", flat=True))


@permission_required("accounts.manage_sign_in", raise_exception=True)
@require_GET
def staff(request):
    """Administrators: who is locked out, who has a second factor, who may hold several sessions."""
    locked = _locked_usernames()
    people = get_user_model().objects.filter(is_active=True).order_by("username").prefetch_related("groups")
    several = set(SignInPolicy.objects.filter(allow_several_sessions=True).values_list("user_id", flat=True))
    enrolled = set(mfa.TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = [{"user": u, "locked": u.get_username() in locked, "enrolled": u.pk in enrolled, "several": u.pk in several}
            for u in people]
    return render(request, "accounts/staff.html", {"rows": rows, "lockout_minutes": int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1))})


@permission_required("accounts.manage_sign_in", raise_exception=True)
@require_POST
def staff_action(request):
    person = get_user_model().objects.filter(username=request.POST.get("username", "")).first()
    action = request.POST.get("action")
    if person is None or action not in ("release", "reset_mfa", "allow_several", "allow_one"):
        messages.error(request, "Choose an account and an action from the list.")
        return redirect("accounts:staff")
    name = person.get_username()
    if action == "release":
        released = reset_failures(username=name)
        record("auth.lockout_released", user=request.user, obj=person, request=request, account=name, attempts_cleared=released)
        messages.success(request, f"{name} can sign in again.")
    elif action == "reset_mfa":
        mfa.reset(person, by=request.user, request=request)
        messages.success(request, f"{name} will set up a new authenticator at their next sign-in.")
    else:
        several = action == "allow_several"
        SignInPolicy.objects.update_or_create(user=person, defaults={"allow_several_sessions": several, "changed_by": request.user})
        record("auth.session_policy_changed", user=request.user, obj=person, request=request, account=name, allow_several_sessions=several)
        messages.success(request, f"{name} may now hold {'several sessions' if several else 'one session'} at a time.")
    return redirect("accounts:staff")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account; the same words whether or not the name exists."""
    minutes = int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1))
    if request.content_type == "application/json":  # the security-key script: it shows `detail`
        return JsonResponse({"detail": f"Too many failed sign-in attempts. This account is locked for {minutes} minutes; "
                                       "try again later or ask an Administrator to release it.", "code": "locked_out"}, status=429)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
