"""Owner data encrypted at rest: a model field that stores Fernet tokens and reads back plain text.

Registered owners' names and addresses come from a DMV/CLETS gateway and are
criminal-justice information: a copy of the database alone must not reveal
them. Keys live outside the database, in DEARJOHN_ENCRYPTION_KEYS or in a key
file (default: generated into the data dir on first use, mode 600). The first
key encrypts; every key decrypts (MultiFernet), so a new key can be added
while rows still hold the old one, and `dearjohn keys rotate` re-encrypts row
by row. Servers notice a changed key file by itself, so rotation needs no restart.

Encrypted columns cannot be searched, ordered or compared in SQL (the same text
encrypts differently every time); look records up by their plain fields
(plate, state, reference) instead.
"""

import os
import threading
import time
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class KeyringError(Exception):
    """Encryption keys are missing, malformed, or do not open the stored data; the message says which."""


class Keyring:
    """The keys in force; re-reads the key file when it changes (checked at most once a second)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._fernet = None
        self._source = None
        self._checked = 0.0

    def _configured(self):
        conf = settings.DEARJOHN["ENCRYPTION"]
        return list(conf["KEYS"]), Path(conf["KEY_FILE"])

    def keys(self):
        env_keys, path = self._configured()
        if env_keys:
            return env_keys
        if not path.exists():
            write_key_file(path, [Fernet.generate_key().decode()])
        return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]

    def _stamp(self):
        env_keys, path = self._configured()
        if env_keys:
            return ("env", tuple(env_keys))
        try:
            stat = path.stat()
        except FileNotFoundError:
            return ("file", str(path), None)
        return ("file", str(path), stat.st_mtime_ns, stat.st_size)

    def fernet(self, force=False):
        now = time.monotonic()
        if self._fernet is not None and not force and now - self._checked < 1.0:
            return self._fernet
        with self._lock:
            stamp = self._stamp()
            self._checked = now
            if force or self._fernet is None or stamp != self._source:
                keys = self.keys()
                if not keys:
                    raise KeyringError("no encryption key configured; set DEARJOHN_ENCRYPTION_KEYS or fix the key file.")
                try:
                    self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
                except ValueError:
                    raise KeyringError("an encryption key is not a valid Fernet key (32 url-safe base64-encoded bytes).") from None
                self._source = self._stamp()
            return self._fernet


keyring = Keyring()


def write_key_file(path, keys):
    """Write the keys (newest first) atomically, readable by the owner only."""
    path = Path(path)
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("# Dear John owner-data keys, newest first. Keep a copy outside this machine.\n")
        f.write("".join(k + "\n" for k in keys))
    os.replace(tmp, path)


def encrypt(text):
    return encrypt_bytes(text.encode()).decode()


def decrypt(token):
    return decrypt_bytes(token.encode()).decode()


def rotate_token(token):
    """The same text under the newest key (MultiFernet.rotate)."""
    return keyring.fernet().rotate(token.encode()).decode()


def encrypt_bytes(data):
    return keyring.fernet().encrypt(data)


def decrypt_bytes(token):
    try:
        return keyring.fernet().decrypt(token)
    except InvalidToken:
        pass
    try:  # the key file may have changed a moment ago
        return keyring.fernet(force=True).decrypt(token)
    except InvalidToken:
        raise KeyringError("stored owner data cannot be decrypted with the configured keys; was a key removed?") from None


def is_token(data):
    """Whether bytes are a Fernet token (version byte 0x80, then a timestamp: "gAAAAA" in base64)."""
    return data[:6] == b"gAAAAA"


class EncryptedMixin:
    """Plain text in Python, a Fernet token in the database; "" and NULL are stored as they are."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        # Only emptiness can be asked of an encrypted column; anything else would silently match nothing.
        if lookup_name in ("isnull", "exact"):
            return super().get_lookup(lookup_name)
        return None

    def get_internal_type(self):
        return "TextField"


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField whose max_length limits the plain text; the column itself is text."""


def encrypted_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]


def encrypt_columns(app_label, model_name, *columns):
    """A migration step: encrypt values a column held in plain text before it became encrypted."""

    def forward(apps, schema_editor):
        _recode(apps.get_model(app_label, model_name), columns, schema_editor.connection, encrypting=True)

    def backward(apps, schema_editor):
        _recode(apps.get_model(app_label, model_name), columns, schema_editor.connection, encrypting=False)

    return forward, backward


def _recode(model, columns, connection, encrypting):
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [quote(model._meta.get_field(c).column) for c in columns]
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(names)} FROM {table}")
        rows = cursor.fetchall()
        assignments = ", ".join(f"{n} = %s" for n in names)
        for pk_value, *values in rows:
            new = [_recode_value(v, encrypting) for v in values]
            if new != list(values):
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [*new, pk_value])


def _recode_value(value, encrypting):
    if value in (None, ""):
        return value
    try:
        plain = keyring.fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        plain = None
    if encrypting:
        return value if plain is not None else encrypt(value)
    return plain if plain is not None else value
