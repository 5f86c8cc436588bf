"""`PlateReader`: the one entry point that turns an image into plate reads.

detector (where) -> crops -> recognizer (what, with alternatives) -> format
prior (soft re-ranking) -> plate-likeness -> confidence, state, box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .detect import Detector, PlateDetector, PlateRegion, crop_region
from .formats import (
    FormatPrior,
    is_a_sign_word,
    looks_like_a_year,
    looks_like_phone_number,
    looks_like_timestamp,
    may_be_a_word,
    plate_key,
    shows_a_clock_or_date,
)
from .images import LoadedImage, load_image
from .recognize import CTCPlateRecognizer, Recognizer
from .results import Box, Candidate, PlateRead
from .states import PrintedStateReader, StateGuesser, named_state
from .textdet import DBTextDetector
from .textrec import LINE_HEIGHT, TextLineReader

# Detection passes by name: an optional survey at a low resolution, with
# `survey_looks` magnified second looks, that settles the photo when a plate
# reads at `survey_stop` or more; then the full passes.
DETECTION_PASSES = {
    "standard": {"survey_side": 720, "survey_stop": 0.5, "survey_looks": 1},
    "quick": {"survey_side": 640, "survey_stop": 0.5, "survey_looks": 1},
    "thorough": {"survey_side": 0},
}

STATE_NAME_LIKENESS = 0.3  # share of plate-likeness kept by a reading that is a state's name
PHONE_NUMBER_LIKENESS = 0.3  # ... and by an all-digit reading written like a phone number
CLOCK_LIKENESS = 0.1  # ... and by one written with a clock time or a date (a camera's burned-in stamp)
WRITING_MARGIN = 1.2  # a line lower than LINE_HEIGHT is read again this much taller, enlarged to it
YEAR_LIKENESS = 0.3  # ... and by a year alone (a registration sticker)
SIGN_WORD_LIKENESS = 0.3  # ... and by a sign's word (formats.SIGN_WORDS)
UNNAMED_PLATE_RANK = 0.5  # share of its rank a returned plate keeps, when ordering them, without a state name read on it


@dataclass
class _Found:
    region: PlateRegion
    readings: list[tuple[str, float]]  # (text, confidence) best first
    rank: float


class PlateReader:
    """Reads licence plates in images (and, via read_video, videos).

    Parameters (all optional):
      detector / recognizer: swap in other implementations of the interfaces.
      passes: the detection passes, by name (DETECTION_PASSES):
        "standard" (the default) surveys the photo at 720 px, with a second
        look at the most plate-like region only, and stops there when a
        plate reads with confidence 0.5 or more (about two thirds of
        photos), unless that plate is at the frame's top or bottom edge.
        Otherwise the photo is read afresh by the full passes: 1280 px, a
        720p camera frame's own size (shrinking it loses the smaller
        plates), then 1600 px only when nothing readable was found.
        A plate found but read poorly gets a magnified second look instead
        (below), which costs a fraction of a full-frame pass.
        "quick" surveys at 640 px: faster, a little less accurate on photos.
        "thorough" skips the survey. Figures in docs/plates.md.
      survey_side / survey_stop / survey_looks / detection_sides / early_stop:
        the passes given directly (survey_side 0: no survey; survey_looks
        stands in for second_looks in the survey); `early_stop` is the
        confidence after a full pass that ends the full passes.
      video_detection_sides: detection passes for each sampled video frame
        (cheaper: a plate is seen in several frames).
      video_detector_model: the text detector for video frames; "int8" by
        default, which keeps a 1080p video at 5 sampled frames per second
        ahead of real time on one core (a plate missed in one frame is
        read in the next).
      second_looks: the regions read most plate-like (up to this many) are
        looked at again, magnified (PlateDetector.refine); a reading's
        confidence is then the mean of its probabilities in both looks, so
        only readings the two looks agree on stay confident. As many regions
        the recognizer could not read at all get a magnified look too.
      format_prior / state_guesser: the soft US format prior and the state
        rule from the plate's shape (pass StateGuesser({}) to never name a
        state from the shape).
      printed_states: reads the state name printed on plates read with at
        least `printed_state_confidence`; it wins over the shape rule
        (pass None to skip it: it costs one or two small text readings per plate).
        A name read on a plate is also the best sign that it is a plate and
        not lettering: returned plates without one keep UNNAMED_PLATE_RANK
        of their rank when the plates are put in order.
      phone_numbers: reads the writing of each returned plate whose best
        reading is all digits with the general PP-OCR recognizer, which
        keeps punctuation: writing like "376-8750" (a van's phone number, a
        sticker, a dealer frame) keeps PHONE_NUMBER_LIKENESS of its
        confidence, and writing with a clock time or a date in it ("14
        06:2514", a camera's burned-in stamp) CLOCK_LIKENESS (pass None to
        skip both).
      max_side: images are scaled to at most this long side before reading.
      crop_height: a region lower than this (pixels) is cut for the plate
        recognizer enlarged to it, bicubic, in one warp; the recognizer then
        shrinks the crop to its 32-pixel input. A small plate cut at its own
        dozen pixels and enlarged by the recognizer came out blurred
        (docs/plates.md, eighth round: eleven versions of the dev photos,
        1,221 reads, read 1,116 right at 128 and 1,097 at 0).
      tight_look_below / tight_look_height: each region given a second
        look whose best reading is still below `tight_look_below` is read
        once more cut to `tight_look_height` of its height about its centre
        line, and the two readings are pooled like the magnified look's
        (its box is kept). The detector often boxes a small plate with its
        whole board (frame, state name, dealer text); the recognizer reads
        the characters better without them. Eleven versions of the dev
        photos read 1,134 of 1,221 right with it and 1,115 without
        (docs/plates.md, eleventh round); 0 turns it off.
      min_confidence: reads below this are not returned.
      top_n: how many candidate readings each plate carries.
      max_plates: most plates returned per image.
      intra_op_threads: ONNX Runtime threads per model (1 = one core per process).
      detector_model: "int8" (the PP-OCR text detector quantized here, the
        default), "float" (as shipped: 1.5 to 4 times slower by CPU, and no
        more accurate beyond noise at the same resolution, see docs/plates.md)
        or an ONNX file; used when no detector is given.
      recognizer_model: "int8" (the default) or "float": the plate recognizers
        and the PP-OCR line recognizer of printed states and phone numbers,
        quantized here (twice as fast) or as trained and shipped.
      refine_detector_model: the detector for the magnified second looks
        (default: the same as detector_model).
    """

    def __init__(
        self,
        detector: Detector | None = None,
        recognizer: Recognizer | None = None,
        format_prior: FormatPrior | None = None,
        state_guesser: StateGuesser | None = None,
        printed_states: PrintedStateReader | None | str = "default",
        printed_state_confidence: float = 0.3,
        phone_numbers: TextLineReader | None | str = "default",
        passes: str = "standard",
        survey_side: int | None = None,
        survey_stop: float | None = None,
        survey_looks: int | None = None,
        detection_sides: tuple[int, ...] = (1280, 1600),
        video_detection_sides: tuple[int, ...] = (800,),
        early_stop: float = 0.05,
        second_looks: int = 3,
        min_confidence: float = 0.05,
        top_n: int = 5,
        max_plates: int = 5,
        max_side: int = 4096,
        crop_height: int = 128,
        tight_look_below: float = 0.3,
        tight_look_height: float = 0.7,
        intra_op_threads: int = 1,
        detector_model: str = "int8",
        video_detector_model: str = "int8",
        refine_detector_model: str | None = None,
        recognizer_model: str = "int8",
    ):
        if passes not in DETECTION_PASSES:
            raise ValueError(f"unknown detection passes {passes!r}; choose from {', '.join(DETECTION_PASSES)}")
        preset = DETECTION_PASSES[passes]
        if detector is None:
            refine = DBTextDetector(refine_detector_model, intra_op_threads=intra_op_threads) if refine_detector_model else None
            detector = PlateDetector(DBTextDetector(detector_model, intra_op_threads=intra_op_threads), refine_text_detector=refine)
            video_detector = PlateDetector(DBTextDetector(video_detector_model, intra_op_threads=intra_op_threads))
        else:
            video_detector = detector
        self.detector = detector
        self.video_detector = video_detector
        self.recognizer = recognizer or CTCPlateRecognizer(recognizer_model, intra_op_threads=intra_op_threads)
        self.format_prior = format_prior or FormatPrior()
        self.state_guesser = state_guesser if state_guesser is not None else StateGuesser()
        if printed_states == "default":
            printed_states = PrintedStateReader(recognizer_model, intra_op_threads=intra_op_threads)
        self.printed_states = printed_states
        self.printed_state_confidence = printed_state_confidence
        self.phone_numbers = TextLineReader(recognizer_model, intra_op_threads) if phone_numbers == "default" else phone_numbers
        self.survey_side = preset["survey_side"] if survey_side is None else survey_side
        self.survey_stop = preset.get("survey_stop", 1.0) if survey_stop is None else survey_stop
        self.survey_looks = preset.get("survey_looks", second_looks) if survey_looks is None else survey_looks
        self.detection_sides = tuple(detection_sides)
        self.video_detection_sides = tuple(video_detection_sides)
        self.early_stop = early_stop
        self.second_looks = second_looks
        self.min_confidence = min_confidence
        self.top_n = top_n
        self.max_plates = max_plates
        self.max_side = max_side
        self.crop_height = crop_height
        self.tight_look_below = tight_look_below
        self.tight_look_height = tight_look_height

    # -- images -------------------------------------------------------------
    def read(self, image) -> list[PlateRead]:
        """Plates in `image` (path, bytes, PIL image or BGR array), best first.

        Raises PlateReadingError when the input cannot be read as an image.
        """
        return self.read_loaded(load_image(image, max_side=self.max_side))

    def read_loaded(self, loaded: LoadedImage) -> list[PlateRead]:
        bgr = loaded.bgr
        # phone numbers and clocks are damped before the survey's best read is judged: a van's
        # "376-8750" read at 0.8 must not settle the photo
        found = []
        if self.survey_side:
            found = self._damp_writing(bgr, self._read_at(bgr, [self.survey_side], self.survey_stop, self.survey_looks))
        if not _settled(found, self.survey_stop):
            found = self._damp_writing(bgr, self._read_at(bgr, self.detection_sides, self.early_stop, self.second_looks))
        returned = [(f, self.printed_state(bgr, f)) for f in found[: self.max_plates] if f.readings[0][1] >= self.min_confidence]
        # a state's name read on the board says it is a plate, not lettering (a fleet
        # number, a sign): such a plate goes ahead of plates without one it nearly ties
        returned.sort(key=lambda fs: -fs[0].rank * (1.0 if fs[1] else UNNAMED_PLATE_RANK))
        return [self._result(f, printed, loaded.scale) for f, printed in returned]

    def _read_at(self, bgr: np.ndarray, sides, stop: float, looks: int) -> list[_Found]:
        """Detect and read at each resolution in turn, pooling, until a plate reads at `stop`."""
        found: list[_Found] = []
        for side in sides:
            found = _dedupe(found + self._read_regions(bgr, self.detector.detect(bgr, side), looks))
            if found and found[0].readings[0][1] >= stop:
                break
        return found

    def _damp_writing(self, bgr: np.ndarray, found: list[_Found]) -> list[_Found]:
        """Damp all-digit reads whose writing, read with its punctuation, is a phone number or a camera's clock."""
        if self.phone_numbers is None:
            return found
        for f in found[: self.max_plates]:
            if not plate_key(f.readings[0][0]).isdigit():
                continue
            likeness = self._likeness_by_writing(bgr, f.region)
            f.readings = [(t, p * likeness) for t, p in f.readings]
            f.rank *= likeness
        return sorted(found, key=lambda f: -f.rank)

    def _likeness_by_writing(self, bgr: np.ndarray, region: PlateRegion) -> float:
        """How much a region's writing, read with its punctuation, still looks like a plate.

        A line lower than the text recognizer's input is read a second time,
        when the first shows neither a phone number nor a clock, enlarged in
        the cut with a margin above and below like the lines the recognizer
        learnt from: cut at its own 12 pixels, a camera's "13:17:04" reads
        "13817804", its colons taken for digits.
        """
        likeness = _writing_likeness(self.phone_numbers.read(crop_region(bgr, region.quad, widen=1.1, pad_h=0.1)))
        if likeness == 1.0 and region.height < LINE_HEIGHT:
            framed = region.with_height(WRITING_MARGIN).quad
            likeness = _writing_likeness(self.phone_numbers.read(crop_region(bgr, framed, widen=1.1, pad_h=0.1, min_height=LINE_HEIGHT)))
        return likeness

    def _read_regions(self, bgr: np.ndarray, regions: list[PlateRegion], looks: int) -> list[_Found]:
        if not regions:
            return []
        out = self._recognize(bgr, regions)
        refine = getattr(self.detector, "refine", None)
        if refine is None or not looks:
            return out
        read = {id(f.region) for f in out}
        out.sort(key=lambda f: -f.rank)
        for f in out[:looks]:
            second = self._recognize(bgr, refine(bgr, f.region))
            if second:
                _agree(f, max(second, key=lambda g: g.rank))
            if f.readings[0][1] < self.tight_look_below:
                tight = self._recognize(bgr, [f.region.with_height(self.tight_look_height)])
                if tight:
                    _pool(f, tight[0].readings)
        # plate-like regions the recognizer could not read at all may be plates boxed loosely
        unread = [r for r in regions if id(r) not in read]
        for region in sorted(unread, key=lambda r: -r.plausibility)[:looks]:
            out += self._recognize(bgr, refine(bgr, region))
        return out

    def _recognize(self, bgr: np.ndarray, regions: list[PlateRegion]) -> list[_Found]:
        if not regions:
            return []
        crops = [crop_region(bgr, r.quad, min_height=self.crop_height) for r in regions]
        out = []
        for region, raw in zip(regions, self.recognizer.read(crops, top_n=max(self.top_n, 5))):
            readings = self.score_readings(raw)
            if readings:
                out.append(_Found(region, readings, readings[0][1] * region.plausibility))
        return out

    def score_readings(self, raw: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Turn recognizer readings into plate readings with confidences.

        The format prior re-ranks softly; the confidence of each reading is
        its re-ranked probability times how plate-like the text is (length,
        shape), so a confidently read shop sign does not look like a sure plate.
        """
        kept = [(t, p) for t, p in raw if len(plate_key(t)) >= 2 and not looks_like_timestamp(t)]
        ranked = self.format_prior.rerank(kept)
        return [(t, p * self.plate_likeness(t)) for t, p in ranked]

    def plate_likeness(self, text: str) -> float:
        """How much a text looks like a plate rather than other writing (0-1).

        A state's name ("CALIF0RNIA" over the characters) is the writing most
        often read off a plate besides its number, and a registration
        sticker's year the next; each keeps a third of its weight, as does
        a sign's word ("EXIT") in view of a fixed camera.
        """
        likeness = min(1.0, self.format_prior.weight(text) ** 0.5)
        if looks_like_a_year(text):
            likeness *= YEAR_LIKENESS
        if is_a_sign_word(text):
            likeness *= SIGN_WORD_LIKENESS
        return likeness * STATE_NAME_LIKENESS if named_state(text)[0] else likeness

    def printed_state(self, bgr: np.ndarray, found: _Found) -> str | None:
        """The state whose name is printed on the plate, for plates read well enough to look; else None."""
        if self.printed_states is None or found.readings[0][1] < self.printed_state_confidence:
            return None
        return self.printed_states.read(bgr, found.region.quad)

    def _result(self, f: _Found, printed_state: str | None, scale: float) -> PlateRead:
        """The plate as returned; its state is the printed one, else from the plate's shape, else None."""
        quad = f.region.quad * scale
        x0, y0 = np.floor(quad.min(axis=0))
        x1, y1 = np.ceil(quad.max(axis=0))
        text, conf = f.readings[0]
        candidates = tuple(Candidate(t, float(p)) for t, p in f.readings[: self.top_n])
        return PlateRead(
            text=text,
            confidence=float(conf),
            box=Box(int(max(0, x0)), int(max(0, y0)), int(x1 - max(0, x0)), int(y1 - max(0, y0))),
            corners=tuple((float(x), float(y)) for x, y in quad),
            state=printed_state or (self.state_guesser.guess(text) if self.state_guesser else None),
            candidates=candidates,
            detection_score=float(f.region.score),
        )

    # -- video --------------------------------------------------------------
    def read_video(self, path, fps: float = 5.0, **kwargs):
        """One `VideoPlateRead` per vehicle pass; see video.read_video."""
        from .video import read_video

        return read_video(self, path, fps=fps, **kwargs)


def _writing_likeness(writing: str) -> float:
    """How much an all-digit read's writing, with its punctuation, still looks like a plate."""
    if looks_like_phone_number(writing):
        return PHONE_NUMBER_LIKENESS
    return CLOCK_LIKENESS if shows_a_clock_or_date(writing) else 1.0


def _settled(found: list[_Found], stop: float) -> bool:
    """Whether the survey's best plate reads at `stop`, away from the frame's top and bottom edges.

    A plate read at the very top or bottom belongs to a vehicle the frame
    cuts (or is a camera overlay), rarely to the vehicle photographed: it
    does not spare the full passes, which look for the plate in the middle
    of the picture. (Within the full passes it does not: there it sent photos
    to the 1600-px pass, which read no dev photo better and cost 4 % of
    throughput.)
    Nor does a reading that may be a word: a survey that read a pickup's
    "STOR-IT" as `ST0RIT` at 0.54 never saw its plate, which the full pass
    reads at 0.97 (dev photo car3). Words spelled without a 0 never read
    that surely: letters only weigh little in the format prior.
    """
    if not found:
        return False
    best = found[0]
    text, confidence = best.readings[0]
    return confidence >= stop and not best.region.at_edge and not may_be_a_word(text)


def _agree(first: _Found, second: _Found) -> None:
    """Pool two looks at one plate (see _pool); keep the tighter box."""
    first.region = PlateRegion(second.region.quad, max(first.region.score, second.region.score), first.region.plausibility, first.region.at_edge)
    _pool(first, second.readings)


def _pool(found: _Found, readings: list[tuple[str, float]]) -> None:
    """Pool another look's readings into `found`'s: mean probability per plate key.

    Keys are taken in the order the readings came (not a set's, which
    differs from process to process), so readings that tie keep one order.
    """
    a = {plate_key(t): (t, p) for t, p in found.readings}
    b = {plate_key(t): (t, p) for t, p in readings}
    pooled = []
    for key in {**a, **b}:
        text = (a.get(key) or b.get(key))[0]
        pooled.append((text, (a.get(key, ("", 0.0))[1] + b.get(key, ("", 0.0))[1]) / 2))
    pooled.sort(key=lambda r: -r[1])
    found.readings = pooled
    found.rank = pooled[0][1] * found.region.plausibility


def _overlap(a: PlateRegion, b: PlateRegion) -> float:
    ax, ay, aw, ah = a.bounds()
    bx, by, bw, bh = b.bounds()
    ix = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    return inter / max(1e-6, min(aw * ah, bw * bh))


def _dedupe(found: list[_Found]) -> list[_Found]:
    """Keep one entry per plate; readings of duplicates are pooled (max per key)."""
    found = sorted(found, key=lambda f: -f.rank)
    kept: list[_Found] = []
    for f in found:
        for k in kept:
            if _overlap(k.region, f.region) > 0.5:
                pool = {plate_key(t): (t, p) for t, p in k.readings}
                for t, p in f.readings:
                    key = plate_key(t)
                    if key not in pool or pool[key][1] < p:
                        pool[key] = (t, p)
                k.readings = sorted(pool.values(), key=lambda r: -r[1])
                k.rank = max(k.rank, k.readings[0][1] * k.region.plausibility)
                break
        else:
            kept.append(_Found(f.region, list(f.readings), f.rank))
    kept.sort(key=lambda f: -f.rank)
    return kept
