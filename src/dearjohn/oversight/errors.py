class OversightError(Exception):
    """Something the person asking can fix (a refused export, a bad report year, a non-empty restore target)."""
