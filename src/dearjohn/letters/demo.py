"""The letters part of the demo: the shipped templates, and drafts for any case that qualifies."""


def seed():
    from .drafting import draft_qualifying
    from .models import Letter, LetterTemplate
    from .seeding import seed_templates

    seed_templates(LetterTemplate)
    drafted, _ = draft_qualifying()
    waiting = Letter.objects.filter(status__in=[Letter.Status.DRAFT, Letter.Status.HELD]).count()
    said = [f"Letters: {LetterTemplate.objects.count()} template versions; {len(drafted)} new drafts, "
            f"{waiting} waiting for a supervisor."]
    # A mailed letter nobody has answered, for trying the response page as its recipient would.
    mailed = [Letter.Status.MAILED, Letter.Status.DELIVERED]
    example = Letter.objects.filter(status__in=mailed, responses__isnull=True).order_by("-mailed_at").first()
    if example:
        said.append(f"Letters: to answer one as its recipient, open /r/ with reference {example.reference} "
                    f"and ZIP code {example.recipient_zip}.")
    return said
