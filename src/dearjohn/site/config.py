"""Reads Dear John's environment into checked values.

Settings import this; nothing else reads the environment. Each problem a
person can fix raises ConfigError with a one-line message saying what to fix.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url


class ConfigError(Exception):
    """A setting a person must fix before Dear John can start."""


DEFAULT_DATA_DIR = "var"


def flag(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={value!r} is not a yes/no value; use 1 or 0.")


def number(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return type(default)(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number.") from None


def choice(name, default, choices):
    value = os.environ.get(name) or default
    if value not in choices:
        raise ConfigError(f"{name}={value!r} is not one of: {', '.join(c for c in choices if c)}.")
    return value


def listing(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir():
    """The writable folder for the database, media and generated files.

    The default ./var is created on first use; a folder named explicitly must
    already exist, so a typo does not silently scatter evidence elsewhere.
    """
    configured = os.environ.get("DEARJOHN_DATA_DIR")
    path = Path(configured or DEFAULT_DATA_DIR).resolve()
    if not configured:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"cannot create the data dir {path}: {e.strerror}; set DEARJOHN_DATA_DIR to a writable folder.") from None
    if not path.is_dir():
        raise ConfigError(f"data dir {path} does not exist; create it or set DEARJOHN_DATA_DIR to an existing folder.")
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"data dir {path} is not writable; fix its permissions or set DEARJOHN_DATA_DIR.")
    return path


def secret_key(data):
    """The key from the environment, else one generated once and kept in the data dir."""
    key = os.environ.get("DEARJOHN_SECRET_KEY")
    if key:
        return key
    path = data / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key


def database(data):
    url = os.environ.get("DEARJOHN_DATABASE_URL") or f"sqlite:///{data / 'dearjohn.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as e:  # dj_database_url raises several kinds for a bad URL
        raise ConfigError(f"DEARJOHN_DATABASE_URL is not a usable database URL ({e}); expected e.g. postgres://user:pass@host/dbname or sqlite:///path/file.sqlite3.") from None
    if not config.get("ENGINE"):
        raise ConfigError("DEARJOHN_DATABASE_URL names no known database engine; use postgres:// or sqlite://.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                             "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    return config


def text(name, default):
    return os.environ.get(name) or default


def mapping(name, default):
    """A JSON object, e.g. DEARJOHN_GATEWAY_FIELD_MAP='{"owner_name": "RO_NAME"}'."""
    value = os.environ.get(name)
    if value is None or value == "":
        return dict(default)
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
        raise ConfigError(f'{name} must be a JSON object of names, e.g. {{"owner_name": "RO_NAME"}}.')
    return parsed
