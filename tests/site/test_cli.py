"""The `dearjohn` command: one-line errors a person can act on, and a clean deploy check."""

import os
import socket
import subprocess
import sys

import pytest

from dearjohn.plates.reader import DETECTION_PASSES


def dearjohn(*args, env=None, cwd=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DEARJOHN_", "DJANGO_"))}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "dearjohn", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=120)


def assert_one_line_error(result, *words):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def test_help_lists_the_program_commands(tmp_path):
    result = dearjohn("help", env={"DEARJOHN_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0
    for command in ("demo", "serve", "read"):
        assert command in result.stdout


def test_missing_data_dir_is_one_line(tmp_path):
    result = dearjohn("check", env={"DEARJOHN_DATA_DIR": str(tmp_path / "nowhere")})
    assert_one_line_error(result, "does not exist", "DEARJOHN_DATA_DIR")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to any folder")
def test_unwritable_data_dir_is_one_line(tmp_path):
    tmp_path.chmod(0o500)
    try:
        result = dearjohn("check", env={"DEARJOHN_DATA_DIR": str(tmp_path)})
    finally:
        tmp_path.chmod(0o700)
    assert_one_line_error(result, "not writable")


def test_unwritable_data_dir_is_one_line_for_root_too(tmp_path):
    # A file where the folder should be cannot be written into by anyone.
    (tmp_path / "file").write_text("")
    result = dearjohn("check", env={"DEARJOHN_DATA_DIR": str(tmp_path / "file")})
    assert_one_line_error(result, "DEARJOHN_DATA_DIR")


def test_bad_database_url_is_one_line(tmp_path):
    result = dearjohn("migrate", env={"DEARJOHN_DATA_DIR": str(tmp_path), "DEARJOHN_DATABASE_URL": "mysqlish://nope"})
    assert_one_line_error(result, "DEARJOHN_DATABASE_URL")


def test_unreachable_database_is_one_line(tmp_path):
    url = "postgres://nobody:secret@127.0.0.1:1/none"
    result = dearjohn("migrate", env={"DEARJOHN_DATA_DIR": str(tmp_path), "DEARJOHN_DATABASE_URL": url})
    assert_one_line_error(result, "DEARJOHN_DATABASE_URL")


def test_secret_key_is_made_once_and_kept_private(tmp_path):
    dearjohn("check", env={"DEARJOHN_DATA_DIR": str(tmp_path)})
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    dearjohn("check", env={"DEARJOHN_DATA_DIR": str(tmp_path)})
    assert key_file.read_text() == first and len(first.strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


def test_demo_on_a_busy_port_is_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = dearjohn("demo", "--port", str(port), env={"DEARJOHN_DATA_DIR": str(tmp_path)})
    assert_one_line_error(result, "already in use", str(port))


def test_deploy_check_passes_with_the_documented_production_settings(tmp_path):
    env = {
        "DEARJOHN_DATA_DIR": str(tmp_path),
        "DEARJOHN_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "DEARJOHN_HTTPS": "1",
        "DEARJOHN_ALLOWED_HOSTS": "dearjohn.example.org",
    }
    result = dearjohn("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_deploy_check_warns_without_https(tmp_path):
    result = dearjohn("check", "--deploy", "--fail-level", "WARNING", env={"DEARJOHN_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr or "security.W008" in result.stderr


def test_an_unknown_plate_passes_setting_stops_with_the_choices(tmp_path):
    result = dearjohn("check", env={"DEARJOHN_DATA_DIR": str(tmp_path), "DEARJOHN_PLATE_PASSES": "fast"})
    assert result.returncode != 0
    assert "DEARJOHN_PLATE_PASSES='fast' is not one of: standard, quick, thorough" in result.stderr + result.stdout
    assert list(DETECTION_PASSES) == ["standard", "quick", "thorough"]  # the settings' choices name the reader's passes
