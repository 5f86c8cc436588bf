"""Naming the issuing state, only when the evidence is strong.

Two sources, the printed name first:
- `PrintedStateReader` reads the writing just above and below the plate's
  characters (their own rows, `character_rows`, not the detector's box) with
  the PP-OCR text recognizer shipped in rapidocr (8-bit, see
  textrec.text_rec_model) and names a state when that writing is clearly one
  state's name ("CALIFORNIA", "Idaho") or a slogan only its plates print
  ("Land of Lincoln"). A name read too poorly to tell from its neighbours,
  or one that may be part of another state's ("WASHINGTON D..."), names
  nothing.
- `StateGuesser` uses the plate's letter/digit shape alone: a table, built
  from the training split of the crops set (training/plates/state_formats.py),
  of shapes that one state issues almost exclusively.
Plates with neither get no state (None) rather than a wrong one: a wrong
state sends the owner lookup to the wrong registry.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from pathlib import Path

import cv2
import numpy as np

from .detect import crop_region
from .formats import plate_key, shape
from .textrec import TextLineReader

DEFAULT_TABLE = Path(__file__).parent / "models" / "state_by_shape.json"


class StateGuesser:
    """Maps a plate text to a two-letter lower-case state, or None when unsure."""

    def __init__(self, table: dict[str, str] | str | Path | None = None):
        if table is None:
            table = DEFAULT_TABLE
        if isinstance(table, (str, Path)):
            path = Path(table)
            table = {k: v["state"] for k, v in json.loads(path.read_text())["shapes"].items()} if path.exists() else {}
        self.table = dict(table)

    def guess(self, text: str) -> str | None:
        return self.table.get(shape(plate_key(text)))


STATE_NAMES = {
    "al": "ALABAMA", "ak": "ALASKA", "az": "ARIZONA", "ar": "ARKANSAS", "ca": "CALIFORNIA", "co": "COLORADO",
    "ct": "CONNECTICUT", "de": "DELAWARE", "dc": "COLUMBIA", "fl": "FLORIDA", "ga": "GEORGIA", "hi": "HAWAII",
    "id": "IDAHO", "il": "ILLINOIS", "in": "INDIANA", "ia": "IOWA", "ks": "KANSAS", "ky": "KENTUCKY",
    "la": "LOUISIANA", "me": "MAINE", "md": "MARYLAND", "ma": "MASSACHUSETTS", "mi": "MICHIGAN",
    "mn": "MINNESOTA", "ms": "MISSISSIPPI", "mo": "MISSOURI", "mt": "MONTANA", "ne": "NEBRASKA", "nv": "NEVADA",
    "nh": "NEWHAMPSHIRE", "nj": "NEWJERSEY", "nm": "NEWMEXICO", "ny": "NEWYORK", "nc": "NORTHCAROLINA",
    "nd": "NORTHDAKOTA", "oh": "OHIO", "ok": "OKLAHOMA", "or": "OREGON", "pa": "PENNSYLVANIA",
    "ri": "RHODEISLAND", "sc": "SOUTHCAROLINA", "sd": "SOUTHDAKOTA", "tn": "TENNESSEE", "tx": "TEXAS",
    "ut": "UTAH", "vt": "VERMONT", "va": "VIRGINIA", "wa": "WASHINGTON", "wv": "WESTVIRGINIA",
    "wi": "WISCONSIN", "wy": "WYOMING",
}

# Other writing that names one state: the District's own name, and slogans
# that standard-issue plates print above or below the characters. Written as
# read (letters only, upper case).
STATE_WRITING = {
    "al": ("HEARTOFDIXIE", "SWEETHOMEALABAMA"), "ak": ("THELASTFRONTIER", "NORTHTOTHEFUTURE"),
    "az": ("GRANDCANYONSTATE",), "ar": ("THENATURALSTATE",), "ca": ("DMVCAGOV",), "ct": ("CONSTITUTIONSTATE",),
    "de": ("THEFIRSTSTATE",), "dc": ("WASHINGTONDC", "DISTRICTOFCOLUMBIA", "TAXATIONWITHOUTREPRESENTATION"),
    "fl": ("SUNSHINESTATE", "MYFLORIDACOM"), "ga": ("PEACHSTATE",), "hi": ("ALOHASTATE",),
    "id": ("FAMOUSPOTATOES", "SCENICIDAHO"), "il": ("LANDOFLINCOLN",), "in": ("CROSSROADSOFAMERICA",),
    "la": ("SPORTSMANSPARADISE",), "me": ("VACATIONLAND",), "ma": ("THESPIRITOFAMERICA",),
    "mi": ("PUREMICHIGAN", "GREATLAKES"), "mo": ("SHOWMESTATE",), "mt": ("TREASURESTATE", "BIGSKYCOUNTRY"),
    "ne": ("THEGOODLIFE",), "nv": ("THESILVERSTATE",), "nh": ("LIVEFREEORDIE",), "nj": ("GARDENSTATE",),
    "nm": ("LANDOFENCHANTMENT",), "ny": ("THEEMPIRESTATE",), "nc": ("FIRSTINFLIGHT", "FIRSTINFREEDOM"),
    "nd": ("PEACEGARDENSTATE", "DISCOVERTHESPIRIT"), "oh": ("BIRTHPLACEOFAVIATION",),
    "ok": ("NATIVEAMERICA", "EXPLOREOKLAHOMA"), "pa": ("VISITPACOM", "KEYSTONESTATE"), "ri": ("OCEANSTATE",),
    "sd": ("GREATFACESGREATPLACES", "MOUNTRUSHMORE"), "tx": ("THELONESTARSTATE",),
    "ut": ("LIFEELEVATED", "GREATESTSNOWONEARTH"), "vt": ("GREENMOUNTAINSTATE",), "wa": ("EVERGREENSTATE",),
    "wv": ("WILDWONDERFUL", "ALMOSTHEAVEN"), "wi": ("AMERICASDAIRYLAND",),
}


class PrintedStateReader:
    """Names a plate's state from the name printed on it, or None.

    `min_score` is how closely the writing must match a state name (1 = the
    name appears whole), `min_margin` how much better than the next state's
    name. Both were chosen on the training split of the crops set (no wrong
    state at 0.8 / 0.1); see docs/plates.md for the held-back figures.
    """

    def __init__(self, model_path: str | Path = "int8", min_score: float = 0.8, min_margin: float = 0.1, intra_op_threads: int = 1):
        self.lines = TextLineReader(model_path, intra_op_threads)
        self.min_score = min_score
        self.min_margin = min_margin

    def read(self, bgr: np.ndarray, quad: np.ndarray) -> str | None:
        """The state whose name is printed next to the character line `quad`, or None.

        Both bands are read, even when the one above holds a name in full:
        an Arkansas plate's "ARIKANSAS" holds KANSAS whole, and only its
        slogan below ("The Natural State") shows the name is not Kansas.
        Two bands that name two states name none.
        """
        named = set()
        for band in name_bands(character_rows(bgr, quad)):
            state, _ = self.match(self.text(crop_region(bgr, band, widen=1.0, pad_h=0.0)))
            if state:
                named.add(state)
        return named.pop() if len(named) == 1 else None

    def match(self, text: str) -> tuple[str | None, float]:
        """(state, score) when `text` is clearly one state's name or slogan, else (None, 0)."""
        return named_state(text, self.min_score, self.min_margin)

    def text(self, crop: np.ndarray) -> str:
        return self.lines.read(crop)


