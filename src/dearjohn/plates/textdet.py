"""Text-line detection with the PP-OCR DB detector shipped inside `rapidocr`.

The detector returns every text line in a picture (plates, but also signs,
stickers, timestamps); `detect.py` decides which lines are plates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .onnx import pp_ocr_model, session_for


QUANTIZED_DET_MODEL = Path(__file__).parent / "models" / "text_det_int8.onnx"


def det_model(name: str | Path) -> Path:
    """The detector file for a name: "float" (as shipped), "int8" (quantized here), or a path.

    The 8-bit version (training/plates/quantize_detector.py) runs about four
    times faster on CPUs with integer dot-product instructions; its lines
    differ from the shipped model's by a pixel here and there. (Its GELUs are
    one node each: rounding every step of them to 8 bits cost a tenth of the
    time; models/MODEL_CARD.md.)
    """
    return pp_ocr_model(name, "det", QUANTIZED_DET_MODEL)


@dataclass(frozen=True)
class TextLine:
    """A detected text line: a rotated rectangle in the coordinates of the image given."""

    quad: np.ndarray  # 4x2 float32, clockwise from top-left
    score: float

    @property
    def center(self) -> tuple[float, float]:
        c = self.quad.mean(axis=0)
        return float(c[0]), float(c[1])

    @property
    def size(self) -> tuple[float, float]:
        """(long side, short side) of the rectangle."""
        q = self.quad
        w = float(np.linalg.norm(q[1] - q[0]))
        h = float(np.linalg.norm(q[3] - q[0]))
        return w, h

    @property
    def angle(self) -> float:
        """Angle of the top edge in degrees."""
        d = self.quad[1] - self.quad[0]
        return float(np.degrees(np.arctan2(d[1], d[0])))


class DBTextDetector:
    """PP-OCR Differentiable-Binarisation text detector.

    `model` is "float", "int8" or an ONNX file (see det_model).
    `max_side` bounds the resolution the network sees (cost grows with the
    pixel count); small plates need a larger value.
    """

    def __init__(
        self,
        model: str | Path = "float",
        max_side: int = 960,
        threshold: float = 0.3,
        box_threshold: float = 0.45,
        unclip_ratio: float = 1.6,
        intra_op_threads: int = 1,
    ):
        self.model = model
        self.max_side = max_side
        self.threshold = threshold
        self.box_threshold = box_threshold
        self.unclip_ratio = unclip_ratio
        self.intra_op_threads = intra_op_threads

    def _session(self):
        return session_for(det_model(self.model), self.intra_op_threads)

    def probability_map(self, bgr: np.ndarray, max_side: int | None = None) -> tuple[np.ndarray, float, float]:
        """Run the network; return the text probability map and the x/y scale back to `bgr`."""
        max_side = max_side or self.max_side
        h, w = bgr.shape[:2]
        ratio = min(1.0, max_side / max(h, w)) if max(h, w) > max_side else max_side / max(h, w)
        rh = max(32, int(round(h * ratio / 32)) * 32)
        rw = max(32, int(round(w * ratio / 32)) * 32)
        img = cv2.resize(bgr, (rw, rh), interpolation=cv2.INTER_AREA if ratio < 1 else cv2.INTER_LINEAR)
        x = (img.astype(np.float32) * (2.0 / 255.0) - 1.0).transpose(2, 0, 1)[None]
        session = self._session()
        pred = session.run(None, {session.get_inputs()[0].name: x})[0][0, 0]
        return pred, w / rw, h / rh

    def detect(self, bgr: np.ndarray, max_side: int | None = None) -> list[TextLine]:
        pred, sx, sy = self.probability_map(bgr, max_side)
        return self.lines_from_map(pred, sx, sy)

    def lines_from_map(self, pred: np.ndarray, sx: float, sy: float) -> list[TextLine]:
        mask = (pred > self.threshold).astype(np.uint8)
        mask = cv2.dilate(mask, np.ones((2, 2), np.uint8))
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        lines = []
        for contour in contours[:1000]:
            if len(contour) < 4:
                continue
            (cx, cy), (rw, rh), ang = cv2.minAreaRect(contour)
            if min(rw, rh) < 2:
                continue
            x, y, bw, bh = cv2.boundingRect(contour)
            local = np.zeros((bh, bw), np.uint8)
            cv2.fillPoly(local, [contour.reshape(-1, 2) - [x, y]], 1)
            score = float(cv2.mean(pred[y : y + bh, x : x + bw], local)[0])
            if score < self.box_threshold:
                continue
            area, perimeter = rw * rh, 2 * (rw + rh)
            d = area * self.unclip_ratio / perimeter
            quad = cv2.boxPoints(((cx, cy), (rw + 2 * d, rh + 2 * d), ang))
            quad = order_quad(quad) * np.array([sx, sy], np.float32)
            lines.append(TextLine(quad.astype(np.float32), score))
        return lines


def order_quad(pts: np.ndarray) -> np.ndarray:
    """Order four corners clockwise as top-left, top-right, bottom-right, bottom-left.

    Plates are read left to right, so the "top" edge is the one running most
    nearly rightwards (tilts up to 45 degrees).
    """
    pts = np.asarray(pts, np.float32)
    c = pts.mean(axis=0)
    pts = pts[np.argsort(np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0]))]  # clockwise (y down)
    best = max(range(4), key=lambda k: pts[(k + 1) % 4][0] - pts[k][0])
    return np.roll(pts, -best, axis=0)
