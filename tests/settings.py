"""Test settings: the real settings, with a throw-away data dir and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("DEARJOHN_DATA_DIR", tempfile.mkdtemp(prefix="dearjohn-test-"))

from dearjohn.site.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: the live server answers
    # a page's requests in parallel threads, and an in-memory database fails
    # them with "table is locked" where a file database makes them wait.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
