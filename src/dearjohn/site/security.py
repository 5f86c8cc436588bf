"""Response headers that Django's SecurityMiddleware does not set: CSP, Permissions-Policy, no caching of staff pages.

The Content-Security-Policy allows scripts and styles only from our own
static files, so an injected <script> or inline handler does not run; pages
must keep their JavaScript in static files (no inline <script>, no on*=
attributes, no javascript: URLs).
"""

from django.conf import settings


def policy_header(directives):
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        conf = settings.DEARJOHN["SECURITY_HEADERS"]
        self.csp = policy_header(conf["CSP"])
        self.permissions = conf["PERMISSIONS_POLICY"]

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            # Staff pages show criminal-justice information: keep them out of shared and browser caches.
            response.headers["Cache-Control"] = "no-store, private"
        return response
