"""The cases app's part of the demo: a first evidence policy, so cases can qualify."""

from .models import EvidencePolicy


def seed_policy():
    if EvidencePolicy.objects.exists():
        return f"Evidence policy: version {EvidencePolicy.current().version} in force."
    policy = EvidencePolicy.objects.create(
        min_sightings=3, min_days=2, window_days=30, observation_suffices=True, cooldown_days=180,
        note="Demo starting policy: 3 confirmed sightings on 2 days within 30 days.")
    return f"Evidence policy: version {policy.version} created (3 confirmed sightings on 2 days within 30 days)."
