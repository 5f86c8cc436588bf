"""The evidence app's one exception type for problems the sender or operator can fix."""


class EvidenceError(Exception):
    """A file, zone or request the evidence app cannot take, with a message for the person who sent it."""


class IntegrityFailure(EvidenceError):
    """A stored original no longer matches its SHA-256; the capture is flagged and never used as evidence."""
