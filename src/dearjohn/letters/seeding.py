"""The wording the program starts with: one template per kind and language, from seed/*.html."""

from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent / "seed"
KINDS = ["first", "repeat", "apology"]


def seed_files():
    for kind in KINDS:
        for path in sorted(SEED_DIR.glob(f"{kind}-*.html")):
            yield kind, path.stem.split("-", 1)[1], path


def seed_templates(LetterTemplate):
    """Add version 1 of any missing template; never touches an existing one.

    Takes the model class so the data migration can pass its historical model.
    """
    added = 0
    for kind, language, path in seed_files():
        if not LetterTemplate.objects.filter(kind=kind, language=language).exists():
            LetterTemplate.objects.create(kind=kind, language=language, version=1, html=path.read_text(),
                                          note="Initial wording shipped with Dear John.")
            added += 1
    return added
