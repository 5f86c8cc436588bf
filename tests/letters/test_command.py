import pytest
from django.core.management import CommandError, call_command

from dearjohn.letters.models import Letter
from tests import factories

pytestmark = pytest.mark.django_db


def test_print_writes_the_pdf_and_manifest_and_prints_nothing_twice(letter_output, tmp_path, capsys):
    factories.approved_letter()
    out = tmp_path / "monday.pdf"
    call_command("letters", "print", "--batch", "monday", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF") and (tmp_path / "monday.csv").read_text().startswith("sequence,")
    assert "Printed 1 letters in batch monday" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already printed"):
        call_command("letters", "print", "--batch", "monday", "--out", str(out))
    with pytest.raises(CommandError, match="No approved letters"):
        call_command("letters", "print", "--batch", "tuesday", "--out", str(tmp_path / "tuesday.pdf"))
    assert not (tmp_path / "tuesday.pdf").exists()
    assert Letter.objects.get().status == "printed"


def test_draft_drafts_for_qualifying_cases(capsys):
    factories.qualifying_case()
    call_command("letters", "draft")
    assert "Drafted 1 letters." in capsys.readouterr().out and Letter.objects.count() == 1
