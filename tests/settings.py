"""Test settings: the real settings, with a throw-away data dir and a fast password hasher."""

import os
import tempfile

os.environ.setdefault("DEARJOHN_DATA_DIR", tempfile.mkdtemp(prefix="dearjohn-test-"))

from dearjohn.site.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
