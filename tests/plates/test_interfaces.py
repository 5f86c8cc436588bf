"""The reader composes any Detector and Recognizer; the soft prior acts on whole reads."""

import numpy as np
import pytest

from dearjohn.plates import Detector, PlateReader, PlateRegion, Recognizer
from dearjohn.plates.detect import crop_region
from dearjohn.plates.states import StateGuesser


class OneRegion(Detector):
    def detect(self, bgr, max_side=None):
        quad = np.array([[10, 10], [90, 10], [90, 30], [10, 30]], np.float32)
        return [PlateRegion(quad, 0.9, 1.0)]


class Fixed(Recognizer):
    def __init__(self, readings):
        self.readings = readings

    def read(self, crops, top_n=5):
        return [list(self.readings) for _ in crops]


class CountingRegion(OneRegion):
    """One region, whatever the resolution; remembers the resolutions asked for."""

    def __init__(self):
        self.sides = []

    def detect(self, bgr, max_side=None):
        self.sides.append(max_side)
        return super().detect(bgr, max_side)


def _reader(readings, **kwargs):
    return PlateReader(detector=OneRegion(), recognizer=Fixed(readings), **kwargs)


def test_a_clearly_better_reading_wins_even_if_it_fits_no_format():
    reads = _reader([("A1B2C3D", 0.85), ("AB1234", 0.1)]).read(np.zeros((100, 100, 3), np.uint8))
    assert reads[0].text == "A1B2C3D"
    assert reads[0].candidates[1].text == "AB1234"


def test_the_format_decides_between_close_readings():
    reads = _reader([("7ABCI23", 0.48), ("7ABC123", 0.46)]).read(np.zeros((100, 100, 3), np.uint8))
    assert reads[0].text == "7ABC123"


def test_digits_are_never_forced_into_a_letter_pattern():
    reads = _reader([("1291164", 0.9), ("1Z91164", 0.05)]).read(np.zeros((100, 100, 3), np.uint8))
    assert reads[0].text == "1291164"


def test_timestamps_are_not_plates():
    assert _reader([("20140617", 0.99)]).read(np.zeros((100, 100, 3), np.uint8)) == []


def test_a_signs_word_in_view_of_a_fixed_camera_is_not_a_sure_plate():
    blank = np.zeros((100, 100, 3), np.uint8)
    sign = _reader([("0NLY", 0.99)]).read(blank)[0]
    word = _reader([("0NLX", 0.99)]).read(blank)[0]
    assert sign.confidence == pytest.approx(0.3 * word.confidence)
    assert sign.confidence < 0.2  # the intake keeps reads from 0.2


def test_a_confident_sign_is_less_sure_than_a_confident_plate():
    sign = _reader([("STOP", 0.99)]).read(np.zeros((100, 100, 3), np.uint8))
    plate = _reader([("7ABC123", 0.99)]).read(np.zeros((100, 100, 3), np.uint8))
    assert sign[0].confidence < plate[0].confidence


def test_a_state_name_read_off_a_plate_is_not_taken_for_its_number():
    blank = np.zeros((100, 100, 3), np.uint8)

    def confidence(text):
        reads = _reader([(text, 0.99)]).read(blank)
        return reads[0].confidence if reads else 0.0

    assert confidence("CALF0RNA") == pytest.approx(0.3 * confidence("BXLF0RNQ"))  # same shape, not a name
    assert confidence("0HI0") == pytest.approx(0.3 * confidence("0HX0"))
    assert confidence("CALIF0RNIA") == 0.0  # too long for a plate and a name: not returned at all
    assert confidence("7ABC123") > 0.9


def test_a_year_alone_is_taken_for_a_registration_sticker():
    blank = np.zeros((100, 100, 3), np.uint8)

    def confidence(text):
        return _reader([(text, 0.99)]).read(blank)[0].confidence

    assert confidence("2008") == pytest.approx(0.3 * confidence("2368"))
    assert confidence("1957") == pytest.approx(0.3 * confidence("1857"))
    assert confidence("20084") == confidence("23684")  # five digits: a plate like any other


class RemembersCrops(Fixed):
    def read(self, crops, top_n=5):
        self.crops = crops
        return super().read(crops, top_n)


