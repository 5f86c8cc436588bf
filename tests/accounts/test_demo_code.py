import pytest
from django.core.management import CommandError, call_command

from dearjohn.accounts.demo import demo_device
from dearjohn.accounts.mfa import current_code
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_it_prints_the_demo_users_current_code(capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "otpauth://totp/" in out and "demo_code" in out
    call_command("demo_code", "reviewer")
    assert capsys.readouterr().out.strip() == current_code(demo_device("reviewer"))


def test_it_refuses_real_accounts():
    make_user("Reviewer", username="casey")
    with pytest.raises(CommandError, match="only for the users"):
        call_command("demo_code", "casey")
