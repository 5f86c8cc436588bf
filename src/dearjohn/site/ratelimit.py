"""Per-address rate limits for the public surface, shared by every app.

Two ways to use it: list a URL name in settings.DEARJOHN["RATE_LIMITS"] (the
middleware applies it before the view runs, and before the body is read), or
call `check(request, scope, count, seconds)` / decorate a view with
`@rate_limited(scope, count, seconds)`. Counts of requests that change
something or guard a secret (POST and the like) live in the database (fixed
windows), so every worker and server shares them; page views (GET) are
counted in each worker's memory. Addresses are hashed with the secret key
before they are stored.
"""

import functools
import ipaddress
import random
import threading
import time

from django.conf import settings
from django.db import connection
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


def check(request, scope, count, seconds, shared=True):
    """Count this request; raise RateLimited when the address made more than `count` in the window.

    `shared` counts in the database, across every worker and server (for
    anything that guards a secret or changes data); otherwise the count is
    kept in this worker's memory, which costs nothing and is enough to stop a
    flood of page views (the effective limit is then per worker process).
    """
    now = int(time.time())
    window = now - now % seconds
    key = salted_hmac("dearjohn.ratelimit", f"{scope}|{client_address(request)}").hexdigest()
    hits = _count_shared(key, window, now) if shared else _count_local(key, window)
    if hits > count:
        raise RateLimited(window + seconds - now)


def _count_shared(key, window, now):
    q = connection.ops.quote_name
    table, k, w, h = q(RateCounter._meta.db_table), q("key"), q("window_start"), q("hits")
    with connection.cursor() as cursor:  # one statement: SQLite 3.35+ and PostgreSQL both upsert with RETURNING
        cursor.execute(f"INSERT INTO {table} ({k}, {w}, {h}) VALUES (%s, %s, 1) "
                       f"ON CONFLICT ({k}, {w}) DO UPDATE SET {h} = {table}.{h} + 1 RETURNING {h}",
                       [key, window])
        hits = cursor.fetchone()[0]
    if random.random() < 0.002:
        RateCounter.objects.filter(window_start__lt=now - 86400).delete()
    return hits


_local = {}
_local_lock = threading.Lock()


def _count_local(key, window):
    with _local_lock:
        seen_window, hits = _local.get(key, (window, 0))
        hits = hits + 1 if seen_window == window else 1
        _local[key] = (window, hits)
        if len(_local) > 50_000:
            for stale in [k for k, (w, _) in _local.items() if w < window]:
                del _local[stale]
        return hits


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
                    check(request, scope, count, seconds, shared=request.method not in ("GET", "HEAD"))
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
                    check(request, f"{name}:{methods}", count, seconds, shared=request.method not in ("GET", "HEAD"))
                except RateLimited as e:
                    return too_many(request, e.retry_after)
        return self.get_response(request)
