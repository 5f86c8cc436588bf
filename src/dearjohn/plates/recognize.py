"""Plate recognizers: a crop of a plate in, per-step character probabilities out.

`Recognizer` is the tiny interface the reader needs; `CTCPlateRecognizer`
runs the small CTC model trained for this project (see models/MODEL_CARD.md).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from pathlib import Path

import cv2
import numpy as np

from .ctc import beam_search
from .onnx import session_for

MODELS_DIR = Path(__file__).parent / "models"


class Recognizer(ABC):
    """Reads plate crops. Subclasses return readings with probabilities, best first."""

    @abstractmethod
    def read(self, crops: list[np.ndarray], top_n: int = 5) -> list[list[tuple[str, float]]]:
        """For each BGR crop, up to `top_n` (text, probability) readings."""


class CTCPlateRecognizer(Recognizer):
    """The project's plate recognizer (grey 32x128 input, CTC over A-Z 0-9 without O).

    The model was trained on crops cut the way `PlateDetector` cuts them (a
    text-line box widened a little, from tight line to whole plate), so feed
    it those crops, not tight character boxes.
    """

    def __init__(self, model_path: str | Path | None = None, intra_op_threads: int = 1, beam_width: int = 12):
        self.model_path = Path(model_path) if model_path else MODELS_DIR / "plate_rec.onnx"
        meta_path = self.model_path.with_suffix(".json")
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

    def probabilities(self, crops: list[np.ndarray]) -> np.ndarray:
        """B x T x (1 + len(alphabet)) per-step probabilities, blank first."""
        if not crops:
            return np.zeros((0, 0, len(self.alphabet) + 1), np.float32)
        batch = np.stack([self.prepare(c) for c in crops])[:, None]
        session = session_for(self.model_path, self.intra_op_threads)
        return session.run(None, {session.get_inputs()[0].name: batch})[0]

    def read(self, crops: list[np.ndarray], top_n: int = 5) -> list[list[tuple[str, float]]]:
        probs = self.probabilities(crops)
        return [beam_search(p, self.alphabet, beam_width=self.beam_width, top_n=top_n) for p in probs]
