"""Plate recognizers: a crop of a plate in, per-step character probabilities out.

`Recognizer` is the tiny interface the reader needs; `CTCPlateRecognizer`
runs the small CTC model trained for this project (see models/MODEL_CARD.md).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from .ctc import beam_search
from .onnx import session_for

MODELS_DIR = Path(__file__).parent / "models"
DEFAULT_MODELS = ("plate_rec.onnx", "plate_rec_b.onnx", "plate_rec_c.onnx", "plate_rec_d.onnx", "plate_rec_e.onnx")


def rec_models(name: str | Path | Sequence[str | Path]) -> list[Path]:
    """The recognizer files for a name: "int8" (the default), "float" (as trained), or path(s).

    The 8-bit versions (training/plates/quantize_recognizers.py) run twice as
    fast on CPUs with integer dot-product instructions; their best reading
    is the float ensemble's for 1,496 of 1,502 crops (docs/plates.md).
    """
    if name == "float":
        return [MODELS_DIR / m for m in DEFAULT_MODELS]
    if name == "int8":
        return [MODELS_DIR / m.replace(".onnx", "_int8.onnx") for m in DEFAULT_MODELS]
    return [Path(name)] if isinstance(name, (str, Path)) else [Path(p) for p in name]


class Recognizer(ABC):
    """Reads plate crops. Subclasses return readings with probabilities, best first."""

    @abstractmethod
    def read(self, crops: list[np.ndarray], top_n: int = 5) -> list[list[tuple[str, float]]]:
        """For each BGR crop, up to `top_n` (text, probability) readings."""


class CTCPlateRecognizer(Recognizer):
    """The project's plate recognizer (grey 32x128 input, CTC over A-Z 0-9 without O).

    `model_path` is "int8" (the default), "float" or recognizer file(s); with
    several files, readings are the ensemble's (see read).

    The model was trained on crops cut the way `PlateDetector` cuts them (a
    text-line box widened a little, from tight line to whole plate), so feed
    it those crops, not tight character boxes.
    """

    def __init__(self, model_path: str | Path | Sequence[str | Path] = "int8", intra_op_threads: int = 1, beam_width: int = 12):
        self.model_paths = rec_models(model_path)
        # an 8-bit file shares the description of the float file it was made from
        first = self.model_paths[0]
        meta_path = first.with_name(first.name.replace("_int8", "")).with_suffix(".json")
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        self.alphabet = meta.get("alphabet", "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789")
        self.input_h, self.input_w = meta.get("input", [32, 128])
        self.intra_op_threads = intra_op_threads
        self.beam_width = beam_width

    def prepare(self, crop: np.ndarray) -> np.ndarray:
        """Grey, resized to the model input, contrast-normalised (as in training)."""
        grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
        interp = cv2.INTER_AREA if grey.shape[1] > self.input_w else cv2.INTER_LINEAR
        grey = cv2.resize(grey, (self.input_w, self.input_h), interpolation=interp).astype(np.float32)
        return (grey - grey.mean()) / max(float(grey.std()), 8.0)

    def probabilities(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        """Per model file: B x T x (1 + len(alphabet)) per-step probabilities, blank first."""
        if not crops:
            return [np.zeros((0, 0, len(self.alphabet) + 1), np.float32) for _ in self.model_paths]
        batch = np.stack([self.prepare(c) for c in crops])[:, None]
        outputs = []
        for path in self.model_paths:
            session = session_for(path, self.intra_op_threads)
            outputs.append(session.run(None, {session.get_inputs()[0].name: batch})[0])
        return outputs

    def read(self, crops: list[np.ndarray], top_n: int = 5) -> list[list[tuple[str, float]]]:
        """Readings of each crop; with several model files, each text's probability is their mean.

        Models trained alike from different starting weights rarely make the
        same mistake with the same certainty. They are combined per reading,
        not per time step: separately trained CTC models place a character at
        different steps, and averaging misaligned steps would blur readings
        that both models are sure of.
        """
        per_model = [[beam_search(p, self.alphabet, beam_width=self.beam_width, top_n=max(top_n, 10)) for p in probs]
                     for probs in self.probabilities(crops)]
        out = []
        for readings in zip(*per_model):
            pooled: dict[str, float] = {}
            for model_readings in readings:
                for text, p in model_readings:
                    pooled[text] = pooled.get(text, 0.0) + p / len(readings)
            out.append(sorted(pooled.items(), key=lambda r: -r[1])[:top_n])
        return out
