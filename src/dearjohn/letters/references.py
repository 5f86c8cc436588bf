"""Reference codes: printed on each letter, typed or scanned by its recipient.

A code is 15 characters from a 30-character alphabet without look-alikes
(no 0/O, no 1/I/L, no U), shown in three groups of five: `K7QW2-XR9MD-4HPZT`.
That is 15 × log2(30) ≈ 73.6 bits drawn from `secrets`. Even with a million
letters outstanding, an attacker who somehow made a billion guesses (the
response page allows ten failed tries per address per hour) would hit some
letter with probability 10^9 × 10^6 / 30^15 ≈ 7 × 10^-8, and would then also
need that letter's ZIP code.
"""

import hashlib
import math
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 15
GROUP = 5
BITS = LENGTH * math.log2(len(ALPHABET))


def new_reference():
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_reference(raw)


def reference_for(text):
    """A reference in the same form, derived from `text`: the same every time, for the demo's history.

    Never for a real letter: anyone who knows `text` knows the code.
    """
    number = int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
    raw = []
    for _ in range(LENGTH):
        number, k = divmod(number, len(ALPHABET))
        raw.append(ALPHABET[k])
    return format_reference("".join(raw))


def format_reference(raw):
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def clean_reference(text):
    """What a person typed, in the stored form; None if it cannot be a reference.

    Spaces, dashes and case do not matter; the letters people confuse with the
    missing ones (O for 0 and so on) cannot occur in a code, so they fail.
    """
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return format_reference(raw)