@pytest.mark.parametrize("crop_height, height", [(128, 128), (0, 20), (10, 20)])
def test_a_low_region_is_cut_enlarged_for_the_recognizer(crop_height, height):
    recognizer = RemembersCrops([("7ABC123", 0.9)])
    scene = np.random.default_rng(0).integers(0, 255, (100, 100, 3), np.uint8)
    PlateReader(detector=OneRegion(), recognizer=recognizer, crop_height=crop_height, passes="thorough").read(scene)
    (crop,) = recognizer.crops
    assert crop.shape[0] == height
    assert crop.shape[1] / crop.shape[0] == pytest.approx((80 * 1.05 + 2 * 0.05 * 20) / 20, rel=0.02)


def test_a_sliver_of_a_region_is_not_blown_up_into_a_huge_crop():
    sliver = np.array([[0, 10], [4000, 10], [4000, 10.01], [0, 10.01]], np.float32)
    crop = crop_region(np.zeros((50, 5000, 3), np.uint8), sliver, min_height=128)
    assert crop.shape[0] <= 128 and crop.shape[1] <= 4300 * 16


class Writing:
    """Stands in for the general text recognizer: every crop reads as `text`."""

    def __init__(self, text):
        self.text = text
        self.calls = 0

    def read(self, crop):
        self.calls += 1
        return self.text


def test_writing_like_a_phone_number_is_not_taken_for_a_plate():
    blank = np.zeros((100, 100, 3), np.uint8)
    phone = _reader([("3768750", 0.99)], phone_numbers=Writing("376-8750")).read(blank)
    plate = _reader([("3768750", 0.99)], phone_numbers=Writing("376 8750")).read(blank)
    assert phone[0].confidence == pytest.approx(0.3 * plate[0].confidence)
    assert plate[0].confidence == _reader([("3768750", 0.99)], phone_numbers=None).read(blank)[0].confidence


@pytest.mark.parametrize("writing", ["14 06:2514", "2014-05-"])
def test_a_piece_of_a_camera_clock_is_not_taken_for_a_plate(writing):
    blank = np.zeros((100, 100, 3), np.uint8)
    clock = _reader([("4062514", 0.99)], phone_numbers=Writing(writing)).read(blank)
    plate = _reader([("4062514", 0.99)], phone_numbers=Writing("406 2514")).read(blank)
    assert clock[0].confidence == pytest.approx(0.1 * plate[0].confidence)


def test_a_six_digit_plate_is_checked_for_a_clock_too():
    writing = Writing("06:2514")
    reads = _reader([("062514", 0.99)], phone_numbers=writing).read(np.zeros((100, 100, 3), np.uint8))
    assert writing.calls >= 1 and reads[0].confidence < 0.1


class SmallWriting(Writing):
    """Reads `text` from a crop at least `clear_from` pixels high, `blurred` from a lower one."""

    def __init__(self, blurred, text, clear_from=48):
        super().__init__(text)
        self.blurred, self.clear_from, self.heights = blurred, clear_from, []

    def read(self, crop):
        self.heights.append(crop.shape[0])
        return self.text if crop.shape[0] >= self.clear_from else self.blurred


def test_a_small_clock_is_read_again_enlarged_with_a_margin_before_it_passes_for_a_plate():
    """OneRegion is 20 pixels high: cut at that height, "13:17:04" loses its colons."""
    writing = SmallWriting("13817804", "13:17:04")
    reads = _reader([("13817804", 0.99)], phone_numbers=writing).read(np.zeros((100, 100, 3), np.uint8))
    assert writing.heights[:2] == [20, 48]  # (the survey, then the full pass, each check the writing)
    assert reads[0].confidence == pytest.approx(0.1 * _reader([("13817804", 0.99)], phone_numbers=None).read(np.zeros((100, 100, 3), np.uint8))[0].confidence)


def test_a_line_as_high_as_the_text_recognizers_input_is_read_once():
    writing = SmallWriting("13817804", "13:17:04", clear_from=20)
    _reader([("13817804", 0.99)], phone_numbers=writing).read(np.zeros((100, 100, 3), np.uint8))
    assert set(writing.heights) == {20}


