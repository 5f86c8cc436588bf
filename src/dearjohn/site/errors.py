"""Error answers: the same few words for everyone, never a stack trace, JSON for the API.

An answer must not tell an outsider whether a reference, plate or person
exists, so every "not found" and "not allowed" reads the same wherever it
comes from.
"""

import errno
import logging

from django.http import JsonResponse
from django.shortcuts import render

log = logging.getLogger("dearjohn.site")

MESSAGES = {
    400: "Request not understood.",
    403: "Not allowed.",
    404: "Not found.",
    413: "Too large.",
    429: "Too many requests.",
    507: "Storage full; nothing was kept. Try again later.",
    500: "Something went wrong.",
}


def wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def error_response(request, status, context=None, template=None):
    if wants_json(request):
        return JsonResponse({"error": MESSAGES[status], **({} if not context else {k: v for k, v in context.items() if k == "retry_after"})},
                            status=status)
    return render(request, template or f"{status}.html", context or {}, status=status)


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    if wants_json(request):
        return JsonResponse({"error": MESSAGES[500]}, status=500)
    from django.template import loader
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    return error_response(request, 403, template="403_csrf.html")


class StorageFullMiddleware:
    """A full disk refuses the request cleanly (507) instead of a server error; the site keeps serving.

    Whatever was half-written is cleaned up by the code that wrote it (intake
    removes its temporary file); here the person or camera gets a plain answer
    and the operator a log line.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OSError) and exception.errno in (errno.ENOSPC, errno.EDQUOT):
            log.error("storage full while answering %s %s: %s", request.method, request.path, exception)
            return error_response(request, 507)
        return None