def named_state(text: str, min_score: float = 0.8, min_margin: float = 0.1) -> tuple[str | None, float]:
    """(state, score) when `text` is clearly one state's name or slogan, else (None, 0).

    `min_score` is how closely the writing must match a state's name or
    slogan (1 = it appears whole), `min_margin` how much better than the
    next state's.
    """
    letters = re.sub("[^A-Z]", "", text.upper().replace("0", "O"))  # plate readers write the letter O as 0
    if len(letters) < 4:
        return None, 0.0
    whole = [(len(writing), writing, state) for state, writing in _writings() if writing in letters]
    if whole:  # the longest written out in full: ARKANSAS over KANSAS, WESTVIRGINIA over VIRGINIA
        _, writing, state = max(whole)
        return (None, 0.0) if _runs_on(letters, writing, state) else (state, 1.0)
    # Every reading of every plate is checked, so writings that cannot come within
    # `min_score - min_margin` (by difflib's cheap upper bounds) are not scored:
    # they can neither be named nor stand too close to the one that is.
    floor = min_score - min_margin
    best: dict[str, float] = {}
    for state, matcher in _matchers():
        matcher.set_seq1(letters)
        if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
            best[state] = max(best.get(state, 0.0), matcher.ratio())
    (score, state), (runner_up, _) = sorted([(v, k) for k, v in best.items()] + [(0.0, None), (0.0, None)], key=lambda s: -s[0])[:2]
    if score >= min_score and score - runner_up >= min_margin:
        return state, score
    return None, 0.0