def test_only_all_digit_readings_are_checked_for_phone_numbers():
    writing = Writing("376-8750")
    reads = _reader([("7ABC123", 0.99)], phone_numbers=writing).read(np.zeros((100, 100, 3), np.uint8))
    assert writing.calls == 0 and reads[0].confidence > 0.9


def test_state_is_named_only_from_a_known_shape():
    guesser = StateGuesser({"DLLLDDD": "ca"})
    assert _reader([("7ABC123", 0.9)], state_guesser=guesser).read(np.zeros((100, 100, 3), np.uint8))[0].state == "ca"
    assert _reader([("ABC1234", 0.9)], state_guesser=guesser).read(np.zeros((100, 100, 3), np.uint8))[0].state is None


def test_boxes_are_scaled_back_to_original_pixels():
    reader = _reader([("7ABC123", 0.9)], max_side=100)
    read = reader.read(np.zeros((200, 200, 3), np.uint8))[0]
    assert read.box.as_list() == [20, 20, 160, 40]


@pytest.mark.parametrize("passes, confidence, sides", [
    ("standard", 0.99, [720]),  # read well in the survey: done
    ("standard", 0.3, [720, 1280]),  # read poorly in the survey: read afresh at the camera's size
    ("standard", 0.01, [720, 1280, 1600]),  # nothing readable at the camera's size: look finer
    ("quick", 0.99, [640]),
    ("thorough", 0.99, [1280]),
    ("thorough", 0.01, [1280, 1600]),
])
def test_detection_passes_stop_once_a_plate_reads_well_enough(passes, confidence, sides):
    detector = CountingRegion()
    reader = PlateReader(detector=detector, recognizer=Fixed([("7ABC123", confidence)]), passes=passes, min_confidence=0.0)
    reader.read(np.zeros((100, 100, 3), np.uint8))
    assert detector.sides == sides


class RegionPerResolution(Detector):
    """A different place at each resolution: the survey's and the full pass's reads can be told apart."""

    def detect(self, bgr, max_side=None):
        x = 10 if max_side == 720 else 200
        quad = np.array([[x, 10], [x + 80, 10], [x + 80, 30], [x, 30]], np.float32)
        return [PlateRegion(quad, 0.9, 1.0)]


def test_a_survey_that_settles_nothing_leaves_no_reads_behind():
    reader = PlateReader(detector=RegionPerResolution(), recognizer=Fixed([("7ABC123", 0.3)]), min_confidence=0.0)
    reads = reader.read(np.zeros((100, 400, 3), np.uint8))
    assert [r.box.x for r in reads] == [200]


def test_unknown_detection_passes_are_refused():
    with pytest.raises(ValueError, match="standard, quick, thorough"):
        PlateReader(detector=OneRegion(), recognizer=Fixed([]), passes="fast")


def test_a_phone_number_read_well_in_the_survey_does_not_settle_the_photo():
    detector = CountingRegion()
    reader = PlateReader(detector=detector, recognizer=Fixed([("3768750", 0.99)]), phone_numbers=Writing("376-8750"))
    reader.read(np.zeros((100, 100, 3), np.uint8))
    assert detector.sides == [720, 1280]


@pytest.mark.parametrize("reading, sides", [
    ("ST0RIT", [720, 1280]),  # a pickup's "STOR-IT": the recognizers have no letter O
    ("C0UGAR", [720, 1280]),
    ("ST1RIT", [720]),  # a digit other than 0: no word
])
def test_a_reading_that_may_be_a_word_does_not_settle_the_photo(reading, sides):
    detector = CountingRegion()
    PlateReader(detector=detector, recognizer=Fixed([(reading, 0.99)]), phone_numbers=None, printed_states=None).read(np.zeros((100, 100, 3), np.uint8))
    assert detector.sides == sides


class EdgeRegion(CountingRegion):
    """One region in the frame's top band, where vehicles cut by the frame and camera overlays are."""

    def detect(self, bgr, max_side=None):
        self.sides.append(max_side)
        quad = np.array([[10, 0], [90, 0], [90, 3], [10, 3]], np.float32)
        return [PlateRegion(quad, 0.9, 0.4, at_edge=True)]


