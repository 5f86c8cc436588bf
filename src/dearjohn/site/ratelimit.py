"""Per-address rate limits for the public surface, shared by every app.

Two ways to use it: list a URL name in settings.DEARJOHN["RATE_LIMITS"] (the
middleware applies it before the view runs, and before the body is read), or
call `check(request, scope, count, seconds)` / decorate a view with
`@rate_limited(scope, count, seconds)`. Counters live in the database (fixed
windows), so every worker and server shares them. Addresses are hashed with
the secret key before they are stored.
"""

import functools
import ipaddress
import random
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils.crypto import salted_hmac

from .errors import error_response
from .models import RateCounter


class RateLimited(Exception):
    def __init__(self, retry_after):
        super().__init__(f"Too many requests; try again in {retry_after} seconds.")
        self.retry_after = retry_after


def client_address(request):
    """The client's address; behind a trusted proxy (DEARJOHN_PROXY_IPS), the last address it forwarded for."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.DEARJOHN["PROXY_IPS"]
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in trusted and forwarded:
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if hop not in trusted:
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    break
    return remote


def check(request, scope, count, seconds):
    """Count this request; raise RateLimited when the address made more than `count` in the window."""
    now = int(time.time())
    window = now - now % seconds
    key = salted_hmac("dearjohn.ratelimit", f"{scope}|{client_address(request)}").hexdigest()
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key, window_start=window).update(hits=F("hits") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=window, hits=1)
            except IntegrityError:  # another worker created it a moment ago
                RateCounter.objects.filter(key=key, window_start=window).update(hits=F("hits") + 1)
        hits = RateCounter.objects.filter(key=key, window_start=window).values_list("hits", flat=True).first() or 0
    if random.random() < 0.005:
        RateCounter.objects.filter(window_start__lt=now - 86400).delete()
    if hits > count:
        raise RateLimited(window + seconds - now)


def too_many(request, retry_after):
    response = error_response(request, 429, {"retry_after": retry_after, "retry_after_minutes": max(1, -(-retry_after // 60))})
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope, count, seconds, methods=("POST",)):
    """View decorator: at most `count` requests per `seconds` from one address."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                try:
                    check(request, scope, count, seconds)
                except RateLimited as e:
                    return too_many(request, e.retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


class RateLimitMiddleware:
    """Applies settings.DEARJOHN["RATE_LIMITS"]: {url name: [(methods, count, seconds), ...]}."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.rules = settings.DEARJOHN["RATE_LIMITS"]

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        name = match.view_name if match else None
        for methods, count, seconds in self.rules.get(name, ()):
            if methods == "*" or request.method in methods:
                try:
                    check(request, f"{name}:{methods}", count, seconds)
                except RateLimited as e:
                    return too_many(request, e.retry_after)
        return self.get_response(request)
