"""The letters part of the demo: the shipped templates, and drafts for any case that qualifies."""


def seed():
    from .drafting import draft_qualifying
    from .models import Letter, LetterTemplate
    from .seeding import seed_templates

    seed_templates(LetterTemplate)
    drafted, _ = draft_qualifying()
    waiting = Letter.objects.filter(status__in=[Letter.Status.DRAFT, Letter.Status.HELD]).count()
    return (f"Letters: {LetterTemplate.objects.count()} template versions; {len(drafted)} new drafts, "
            f"{waiting} waiting for a supervisor.")
