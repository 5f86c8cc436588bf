"""A fictitious program to explore: users for every role, zones, cameras, a registry.

Every name, address and plate here is invented. Seeding is idempotent: each
record is found by its natural key, so running the demo twice adds nothing.
"""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from dearjohn.evidence.models import Camera, Zone, plate_key
from dearjohn.evidence.synthetic import CAR_COLOURS
from dearjohn.vehicles.models import Registration

DEMO_USERS = [
    # username, password, role, staff flag
    ("officer", "officer-demo-pass", "Officer", False),
    ("reviewer", "reviewer-demo-pass", "Reviewer", False),
    ("supervisor", "supervisor-demo-pass", "Supervisor", False),
    ("auditor", "auditor-demo-pass", "Auditor", False),
    ("admin", "admin-demo-pass", "Administrator", True),
]

EVENING_HOURS = {day: [["20:00", "04:00"]] for day in ("mon", "tue", "wed", "thu", "sun")}
EVENING_HOURS.update({day: [["19:00", "05:00"]] for day in ("fri", "sat")})


def _corridor(west, east, south, north):
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}


DEMO_ZONES = [
    ("Capp Street corridor", "Capp Street from 16th to 24th Street, both sidewalks.",
     _corridor(-122.4192, -122.4176, 37.7525, 37.7652)),
    ("Shotwell Street corridor", "Shotwell Street from 17th to 25th Street, both sidewalks.",
     _corridor(-122.4163, -122.4147, 37.7500, 37.7632)),
]

DEMO_CAMERAS = [
    # name, street, lat, lon, facing, zone
    ("Capp & 19th", "Capp St at 19th St, northeast corner", 37.7600, -122.4185, "S", "Capp Street corridor"),
    ("Capp & 21st", "Capp St at 21st St, west side", 37.7570, -122.4184, "N", "Capp Street corridor"),
    ("Shotwell & 18th", "Shotwell St at 18th St, east side", 37.7615, -122.4155, "S", "Shotwell Street corridor"),
    ("Shotwell & 20th", "Shotwell St at 20th St, southwest corner", 37.7587, -122.4156, "N", "Shotwell Street corridor"),
]

FIRST_NAMES = ["Alex", "Jordan", "Casey", "Riley", "Morgan", "Taylor", "Jamie", "Robin", "Devon", "Quinn",
               "Avery", "Parker", "Rowan", "Emerson", "Harper", "Skyler", "Reese", "Dakota", "Kendall", "Marlow"]
LAST_NAMES = ["Abernathy", "Brightwater", "Castellano", "Dunmore", "Everhart", "Fairbanks", "Galloway", "Hollister",
              "Ivanova", "Jessup", "Kincaid", "Lindqvist", "Mayhew", "Northcott", "Oyelaran", "Pendleton",
              "Quintero", "Rosewood", "Sandoval", "Thackeray", "Underhill", "Vasquez-Lowe", "Whitcombe", "Yarborough"]
STREETS = ["Larkspur Ln", "Quillfeather Ave", "Marigold Ct", "Tamsin St", "Juniper Hollow Rd", "Bellwether Way",
           "Cobble Crest Dr", "Wrenfield Pl", "Ashgrove Ter", "Silverpine Blvd"]
CITIES = [("San Francisco", "CA", "941"), ("Oakland", "CA", "946"), ("Daly City", "CA", "940"),
          ("San Mateo", "CA", "944"), ("Fremont", "CA", "945"), ("Reno", "NV", "895")]
VEHICLES = [("Toyota", "Camry"), ("Honda", "Civic"), ("Ford", "F-150"), ("Nissan", "Altima"), ("Chevrolet", "Malibu"),
            ("Tesla", "Model 3"), ("Subaru", "Outback"), ("Hyundai", "Elantra"), ("BMW", "330i"), ("Kia", "Soul")]
