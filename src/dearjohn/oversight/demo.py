"""The demo's sharing allow-list: invented California agencies."""

from .models import Agency

DEMO_AGENCIES = [
    ("Example County Sheriff's Office", "County of Example, California", Agency.Level.COUNTY),
    ("Bayshore City Police Department", "City of Bayshore, California", Agency.Level.CITY),
]


def seed_agencies():
    for name, jurisdiction, level in DEMO_AGENCIES:
        Agency.objects.get_or_create(name=name, defaults={"jurisdiction": jurisdiction, "level": level})
    return f"Sharing allow-list: {Agency.objects.filter(is_active=True).count()} agencies."
