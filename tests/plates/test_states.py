"""Naming the issuing state: from the printed name, else from the plate's shape, else not at all."""

import pytest

from dearjohn.plates import PlateReader, plate_key
from dearjohn.plates.states import PrintedStateReader, StateGuesser

from .conftest import render_scene


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
    ],
)
def test_a_printed_name_names_its_state(writing, state):
    assert PrintedStateReader().match(writing)[0] == state


@pytest.mark.parametrize("writing", ["", "dmv.ca.gov", "Sunshine State", "Land of Lincoln", "ABC", "NOR", "2026"])
def test_other_writing_names_no_state(writing):
    assert PrintedStateReader().match(writing) == (None, 0.0)


@pytest.fixture(scope="module")
def reader():
    return PlateReader(detector_model="int8", state_guesser=StateGuesser({}))


def test_the_state_printed_above_the_characters_is_named(reader):
    reads = reader.read(render_scene([("ABC1234", (500, 400), 260, 0, "IDAHO")]))
    assert plate_key(reads[0].text) == "ABC1234"
    assert reads[0].state == "id"


def test_a_plate_with_no_state_name_gets_none(reader):
    reads = reader.read(render_scene([("ABC1234", (500, 400), 260, 0, "Sunshine")]))
    assert plate_key(reads[0].text) == "ABC1234"
    assert reads[0].state is None


def test_the_printed_name_wins_over_the_shape():
    reader = PlateReader(detector_model="int8", state_guesser=StateGuesser({"LLLDDDD": "tx"}))
    assert reader.read(render_scene([("ABC1234", (500, 400), 260, 0, "OREGON")]))[0].state == "or"
    shape_only = PlateReader(detector_model="int8", state_guesser=StateGuesser({"LLLDDDD": "tx"}), printed_states=None)
    assert shape_only.read(render_scene([("ABC1234", (500, 400), 260, 0, "OREGON")]))[0].state == "tx"