COLORS = list(CAR_COLOURS)  # the colours the demo footage can paint a car
LANGUAGES = ["en"] * 14 + ["es"] * 3 + ["zh"] * 2 + ["fil"]
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def fictitious_plate(rng, state):
    if state == "CA":
        return f"{rng.randint(5, 9)}{''.join(rng.choices(LETTERS, k=3))}{rng.randint(0, 999):03d}"
    return f"{''.join(rng.choices(LETTERS, k=3))}{rng.randint(0, 9999):04d}"


def seed_users():
    users = []
    for username, password, role, is_staff in DEMO_USERS:
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": is_staff})
        if created:
            user.set_password(password)
            user.first_name = role
            user.last_name = "(demo)"
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users.append((username, password, role))
    return users


def seed_zones_and_cameras():
    for name, description, boundary in DEMO_ZONES:
        Zone.objects.get_or_create(name=name, defaults={"description": f"{description} (demo)", "boundary": boundary,
                                                        "active_hours": EVENING_HOURS})
    for name, street, lat, lon, facing, zone in DEMO_CAMERAS:
        Camera.objects.get_or_create(name=name, defaults={"street": street, "latitude": lat, "longitude": lon,
                                                          "facing": facing, "zone": Zone.objects.get(name=zone)})


def fictitious_registration(rng, plate=None):
    """An invented vehicle and owner (unsaved); `plate` (a California one) is drawn too when not given."""
    city, addr_state, zip_prefix = rng.choice(CITIES if plate is None else [c for c in CITIES if c[1] == "CA"])
    make, model = rng.choice(VEHICLES)
    plate_state = "NV" if addr_state == "NV" else "CA"
    plate = plate or fictitious_plate(rng, plate_state)
    return Registration(
        plate=plate, plate_key=plate_key(plate), state=plate_state, make=make, model=model,
        color=rng.choice(COLORS), year=rng.randint(2004, 2025),
        owner_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        address_line1=f"{rng.randint(10, 9899)} {rng.choice(STREETS)}", city=city, address_state=addr_state,
        zip_code=f"{zip_prefix}{rng.randint(0, 99):02d}", preferred_language=rng.choice(LANGUAGES),
        registry_updated_on=date(2026, rng.randint(1, 11), rng.randint(1, 28)),
    )


def demo_registry(count=300):
    """The demo registry's invented registrations (unsaved), the same on every run."""
    rng = random.Random(20261204)
    return [fictitious_registration(rng) for _ in range(count)]


def seed_registry(count=300):
    existing = set(Registration.objects.values_list("state", "plate_key"))
    new = []
    for registration in demo_registry(count):
        if (registration.state, registration.plate_key) not in existing:
            existing.add((registration.state, registration.plate_key))
            new.append(registration)
    Registration.objects.bulk_create(new)
    return f"Registry: {Registration.objects.count()} fictitious vehicles and owners."


# Each app adds its part of the demo here, in pipeline order. A step takes no
# arguments, must be idempotent, and may return lines to print.
DEMO_STEPS = [
    "dearjohn.accounts.demo.enrol_demo_users",
    "dearjohn.site.demo.seed_zones_and_cameras",
    "dearjohn.site.demo.seed_registry",
    "dearjohn.evidence.demo.seed_footage",
    "dearjohn.cases.demo.seed_policy",
    "dearjohn.insights.demo.seed_history",
    "dearjohn.letters.demo.seed",
    "dearjohn.oversight.demo.seed_agencies",
]


def seed():
    """Load the whole demo; returns the demo users with their passwords and what each step said."""
    from django.utils.module_loading import import_string

    with transaction.atomic():
        users = seed_users()
    said = []
    for path in DEMO_STEPS:
        with transaction.atomic():
            result = import_string(path)()
        if isinstance(result, str):
            said.append(result)
        elif isinstance(result, (list, tuple)):
            said.extend(str(line) for line in result)
    return users, said
