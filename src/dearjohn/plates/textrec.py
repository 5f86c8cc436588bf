"""Reading any line of writing with the PP-OCR text recognizer shipped in rapidocr.

The plate recognizer knows only A-Z and 0-9; this one also knows lower case,
punctuation and spaces, which is what tells writing around a plate apart
from the plate: a state's printed name, a phone number's hyphen.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from .onnx import pp_ocr_model, session_for


QUANTIZED_REC_MODEL = Path(__file__).parent / "models" / "text_rec_int8.onnx"


def text_rec_model(name: str | Path) -> Path:
    """The recognizer file for a name: "int8" (quantized here, the default), "float" (as shipped) or a path.

    The 8-bit version (training/plates/quantize_recognizers.py) runs nearly
    twice as fast and names as many states, as often right, on the crops
    set (docs/plates.md).
    """
    return pp_ocr_model(name, "rec", QUANTIZED_REC_MODEL)


LINE_HEIGHT = 48  # the recognizer's input height, in pixels


class TextLineReader:
    """Greedy reading of one line of writing (any characters the model knows)."""

    def __init__(self, model_path: str | Path = "int8", intra_op_threads: int = 1):
        self.model_path = text_rec_model(model_path)
        self.intra_op_threads = intra_op_threads

    def read(self, crop: np.ndarray) -> str:
        session = session_for(self.model_path, self.intra_op_threads)
        scores = session.run(None, {session.get_inputs()[0].name: network_input(crop)})[0][0]
        chars = _characters(session)
        out, previous = [], 0
        for index in scores.argmax(axis=1):
            if index != previous and 0 < index <= len(chars):
                out.append(chars[index - 1])
            previous = index
        return "".join(out)


def network_input(crop: np.ndarray) -> np.ndarray:
    """A BGR crop as the network takes it: LINE_HEIGHT pixels high, width kept in proportion (16-640), -1..1."""
    h, w = crop.shape[:2]
    width = max(16, min(640, int(w * LINE_HEIGHT / max(1, h))))
    x = cv2.resize(crop, (width, LINE_HEIGHT)).astype(np.float32) / 127.5 - 1.0
    return x.transpose(2, 0, 1)[None]


_charsets: dict[int, list[str]] = {}


def _characters(session) -> list[str]:
    """The recognizer's character list (kept in the ONNX file's metadata); index 0 of its output is the blank."""
    key = id(session)
    if key not in _charsets:
        _charsets[key] = session.get_modelmeta().custom_metadata_map["character"].split("\n") + [" "]
    return _charsets[key]
