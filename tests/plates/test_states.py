"""Naming the issuing state: from the printed name, else from the plate's shape, else not at all."""

import difflib
import re

import numpy as np
import pytest

from dearjohn.plates import PlateReader, plate_key
from dearjohn.plates.states import STATE_NAMES, STATE_WRITING, PrintedStateReader, StateGuesser, character_rows, named_state

from .conftest import render_plate, render_scene


@pytest.mark.parametrize(
    "writing, state",
    [
        ("CALIFORNIA", "ca"),
        ("Idaho", "id"),
        (".Alabama.", "al"),
        ("VIBGINIA", "va"),  # one letter misread
        ("West Virginia", "wv"),  # not Virginia
        ("Arkansas", "ar"),  # not Kansas
        ("NEW YORK", "ny"),
        ("Washington, DC", "dc"),  # not Washington
        ("WASHINGTON 10", "wa"),  # a sticker's digits after the name
        ("Land of Lincoln", "il"),  # slogans of standard plates
        ("Sunshine State", "fl"),
        ("dmv.ca.gov", "ca"),
        ("TAXATION WITHOUT REPRESEMTATION", "dc"),
        ("Wid, Wonderful", "wv"),
    ],
)
def test_a_printed_name_names_its_state(writing, state):
    assert PrintedStateReader().match(writing)[0] == state


@pytest.mark.parametrize("writing", ["", "Garden", "ABC", "NOR", "2026", "Smith Ford Dealer"])
def test_other_writing_names_no_state(writing):
    assert PrintedStateReader().match(writing) == (None, 0.0)


@pytest.mark.parametrize("writing", [
    "WASHINGTON D",  # Washington, or the start of Washington DC
    "Wst Virginia",  # Virginia, or the end of West Virginia
    "RKANSAS",  # Kansas, or Arkansas
    "EGARDEN STATE",  # New Jersey, or North Dakota's Peace Garden State
])
def test_a_name_that_may_be_part_of_another_states_names_none(writing):
    assert PrintedStateReader().match(writing) == (None, 0.0)


@pytest.fixture(scope="module", params=["float", "int8"])
def reader(request):
    """The printed name is read with the PP-OCR line recognizer as shipped and as quantized here."""
    return PlateReader(detector_model="int8", recognizer_model=request.param, state_guesser=StateGuesser({}))


def test_the_state_printed_above_the_characters_is_named(reader):
    reads = reader.read(render_scene([("ABC1234", (500, 400), 260, 0, "IDAHO")]))
    assert plate_key(reads[0].text) == "ABC1234"
    assert reads[0].state == "id"


def test_a_plate_with_no_state_name_gets_none(reader):
    reads = reader.read(render_scene([("ABC1234", (500, 400), 260, 0, "Sunshine")]))
    assert plate_key(reads[0].text) == "ABC1234"
    assert reads[0].state is None


def _board(state):
    """A plate filling its picture, as in a cropped photo, and the quad of its whole board."""
    bgr = np.ascontiguousarray(np.asarray(render_plate("ABC1234", 320, state))[:, :, ::-1])
    h, w = bgr.shape[:2]
    return bgr, np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)


def test_the_characters_rows_are_found_in_a_box_around_the_whole_board():
    bgr, board = _board("IDAHO")
    rows = character_rows(bgr, board)
    top, bottom = rows[0][1] / bgr.shape[0], rows[3][1] / bgr.shape[0]
    assert 0.3 < top < 0.5 and 0.6 < bottom < 0.8  # the characters (0.42-0.67), not the name just above them (0.28-0.37)
    assert rows[0][0] == board[0][0] and rows[1][0] == board[1][0]  # as wide as the box


def test_a_box_without_characters_is_kept():
    blank = np.full((100, 200, 3), 200, np.uint8)
    box = np.array([[10, 10], [190, 10], [190, 90], [10, 90]], np.float32)
    assert np.array_equal(character_rows(blank, box), box)


@pytest.mark.parametrize("model", ["float", "int8"])
def test_the_state_is_named_when_the_box_is_the_whole_board(model):
    """The detector often boxes a large plate's whole board; the name is then inside the box, not above it."""
    bgr, board = _board("IDAHO")
    assert PrintedStateReader(model).read(bgr, board) == "id"


def test_the_printed_name_wins_over_the_shape():
    reader = PlateReader(detector_model="int8", state_guesser=StateGuesser({"LLLDDDD": "tx"}))
    assert reader.read(render_scene([("ABC1234", (500, 400), 260, 0, "OREGON")]))[0].state == "or"
    shape_only = PlateReader(detector_model="int8", state_guesser=StateGuesser({"LLLDDDD": "tx"}), printed_states=None)
    assert shape_only.read(render_scene([("ABC1234", (500, 400), 260, 0, "OREGON")]))[0].state == "tx"



@pytest.mark.parametrize("writing", ["CALIF0RNlA", "VIBGINIA", "NEWY0RX", "KANSA", "MISSOUR", "0REGN", "TEXA5", "DAHO", "HAranaS!", "MAlNEOWA", "NEVAD0", "XYZW"])
@pytest.mark.parametrize("min_score, min_margin", [(0.8, 0.1), (0.6, 0.05)])
def test_names_are_matched_as_if_every_state_were_scored(writing, min_score, min_margin):
    """Skipping names by difflib's upper bounds changes no answer."""
    letters = re.sub("[^A-Z]", "", writing.upper().replace("0", "O"))
    writings = [(s, n) for s, n in STATE_NAMES.items()] + [(s, w) for s, ws in STATE_WRITING.items() for w in ws]
    assert not any(w in letters for _, w in writings), "a partly read name"
    best = {}
    for s, w in writings:
        best[s] = max(best.get(s, 0.0), difflib.SequenceMatcher(None, letters, w).ratio())
    ranked = sorted(((v, s) for s, v in best.items()), reverse=True)
    (score, state), (runner_up, _) = ranked[:2]
    expected = (state, score) if score >= min_score and score - runner_up >= min_margin else (None, 0.0)
    assert named_state(writing, min_score, min_margin) == expected


class ReadsBands(PrintedStateReader):
    """Reads the given writings, band above first, instead of running the line recognizer."""

    def __init__(self, above, below):
        super().__init__()
        self.writings = [above, below]

    def text(self, crop):
        return self.writings.pop(0)


@pytest.mark.parametrize("above, below, state", [
    ("6Arikansas'", " The Natural t", None),  # KANSAS whole above, Arkansas's slogan below
    ("WASHINGTON C", "TATO THOUT EPRESTENTATION", None),  # Washington above, the District's slogan below
    ("KANSAS", "", "ks"),
    ("Calfornia", "dmv.ca.gov", "ca"),
])
def test_the_band_below_is_read_even_when_the_band_above_holds_a_name_whole(above, below, state):
    bgr, board = _board("IDAHO")
    assert ReadsBands(above, below).read(bgr, board) == state
