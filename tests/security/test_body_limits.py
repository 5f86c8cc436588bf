"""Bodies larger than a page accepts are refused from Content-Length alone, before anything reads them."""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse


class Untouchable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def send(path, length, method="POST", **environ):
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(WSGIHandler()({
        "REQUEST_METHOD": method, "PATH_INFO": path, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.input": Untouchable(), "wsgi.url_scheme": "http",
        "CONTENT_TYPE": "multipart/form-data; boundary=x", "CONTENT_LENGTH": str(length), **environ,
    }, start_response))
    return answer["status"], answer["headers"], body


@pytest.mark.django_db
def test_an_ordinary_page_refuses_a_huge_body_unread():
    status, headers, body = send(reverse("login"), 25 * 1024 * 1024)
    assert status == 413 and b"Too large" in body and headers.get("Connection") == "close"


@pytest.mark.django_db
def test_the_camera_api_refuses_more_than_the_largest_video_unread(settings):
    limit = settings.DEARJOHN["BODY_LIMITS"]["evidence:api_camera_captures"]
    status, headers, body = send(reverse("evidence:api_camera_captures", kwargs={"pk": 1}), limit + 1)
    assert status == 413 and b'"error"' in body


@pytest.mark.django_db
def test_a_nonsense_length_is_a_bad_request():
    status, headers, body = send(reverse("login"), "lots")
    assert status == 400
