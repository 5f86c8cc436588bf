"""Owner names and addresses are stored encrypted: the database alone does not reveal them."""

import stat
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from dearjohn.site import crypto
from dearjohn.vehicles.models import Registration

pytestmark = pytest.mark.django_db

NAME, STREET = "Marlow Quillfeather-Testcase", "4471 Bellwether Way"


@pytest.fixture
def key_file(tmp_path, settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "ENCRYPTION": {**settings.DEARJOHN["ENCRYPTION"], "KEYS": [],
                                                             "KEY_FILE": str(tmp_path / "keys")}}
    crypto.keyring.fernet(force=True)
    yield tmp_path / "keys"
    crypto.keyring._fernet = None  # settings are restored by pytest-django; forget the keys read


def registration(**fields):
    fields = {"plate": "7ENC123", "plate_key": "7ENC123", "state": "CA", "make": "Toyota", "owner_name": NAME,
              "address_line1": STREET, "city": "Oakland", "address_state": "CA", "zip_code": "94601", **fields}
    return Registration.objects.create(**fields)


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def test_the_model_reads_and_writes_plain_text(key_file):
    registration()
    found = Registration.objects.get(state="CA", plate_key="7ENC123")
    assert (found.owner_name, found.address_line1, found.address_line2) == (NAME, STREET, "")


def test_the_database_holds_no_owner_name_in_clear_text(key_file):
    registration()
    row = raw("SELECT owner_name, address_line1, plate FROM vehicles_registration")[0]
    assert NAME not in row[0] and STREET not in row[1] and row[0].startswith("gAAAA")
    assert row[2] == "7ENC123"  # plates stay plain, for lookups


@pytest.mark.skipif(connection.vendor != "sqlite", reason="iterdump is SQLite's")
def test_a_full_dump_contains_no_owner_name(key_file):
    registration()
    connection.ensure_connection()
    dump = "\n".join(connection.connection.iterdump())
    assert "7ENC123" in dump
    assert NAME not in dump and STREET not in dump and "Quillfeather" not in dump


def test_letters_and_responses_are_encrypted_too(key_file):
    for model, fields in (("letters.Letter", ["recipient_name", "recipient_address"]), ("letters.Response", ["contact"])):
        for field in fields:
            assert isinstance(apps.get_model(model)._meta.get_field(field), crypto.EncryptedMixin)


def test_searching_an_encrypted_column_is_refused():
    with pytest.raises(FieldError):
        list(Registration.objects.filter(owner_name__icontains="Marlow"))


def test_the_key_file_is_made_once_and_private(key_file):
    registration()
    first = key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    registration(plate="7ENC124", plate_key="7ENC124")
    assert key_file.read_text() == first


def test_rotation_re_encrypts_every_row_with_the_new_key(key_file, capsys):
    for n in range(3):
        registration(plate=f"7ROT{n}00", plate_key=f"7ROT{n}00")
    before = raw("SELECT owner_name FROM vehicles_registration ORDER BY id")
    call_command("keys", "rotate")
    assert "Re-encrypted 6 values" in capsys.readouterr().out
    keys = [line for line in key_file.read_text().splitlines() if not line.startswith("#")]
    assert len(keys) == 2
    after = raw("SELECT owner_name FROM vehicles_registration ORDER BY id")
    newest = Fernet(keys[0].encode())
    assert all(newest.decrypt(token.encode()).decode() == NAME for (token,) in after)
    assert before != after
    key_file.write_text(keys[0] + "\n")  # the old key can now be retired
    crypto.keyring.fernet(force=True)
    assert {r.owner_name for r in Registration.objects.all()} == {NAME}


def test_rotation_re_encrypts_print_batch_files_too(key_file, tmp_path, settings, capsys):
    from dearjohn.letters import printing

    settings.DEARJOHN = {**settings.DEARJOHN, "LETTERS": {**settings.DEARJOHN["LETTERS"], "OUTPUT_DIR": tmp_path / "letters"}}
    manifest = printing.output_dir() / "old.csv"
    printing.write_whole(manifest, crypto.encrypt_bytes(f"1,{NAME}".encode()))
    call_command("keys", "rotate")
    assert "Re-encrypted 1 print batch files" in capsys.readouterr().out
    newest = [line for line in key_file.read_text().splitlines() if not line.startswith("#")][0]
    assert Fernet(newest.encode()).decrypt(manifest.read_bytes()).decode() == f"1,{NAME}"
    call_command("keys", "check")
    assert "1 encrypted print batch files read" in capsys.readouterr().out


def test_rotation_encrypts_batch_files_written_before_they_were_encrypted(key_file, tmp_path, settings, capsys):
    from dearjohn.letters import printing

    settings.DEARJOHN = {**settings.DEARJOHN, "LETTERS": {**settings.DEARJOHN["LETTERS"], "OUTPUT_DIR": tmp_path / "letters"}}
    old = printing.output_dir() / "older.csv"
    old.write_bytes(f"1,{NAME}".encode())
    call_command("keys", "check")
    assert "1 print batch files are stored in plain text" in capsys.readouterr().out
    assert old.read_bytes() == f"1,{NAME}".encode(), "checking changes nothing"
    call_command("keys", "rotate", "--reencrypt-only")
    assert "encrypted 1 stored in plain text" in capsys.readouterr().out
    assert NAME.encode() not in old.read_bytes() and crypto.is_token(old.read_bytes())
    assert printing.read_batch_file("batches/older.csv").decode() == f"1,{NAME}"
    call_command("keys", "check")
    assert "1 encrypted print batch files read.\n" in capsys.readouterr().out


def test_a_server_picks_up_a_rotated_key_file_without_restarting(key_file):
    registration()
    old = key_file.read_text().split()[-1]
    new = Fernet.generate_key().decode()
    crypto.write_key_file(key_file, [new, old])
    token = Fernet(new.encode()).encrypt(b"written by another server").decode()
    assert crypto.decrypt(token) == "written by another server"


def test_env_keys_cannot_be_rotated_by_the_command(settings):
    settings.DEARJOHN = {**settings.DEARJOHN, "ENCRYPTION": {**settings.DEARJOHN["ENCRYPTION"], "KEYS": [Fernet.generate_key().decode()]}}
    from django.core.management import CommandError
    with pytest.raises(CommandError, match="--reencrypt-only"):
        call_command("keys", "rotate")


def test_the_migration_encrypts_rows_stored_in_plain_text(key_file):
    row = registration()
    raw("UPDATE vehicles_registration SET owner_name = %s WHERE id = %s", [NAME, row.pk])
    forward, backward = crypto.encrypt_columns("vehicles", "registration", "owner_name")
    editor = SimpleNamespace(connection=connection)
    forward(apps, editor)
    forward(apps, editor)  # running twice does not encrypt twice
    assert raw("SELECT owner_name FROM vehicles_registration")[0][0].startswith("gAAAA")
    assert Registration.objects.get(pk=row.pk).owner_name == NAME
    backward(apps, editor)
    assert raw("SELECT owner_name FROM vehicles_registration")[0][0] == NAME
