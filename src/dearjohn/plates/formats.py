"""US plate text rules: the canonical plate key, a soft format prior, scene-text filters.

The prior is a *soft* re-ranking weight: a reading that fits no common US
serial format loses a constant factor, never more, so a reading the
recognizer clearly prefers still wins (vanity plates, rare formats).
"""

from __future__ import annotations

import re

PLATE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def plate_key(text: str) -> str:
    """Canonical key for matching and registry look-ups.

    Upper-cased, only A-Z and 0-9 kept, and the letter O mapped to the digit 0:
    most US plates print the two identically and registries and ground truth
    write 0, so two readers that differ only in O/0 must produce the same key.
    Keep the text as read for display; compare and look up by this key.
    """
    return re.sub(r"[^A-Z0-9]", "", text.upper()).replace("O", "0")


def shape(text: str) -> str:
    """Letter/digit shape of a text: 7ABC123 -> DLLLDDD."""
    return "".join("D" if c.isdigit() else "L" for c in text)


# Serial shapes of US plates, in two tiers by how many plates of the crops
# set's training split (all 50 states and DC) have them;
# `python training/plates/state_formats.py` counts them and reports any shape
# in the wrong tier. Not exhaustive and never required: see FormatPrior.
#
# Four or more training plates: California's DLLLDDD, the LLLDDDD of many
# states, all-digit series, Rhode Island's LLDDD, New Jersey's LLLDDL,
# Missouri's LLDLDL...
COMMON_SHAPES = frozenset(
    {
        "DDDLLL", "LLLDDD", "LLLDDDD", "LLDDDD", "DDDDDD", "DDDDLL", "LLDDD", "DDDDDDD", "LLLDDL", "DDDDD",
        "LDDDDDD", "DLLLDDD", "DLLDDD", "LDDDLL", "LLDLDDD", "LDDDD", "DDLLDD", "DDDDL", "DDDDDL", "LLDLDL",
        "DLDDDDL", "DDDLLD", "DDDLDL",
    }
)
# Shapes of standard series with fewer than four training plates. When the
# recognizer is torn between two readings, say 4GLS168 and LGLS168 on a
# blurred plate, the one in a shape seen on many plates should win.
RARE_SHAPES = frozenset(
    {
        "LDDDDD", "DLLLDD", "LDDLLL", "DLDDDD", "LLLLDD", "LLLDDDL", "DDDDDDL", "LLLLDDD", "LLLDDLL", "LLDLLDD",
        "LLDDDLL", "LLDDDDD", "LDDLDD", "DLDDDDD", "DDLLLL", "DDLLLD", "DDLDDDD", "DDDLLLL", "DDDLDD", "DDDDLLL",
        "DDDDDLL",
    }
)

_DATE_TIME = re.compile(
    r"^(\d{1,4}[-/.:]\d{1,2}[-/.:]\d{1,4}|\d{1,2}:\d{2}(:\d{2})?([AP]M)?|(19|20)\d{6}|(19|20)\d{2}(0[1-9]|1[0-2])\d{2}\d{4,6})$"
)


def looks_like_timestamp(raw: str) -> bool:
    """True for dates/times cameras burn into frames (2019-05-04, 12:33:01, 20190504)."""
    return bool(_DATE_TIME.match(raw.strip().upper().replace(" ", "")))


_YEAR = re.compile(r"(19[5-9]|20[0-3])\d")


def looks_like_a_year(text: str) -> bool:
    """True for a reading that is a year alone (1950-2039): a registration sticker's, a dealer frame's.

    Stickers sit on the plate's corners, and a crop read finely enough to
    tell a small plate's 4 from its A also reads their "2008". No plate of
    the crops set's 21 four-digit plates is a year.
    """
    return bool(_YEAR.fullmatch(plate_key(text)))


def may_be_a_word(text: str) -> bool:
    """True for a reading of letters, and nothing else once each digit 0 is taken for the letter O.

    The plate recognizers have no letter O (they read the glyph as 0), so
    lettering such as "STOR-IT" on a pickup reads as `ST0RIT`, which
    FormatPrior weighs like a plate with a digit in it.
    """
    key = plate_key(text)
    return any(c.isalpha() for c in key) and key.replace("0", "O").isalpha()