def test_a_plate_read_well_at_the_frame_edge_does_not_settle_the_photo():
    detector = EdgeRegion()
    reads = PlateReader(detector=detector, recognizer=Fixed([("7ABC123", 0.99)])).read(np.zeros((100, 100, 3), np.uint8))
    assert detector.sides == [720, 1280]
    assert [r.text for r in reads] == ["7ABC123"]  # still returned: it is a plate


class ThreeRegionsWithRefine(Detector):
    """Three regions at every resolution; remembers which resolution each magnified look followed."""

    def __init__(self):
        self.side, self.looks = None, []

    def detect(self, bgr, max_side=None):
        self.side = max_side
        quads = [np.array([[x, 10], [x + 80, 10], [x + 80, 30], [x, 30]], np.float32) for x in (10, 110, 210)]
        return [PlateRegion(q, 0.9, 1.0) for q in quads]

    def refine(self, bgr, region):
        self.looks.append(self.side)
        return [region]


@pytest.mark.parametrize("confidence, looks", [
    (0.99, [720]),  # the survey looks again at its most plate-like region only
    (0.3, [720, 1280, 1280, 1280]),  # the full pass at its three
])
def test_the_survey_takes_fewer_second_looks_than_the_full_pass(confidence, looks):
    detector = ThreeRegionsWithRefine()
    PlateReader(detector=detector, recognizer=Fixed([("7ABC123", confidence)]), min_confidence=0.0).read(np.zeros((100, 400, 3), np.uint8))
    assert detector.looks == looks


class TwoLines:
    """A text detector that finds one line at the frame's top edge and one in the middle."""

    def detect(self, bgr, max_side=None):
        from dearjohn.plates.textdet import TextLine

        def line(x, y):
            return TextLine(np.array([[x, y], [x + 80, y], [x + 80, y + 30], [x, y + 30]], np.float32), 0.9)

        return [line(800, 2), line(300, 340)]


class BrightMeansSure(Recognizer):
    """Reads a bright crop surely and a dark one hesitantly."""

    def read(self, crops, top_n=5):
        return [[("6MTP929", 0.95)] if c.mean() > 128 else [("6TIX874", 0.35)] for c in crops]


def test_a_plate_read_in_the_middle_outranks_one_read_more_surely_at_the_frame_edge():
    """The edge holds vehicles the frame cuts; the photographed vehicle's plate is in the picture."""
    from dearjohn.plates import PlateDetector

    frame = np.zeros((720, 1280, 3), np.uint8)
    frame[:40, 780:900] = 255
    reader = PlateReader(detector=PlateDetector(TwoLines()), recognizer=BrightMeansSure(), printed_states=None,
                         phone_numbers=None, survey_looks=0, second_looks=0, min_confidence=0.0)
    reads = reader.read(frame)
    assert [r.text for r in reads] == ["6TIX874", "6MTP929"]
    assert reads[1].confidence == pytest.approx(0.95)  # its reading is no less sure: it is only ranked below


class FleetNumberAbovePlate:
    """A text detector that finds a line high on the frame (a truck's fleet number) and one low (its plate)."""

    def detect(self, bgr, max_side=None):
        from dearjohn.plates.textdet import TextLine

        def line(y):
            return TextLine(np.array([[600, y], [680, y], [680, y + 30], [600, y + 30]], np.float32), 0.9)

        return [line(100), line(500)]


def _truck(fleet_number=0.8, plate=0.6, printed_states=None, top_plausibility=0.85):
    """A frame with a bright fleet number above a dark plate, and a reader that reads them at these confidences."""
    from dearjohn.plates import PlateDetector

    class BrightIsTheFleetNumber(Recognizer):
        def read(self, crops, top_n=5):
            return [[("9937410", fleet_number)] if c.mean() > 128 else [("1049338", plate)] for c in crops]

    frame = np.zeros((720, 1280, 3), np.uint8)
    frame[90:140, 590:690] = 255
    reader = PlateReader(detector=PlateDetector(FleetNumberAbovePlate(), top_plausibility=top_plausibility), recognizer=BrightIsTheFleetNumber(),
                         printed_states=printed_states, phone_numbers=None, survey_looks=0, second_looks=0, min_confidence=0.0,
                         state_guesser=StateGuesser({}))
    return frame, reader


