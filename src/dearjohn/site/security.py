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
        self.svg_csp = policy_header(conf["SVG_CSP"])
        self.permissions = conf["PERMISSIONS_POLICY"]

    def __call__(self, request):
        response = self.get_response(request)
        # An SVG opened on its own is a document under its own policy: the page policy
        # would block its inline styles and draw a chart as a black rectangle.
        is_svg = response.headers.get("Content-Type", "").startswith("image/svg+xml")
        response.headers.setdefault("Content-Security-Policy", self.svg_csp if is_svg else self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            # Staff pages show criminal-justice information: keep them out of shared and browser caches.
            response.headers["Cache-Control"] = "no-store, private"
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is larger than its page accepts, before anything reads the body.

    Limits come from settings.DEARJOHN["BODY_LIMITS"] by URL name, with a
    default for every other page; the intake's own checks still apply after.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limits = settings.DEARJOHN["BODY_LIMITS"]

    def __call__(self, request):
        from django.urls import Resolver404, resolve

        from .errors import error_response

        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return error_response(request, 400)
        if length > self.limits["default"] or length > 1_000_000:
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = None
            limit = self.limits.get(name, self.limits["default"])
            if length > limit:
                response = error_response(request, 413, {"limit_mb": max(1, limit // (1024 * 1024))})
                response["Connection"] = "close"
                return response
        return self.get_response(request)


class TrustedProxyMiddleware:
    """Behind the department's reverse proxy, REMOTE_ADDR becomes the visitor's address.

    Every per-address count (rate limits, failed reference look-ups, public
    submissions, sign-in lockout) and the audit log read REMOTE_ADDR; behind a
    proxy that is the proxy itself, so one visitor's failures would block all.
    Only X-Forwarded-For added by an address in DEARJOHN_PROXY_IPS is believed;
    the proxy's own address is kept in META["DEARJOHN_PROXY_ADDR"].
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .ratelimit import client_address

        remote = request.META.get("REMOTE_ADDR", "")
        client = client_address(request)
        if client != remote:
            request.META["DEARJOHN_PROXY_ADDR"] = remote
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