# Words of the signs a fixed camera sees night after night (parking lots, driveways,
# streets), as the plate key reads them with each 0 taken for the letter O. None
# is a plate of the crops set, whose 80-odd vanity plates are other words.
SIGN_WORDS = frozenset(
    {
        "EXIT", "ONLY", "ENTER", "ENTRANCE", "ENTRY", "NOENTRY", "STOP", "YIELD", "SLOW", "ONEWAY", "DONOT",
        "PARKING", "NOPARKING", "PRIVATE", "PROPERTY", "RESERVED", "PERMIT", "VISITOR", "VISITORS", "CUSTOMER",
        "EMPLOYEE", "STAFF", "TOWAWAY", "FIRELANE", "FIRE", "LANE", "LOADING", "ZONE", "AREA", "KEEPOUT",
        "DANGER", "CAUTION", "WARNING", "NOTICE", "POLICE", "SECURITY", "DRIVEWAY", "SCHOOL", "XING",
        "RIGHT", "LEFT", "TURN", "AHEAD", "DETOUR", "SPEED", "LIMIT", "OPEN", "CLOSED", "OFFICE",
    }
)


def is_a_sign_word(text: str) -> bool:
    """True for a reading that is a sign's word ("0NLY", "EXIT"), not a plate.

    A fixed camera reads the same sign in every frame, and each read would be
    a sighting that someone must reject.
    """
    return plate_key(text).replace("0", "O") in SIGN_WORDS


_CLOCK_OR_DATE = re.compile(r"\d\s*[:：]\s*\d|(19|20)\d{2}\s*[-/.]\s*(0?[1-9]|1[0-2])\b|(19|20)\d{2}(0[1-9]|1[0-2])\s*[-/.]")


def shows_a_clock_or_date(writing: str) -> bool:
    """True for writing with a clock time or a date in it, even in part ("06:1649", "2014-05-", "201404-30").

    `writing` must keep its punctuation (a general text reading). Cameras
    burn their time into the frame's corner, and the plate recognizers,
    which have no colon, read a piece of it as digits ("14 06:2514" as
    4062514). The general recognizer, trained on Chinese as well, sometimes
    writes the colon full-width ("13：17"). No plate of the crops set's 751
    reads like this.
    """
    return bool(_CLOCK_OR_DATE.search(writing))


_PHONE_NUMBER = re.compile(r"(1[-. ]?)?(\(?\d{3}\)?[-. ]*)?\d{3}[-.]\d{4}")


def looks_like_phone_number(writing: str) -> bool:
    """True for a phone number as written on vans, stickers and dealer frames (376-8750, 1-800-555-0199).

    `writing` must keep its punctuation (a general text reading, not a plate
    reading): the hyphen after three digits is what tells "376-8750" from an
    all-digit plate such as Illinois' "597 7144". Hawaii and Rhode Island
    print a hyphen in six-digit plates (568-201), which do not match.
    """
    return bool(_PHONE_NUMBER.fullmatch(writing.strip()))


class FormatPrior:
    """Soft prior over plate texts by length and letter/digit shape.

    `weight(text)` is 1.0 for a common shape mixing letters and digits,
    `digits_only` for a common all-digit shape, `rare` for a rarer standard
    shape, `uncommon` for any other text of plausible length, and less for
    very short or long texts. Used as a multiplier on the recognizer's
    probability, then renormalised.
    """

    def __init__(
        self,
        shapes: frozenset[str] = COMMON_SHAPES,
        rare_shapes: frozenset[str] = RARE_SHAPES,
        rare: float = 0.7,
        uncommon: float = 0.4,
        digits_only: float = 0.6,
        short: float = 0.1,
        min_len: int = 4,
        max_len: int = 8,
    ):
        self.shapes = shapes
        self.rare_shapes = rare_shapes
        self.rare = rare
        self.digits_only = digits_only
        self.uncommon = uncommon
        self.short = short
        self.min_len = min_len
        self.max_len = max_len

    def weight(self, text: str) -> float:
        key = plate_key(text)
        n = len(key)
        if n == 0:
            return 0.0
        if n < self.min_len - 1 or n > self.max_len + 1:
            return self.short * self.short
        if n < self.min_len or n > self.max_len:
            return self.short
        key_shape = shape(key)
        if key_shape in self.shapes:
            # digits only: issued, but phone and fleet numbers look the same
            return self.digits_only if key.isdigit() else 1.0
        if key_shape in self.rare_shapes:
            return self.rare
        if key.isalpha():
            # letters only: vanity plates exist, but signs and words are far more common
            return self.uncommon * 0.5
        return self.uncommon

    def rerank(self, readings: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Multiply each reading's probability by its weight and renormalise over the list.

        The total probability mass is kept, so a plate whose readings all fit
        no format does not look more certain than it is.
        """
        if not readings:
            return []
        mass = sum(p for _, p in readings)
        weighted = [(t, p * self.weight(t)) for t, p in readings]
        total = sum(p for _, p in weighted)
        if total <= 0:
            return sorted(readings, key=lambda r: -r[1])
        return sorted(((t, p / total * mass) for t, p in weighted), key=lambda r: -r[1])