def _runs_on(letters: str, writing: str, state: str) -> bool:
    """Whether `writing`, found whole in `letters`, may be part of another state's longer one.

    "WASHINGTOND" holds WASHINGTON whole, but its D may begin WASHINGTON DC;
    "WSTVIRGINIA" holds VIRGINIA, but its T may end WEST. Such a reading
    names neither state: a wrong state sends the owner look-up to the
    wrong registry.
    """
    at = letters.index(writing)
    before, after = letters[:at], letters[at + len(writing) :]
    for other_state, longer in _writings():
        if other_state == state or writing not in longer:
            continue
        i = longer.index(writing)
        if (before and i > 0 and before[-1] == longer[i - 1]) or (after and longer[i + len(writing) :][:1] == after[:1]):
            return True
    return False


@functools.cache
def _writings() -> tuple[tuple[str, str], ...]:
    """(state, writing) for every state's name and other writing."""
    return tuple(STATE_NAMES.items()) + tuple((state, w) for state, writings in STATE_WRITING.items() for w in writings)


@functools.cache
def _matchers() -> list[tuple[str, difflib.SequenceMatcher]]:
    """One matcher per writing: difflib indexes the second sequence once."""
    return [(state, difflib.SequenceMatcher(None, "", writing, autojunk=False)) for state, writing in _writings()]


def character_rows(bgr: np.ndarray, quad: np.ndarray, min_share: float = 0.5, min_run: float = 0.15, max_run: float = 0.95) -> np.ndarray:
    """The part of a plate region that holds its characters' rows, as a quad.

    The detector's box around a plate's characters is often the whole board,
    state name and slogan included; the bands above and below such a box miss
    the name. The characters are where the box's rows have the most vertical
    strokes: the run of rows around the busiest one whose stroke strength is
    at least `min_share` of it. A run under `min_run` or over `max_run` of
    the box's height is no evidence, and the box is kept. (On the training crops of
    openalpr-us-plates this took the share of plates with a state named from
    12 to 61 %, 98 % of them right; docs/plates.md.)
    """
    quad = np.asarray(quad, np.float32)
    crop = crop_region(bgr, quad, widen=1.0, pad_h=0.0)
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    rows = 64
    grey = cv2.resize(grey, (max(8, grey.shape[1] * rows // grey.shape[0]), rows), interpolation=cv2.INTER_AREA)
    strokes = np.abs(cv2.Sobel(grey.astype(np.float32), cv2.CV_32F, 1, 0, ksize=3)).mean(axis=1)
    strokes = np.convolve(strokes, np.ones(3) / 3, mode="same")
    busy = strokes >= min_share * strokes.max()
    top = bottom = int(strokes.argmax())
    while top > 0 and busy[top - 1]:
        top -= 1
    while bottom < rows - 1 and busy[bottom + 1]:
        bottom += 1
    t, b = top / rows, (bottom + 1) / rows
    if not min_run <= b - t <= max_run:
        return quad
    left, right = quad[3] - quad[0], quad[2] - quad[1]
    return np.array([quad[0] + left * t, quad[1] + right * t, quad[1] + right * b, quad[0] + left * b], np.float32)


def name_bands(quad: np.ndarray) -> list[np.ndarray]:
    """Quads of the bands where a state name is printed: above and below the characters."""
    q = np.asarray(quad, np.float32)
    height = float(np.linalg.norm(q[3] - q[0]))
    width = float(np.linalg.norm(q[1] - q[0]))
    up = (q[0] - q[3]) / max(height, 1e-6)
    right = (q[1] - q[0]) / max(width, 1e-6)
    left_edge = -right * width * 0.15
    span = right * width * 1.3
    bands = []
    for top, bottom in ((q[0] + up * height * 1.25, q[0] + up * height * 0.02), (q[3] - up * height * 0.02, q[3] - up * height * 1.0)):
        tl, bl = top + left_edge, bottom + left_edge
        bands.append(np.array([tl, tl + span, bl + span, bl], np.float32))
    return bands
