class LetterError(Exception):
    """Something about a letter that a person can fix; the message is written for them."""
