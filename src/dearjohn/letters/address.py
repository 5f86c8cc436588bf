"""Mailing addresses in USPS style, and the reasons one cannot be printed."""

import re
from dataclasses import dataclass

from scourgify import normalize_address_record
from scourgify.exceptions import AddressNormalizationError

from .errors import LetterError

ZIP = re.compile(r"^\d{5}(-\d{4})?$")
# The envelope window (see render.py) fits four lines of this many characters.
MAX_LINE = 40
MAX_LINES = 4


@dataclass(frozen=True)
class MailingAddress:
    lines: tuple  # name, street, [unit], "CITY ST ZIP"
    zip5: str

    @property
    def text(self):
        return "\n".join(self.lines)


def normalise(name, line1, line2, city, state, zip_code):
    """The address as USPS Publication 28 writes it, or LetterError saying what to fix."""
    if not (zip_code or "").strip():
        raise LetterError("The address has no ZIP code; add one before the letter can be printed.")
    if not ZIP.match(zip_code.strip()):
        raise LetterError(f"The ZIP code {zip_code.strip()!r} is not a US ZIP code (five digits, optionally -four).")
    try:
        parts = normalize_address_record({
            "address_line_1": line1, "address_line_2": line2 or "",
            "city": city, "state": state, "postal_code": zip_code.strip(),
        })
    except AddressNormalizationError as e:
        reason = str(e).split(":", 1)[0].strip().capitalize() or "Unreadable address"
        raise LetterError(f"{reason}: the street address could not be read as a US mailing address; correct it.") from None
    postal = (parts.get("postal_code") or "").strip()
    if not ZIP.match(postal):
        raise LetterError(f"The ZIP code {zip_code!r} is not a US ZIP code (five digits, optionally -four).")
    name = " ".join((name or "").upper().split())
    if not name:
        raise LetterError("The owner's name is missing.")
    lines = [name, parts["address_line_1"]]
    if parts.get("address_line_2"):
        lines.append(parts["address_line_2"])
    lines.append(f"{parts['city']} {parts['state']} {postal}")
    too_long = [line for line in lines if len(line) > MAX_LINE]
    if too_long:
        raise LetterError(f"{too_long[0]!r} is longer than {MAX_LINE} characters and would not show in the envelope "
                          "window; shorten it (USPS abbreviations, initials).")
    if len(lines) > MAX_LINES:
        raise LetterError("The address has too many lines for the envelope window.")
    return MailingAddress(tuple(lines), postal[:5])


def for_registration(registration):
    return normalise(registration.owner_name, registration.address_line1, registration.address_line2,
                     registration.city, registration.address_state, registration.zip_code)
