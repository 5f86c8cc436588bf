import pytest
from django.core.management import call_command

from dearjohn.letters.models import LetterTemplate


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_shipped_templates_back():
    LetterTemplate.objects.all().delete()
    call_command("flush", interactive=False, verbosity=0)
    assert LetterTemplate.objects.count() == 12
    assert {(t.kind, t.language) for t in LetterTemplate.objects.all()} == {
        (kind, language) for kind in ("first", "repeat", "apology") for language in ("en", "es", "zh", "fil")}


@pytest.mark.django_db
def test_seeding_never_touches_an_existing_version():
    from dearjohn.letters.seeding import seed_templates

    before = list(LetterTemplate.objects.values_list("pk", "version"))
    assert seed_templates(LetterTemplate) == 0
    assert list(LetterTemplate.objects.values_list("pk", "version")) == before
