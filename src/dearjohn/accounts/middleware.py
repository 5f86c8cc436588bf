"""Every staff page needs both factors: a password-only session reaches nothing but the MFA steps."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .mfa import has_second_factor


def mfa_exempt(view):
    """Mark a view a password-only session may open (the MFA steps themselves, sign-out)."""
    view.mfa_exempt = True
    return view


class RequireMFAMiddleware:
    """Sends a signed-in but not yet verified person to verify (or to set up) their second factor.

    Public pages (marked login_not_required) stay open to everyone; the Django
    admin marks its views that way too, so it is never treated as public here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "mfa_exempt", False):
            return None
        in_admin = "admin" in (request.resolver_match.namespaces if request.resolver_match else [])
        if getattr(view_func, "login_required", True) is False and not in_admin:
            return None
        step = "accounts:verify" if has_second_factor(user) else "accounts:enrol"
        return redirect_to_login(request.get_full_path(), reverse(step))