class NamesTheDarkBoard:
    """A printed-state reader that reads "Indiana" beside dark regions only."""

    def read(self, bgr, quad):
        x0, y0 = np.floor(quad.min(axis=0)).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
        return "in" if bgr[y0:y1, x0:x1].mean() < 128 else None


def test_a_plate_with_its_state_name_read_on_it_outranks_lettering_read_a_little_more_surely():
    """A fleet number painted on a truck reads as surely as its plate; only the plate has a state's name on it."""
    frame, reader = _truck(printed_states=NamesTheDarkBoard())
    reads = reader.read(frame)
    assert [(r.text, r.state) for r in reads] == [("1049338", "in"), ("9937410", None)]
    assert [r.confidence for r in reads] == pytest.approx([0.6 * 0.6**0.5, 0.8 * 0.6**0.5])  # as sure as before: only the order moves

    reader.printed_states = None
    assert [r.text for r in reader.read(frame)] == ["9937410", "1049338"]  # without names, the surer reading goes first


@pytest.mark.parametrize("top_plausibility, order", [(0.85, ["1049338", "9937410"]), (1.0, ["9937410", "1049338"])])
def test_a_plate_low_in_the_frame_outranks_writing_above_it_read_a_little_more_surely(top_plausibility, order):
    """The photographed vehicle's plate sits at its bumper; its lettering and farther vehicles are higher up."""
    frame, reader = _truck(plate=0.76, top_plausibility=top_plausibility)
    reads = reader.read(frame)
    assert [r.text for r in reads] == order
    assert {r.text: r.confidence for r in reads} == pytest.approx({"9937410": 0.8 * 0.6**0.5, "1049338": 0.76 * 0.6**0.5})


class BoardAroundCharacters(Detector):
    """One region boxed loosely: a bright character line (rows 35-65) inside a dark board (rows 20-80)."""

    def detect(self, bgr, max_side=None):
        return [PlateRegion(np.array([[10, 20], [190, 20], [190, 80], [10, 80]], np.float32), 0.9, 1.0)]

    def refine(self, bgr, region):
        return [region]


class SureOfBrightCrops(Recognizer):
    """Reads a crop that is mostly characters surely, one that is mostly board hesitantly; keeps the crops."""

    def __init__(self):
        self.crops = []

    def read(self, crops, top_n=5):
        self.crops += crops
        return [[("7ABC123", 0.9 if c.mean() > 150 else 0.1)] for c in crops]


def _board_picture(character_rows=(35, 65)):
    picture = np.zeros((100, 200, 3), np.uint8)
    picture[character_rows[0]:character_rows[1]] = 255
    return picture


@pytest.mark.parametrize("tight_look_below, confidence", [(0.3, 0.5), (0.0, 0.1)])
def test_a_weak_read_is_read_again_narrowed_to_its_characters(tight_look_below, confidence):
    """The looser look and the narrowed one are pooled: the mean of 0.1 and 0.9."""
    reader = PlateReader(detector=BoardAroundCharacters(), recognizer=SureOfBrightCrops(), printed_states=None,
                         phone_numbers=None, min_confidence=0.0, tight_look_below=tight_look_below)
    reads = reader.read(_board_picture())
    assert reads[0].text == "7ABC123"
    assert reads[0].confidence == pytest.approx(confidence)
    assert reads[0].box.h >= 60, "the box stays the region's"


def test_a_sure_read_is_not_read_again():
    recognizer = SureOfBrightCrops()
    PlateReader(detector=BoardAroundCharacters(), recognizer=recognizer, printed_states=None, phone_numbers=None).read(
        _board_picture(character_rows=(0, 100)))
    assert len(recognizer.crops) == 2  # the survey's look and its magnified look; nothing narrowed


def test_a_narrowed_region_keeps_its_centre_line_and_width():
    tilted = np.array([[0, 10], [100, 0], [104, 40], [4, 50]], np.float32)  # tilted, 40 high
    region = PlateRegion(tilted, 0.9, 0.8, at_edge=True)
    narrowed = region.with_height(0.5)
    assert np.allclose(narrowed.quad.mean(axis=0), tilted.mean(axis=0))
    assert narrowed.width == pytest.approx(region.width)
    assert narrowed.height == pytest.approx(region.height / 2)
    assert (narrowed.score, narrowed.plausibility, narrowed.at_edge) == (0.9, 0.8, True)
