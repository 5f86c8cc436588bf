"""Security keys (WebAuthn passkeys) as an extra second factor, on django-otp-webauthn.

The package does the WebAuthn ceremonies (py_webauthn) and ships the browser
scripts (static files, so the strict CSP holds). These views narrow its own:

- registering a key needs a session signed in with both factors, and writes
  `auth.mfa_key_added` to the audit log; the person names the key on the
  security page (views.security_keys);
- signing in with a key is only ever the second step after the password (the
  package's passwordless sign-in is off), and finishes exactly like a code from
  the authenticator app (mfa._complete: new session key, the device in the
  session, failures forgotten, `auth.mfa_verified` with method "security key");
- an answer from a key that does not verify counts toward the account lockout
  like a wrong code (`auth.mfa_failed` with step "security key"). A prompt the
  person cancels never reaches the server and counts for nothing, as a code
  never typed does.
"""

import logging

from django.http import JsonResponse
from django.middleware import csrf
from django.shortcuts import resolve_url
from django.urls import reverse
from django_otp_webauthn import exceptions
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from . import mfa

# Why py_webauthn refused an answer (wrong origin, bad signature...), for whoever reads the server log.
log = logging.getLogger("django_otp_webauthn")


class KeyNotVerified(exceptions.OTPWebAuthnApiError):
    status_code = 422
    default_detail = "The security key's answer could not be verified. Try again, or type a code instead."
    default_code = "invalid_authentication_response"


class Locked(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_code = "locked_out"


class NotFullySignedIn(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Sign in with your authenticator app first, then add a security key."
    default_code = "user_not_verified"


def script_config(request):
    """What the package's scripts read from the page (a JSON data block, not a script)."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("accounts:key_verify_begin"),
        "completeAuthenticationUrl": reverse("accounts:key_verify_complete"),
        "beginRegistrationUrl": reverse("accounts:key_add_begin"),
        "completeRegistrationUrl": reverse("accounts:key_add_complete"),
    }


class _FullySignedIn:
    """Adding a key needs both factors already (the middleware sends others to the second step too)."""

    def check_can_register(self):
        if not self.request.user.is_verified():
            raise NotFullySignedIn()


class AddKeyBegin(_FullySignedIn, BeginCredentialRegistrationView):
    pass


class AddKeyComplete(_FullySignedIn, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        state = self.get_state()
        with rewrite_exceptions(logger=log):
            key = self.get_helper().register_complete(user=self.request.user, state=state, data=self.request.data)
        mfa.key_added(self.request, key)
        return JsonResponse({"id": key.pk, "name": key.name})


def _refuse_if_locked(request):
    """A locked account gets no key challenge and no key sign-in, as it gets no code check."""
    try:
        mfa.refuse_if_locked(request)
    except mfa.LockedOut as e:
        raise Locked(detail=str(e)) from None


class VerifyKeyBegin(BeginCredentialAuthenticationView):
    def check_can_authenticate(self):
        _refuse_if_locked(self.request)
        if not mfa.has_security_key(self.request.user):
            raise exceptions.CredentialNotFound(detail="This account has no security key; type a code instead.")


class VerifyKeyComplete(CompleteCredentialAuthenticationView):
    def check_can_authenticate(self):
        _refuse_if_locked(self.request)

    def get_success_url(self):
        from .views import _next

        return resolve_url(_next(self.request))

    def complete_auth(self, key):
        mfa.key_verified(self.request, key)

    def post(self, *args, **kwargs):
        user = self.request.user
        state = self.get_state()  # no challenge given out: nothing was tried, nothing counted
        try:
            with rewrite_exceptions(logger=log):
                key = self.get_helper().authenticate_complete(user=user, state=state, data=self.request.data)
            self.check_device_usable(key)
        except (exceptions.OTPWebAuthnApiError, ValueError, KeyError, TypeError) as e:
            try:
                mfa.key_failed(self.request)
            except mfa.LockedOut as locked:
                raise Locked(detail=str(locked)) from None
            if isinstance(e, exceptions.OTPWebAuthnApiError) and e.status_code != 422:
                raise  # a key that is not this person's, or disabled: the package's words say so
            raise KeyNotVerified() from None
        self.complete_auth(key)
        return JsonResponse(self.get_success_data(key))
