"""Plate detection: where in a picture the plates are.

`Detector` is the tiny interface the reader needs. `PlateDetector` finds text
lines with the PP-OCR detector, joins lines that are pieces of one plate
("991" + emblem + "LNJ"), and keeps the lines whose geometry could be a plate,
ranked by a plausibility score. Whether the text reads like a plate is decided
later, once it has been read (reader.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import cv2
import numpy as np

from .textdet import DBTextDetector, TextLine, order_quad


@dataclass(frozen=True)
class PlateRegion:
    """A place that may hold a plate: a rotated rectangle around its characters."""

    quad: np.ndarray  # 4x2 float32, TL TR BR BL, in pixels of the image given to detect()
    score: float  # detector confidence that this is text, 0-1
    plausibility: float  # geometry-based prior that this text line is a plate, 0-1
    at_edge: bool = False  # in the top or bottom band of the frame, where camera overlays sit

    @property
    def width(self) -> float:
        return float(np.linalg.norm(self.quad[1] - self.quad[0]))

    @property
    def height(self) -> float:
        return float(np.linalg.norm(self.quad[3] - self.quad[0]))

    def with_height(self, height_factor: float) -> "PlateRegion":
        """The region with its top and bottom edges moved about its centre line, to `height_factor` of its height.

        Below 1 it holds a plate's characters without its board; above 1 it
        gives a line of writing the margin a text recognizer expects.
        """
        q = self.quad
        inward = (q[[3, 2]] - q[[0, 1]]) * ((1 - height_factor) / 2)  # TL->BL and TR->BR, scaled
        quad = np.vstack([q[[0, 1]] + inward, q[[2, 3]] - inward[::-1]]).astype(np.float32)
        return PlateRegion(quad, self.score, self.plausibility, self.at_edge)

    def bounds(self) -> tuple[float, float, float, float]:
        x0, y0 = self.quad.min(axis=0)
        x1, y1 = self.quad.max(axis=0)
        return float(x0), float(y0), float(x1 - x0), float(y1 - y0)


class Detector(ABC):
    """Finds candidate plate regions in a BGR image."""

    @abstractmethod
    def detect(self, bgr: np.ndarray, max_side: int | None = None) -> list[PlateRegion]:
        """Candidate regions, most plausible first. `max_side` may bound the work done."""


class PlateDetector(Detector):
    """Text-line detector plus plate-shaped filtering.

    `refine_text_detector`, when given, draws the magnified second looks
    (`refine`): small crops, where a more exact detector costs little.
    Arguments set what counts as plate-shaped: `min_height` in pixels of the
    image given, the aspect range of a plate's character line, the maximum
    tilt, and how many regions to hand to the recognizer. A line in the
    frame's top or bottom `edge_band` keeps `edge_plausibility` of its
    plausibility: camera overlays sit there, and the plates of vehicles
    the frame cuts, never the photographed vehicle's. At 0.4 a plate read
    at 0.95 there out-ranked the photographed van's read at 0.39 (dev photo
    wts-lg-000148); at 0.25 it does not, and no other dev photo's first
    plate changed in any of eleven versions of the photos (docs/plates.md,
    fifth round).
    Lower in the frame is a little more plausible: a line at the top keeps
    `top_plausibility`, one at the bottom all of it. The photographed
    vehicle's plate sits at its bumper, low in the picture; above it are
    the vehicle's own lettering (a truck's fleet number), signs, and the
    plates of vehicles farther away.
    """

    def __init__(
        self,
        text_detector: DBTextDetector | None = None,
        refine_text_detector: DBTextDetector | None = None,
        min_height: float = 7.0,
        min_aspect: float = 1.0,
        max_aspect: float = 9.0,
        max_tilt_deg: float = 30.0,
        edge_band: float = 0.04,
        edge_plausibility: float = 0.25,
        top_plausibility: float = 0.85,
        max_regions: int = 10,
    ):
        self.text_detector = text_detector or DBTextDetector()
        self.refine_text_detector = refine_text_detector
        self.min_height = min_height
        self.min_aspect = min_aspect
        self.max_aspect = max_aspect
        self.max_tilt_deg = max_tilt_deg
        self.edge_band = edge_band
        self.edge_plausibility = edge_plausibility
        self.top_plausibility = top_plausibility
        self.max_regions = max_regions

    def detect(self, bgr: np.ndarray, max_side: int | None = None) -> list[PlateRegion]:
        lines = self.text_detector.detect(bgr, max_side)
        lines = lines + merge_pieces(lines)
        h, w = bgr.shape[:2]
        regions = []
        for line in lines:
            lw, lh = line.size
            if lh < self.min_height or lw < lh * self.min_aspect or lw > lh * self.max_aspect:
                continue
            if abs(line.angle) > self.max_tilt_deg:
                continue
            regions.append(PlateRegion(line.quad, line.score, self._plausibility(line, w, h), self._at_edge(line, h)))
        regions.sort(key=lambda r: -r.plausibility)
        return regions[: self.max_regions]

    def refine(self, bgr: np.ndarray, region: PlateRegion, target_width: float = 128.0, max_regions: int = 3) -> list[PlateRegion]:
        """Look again at one region, magnified: tighter, better-aligned plate lines.

        A full-frame pass at moderate resolution finds plates but draws loose
        boxes around small ones (plate frame, dealer text). Cutting the region
        with some context and detecting again at a scale where the plate is
        about `target_width` pixels wide gives boxes like those the
        recognizer was trained on, for a fraction of a full-frame pass.
        """
        x, y, w, h = region.bounds()
        cx, cy = x + w / 2, y + h / 2
        cw, ch = w * 1.6 + h, h * 2.2
        x0, y0 = max(0, int(cx - cw / 2)), max(0, int(cy - ch / 2))
        x1, y1 = min(bgr.shape[1], int(cx + cw / 2)), min(bgr.shape[0], int(cy + ch / 2))
        if x1 - x0 < 8 or y1 - y0 < 8:
            return []
        crop = bgr[y0:y1, x0:x1]
        scale = target_width / max(w, 1.0)
        side = int(max(crop.shape[:2]) * scale)
        side = max(96, min(side, 640))
        lines = (self.refine_text_detector or self.text_detector).detect(crop, side)
        lines = lines + merge_pieces(lines)
        out = []
        for line in lines:
            lw, lh = line.size
            lcx, lcy = line.center
            if lw < lh * self.min_aspect or lw > lh * self.max_aspect or abs(line.angle) > self.max_tilt_deg:
                continue
            # keep lines that lie on the region (not neighbouring text)
            if not (x <= lcx + x0 <= x + w and y <= lcy + y0 <= y + h):
                continue
            if lw < 0.25 * w:
                continue
            quad = line.quad + np.array([x0, y0], np.float32)
            out.append(PlateRegion(quad, line.score, region.plausibility, region.at_edge))
        out.sort(key=lambda r: -(r.width * r.height))
        return out[:max_regions]

    def _at_edge(self, line: TextLine, img_h: int) -> bool:
        cy = line.center[1]
        return cy < img_h * self.edge_band or cy > img_h * (1 - self.edge_band)

    def _plausibility(self, line: TextLine, img_w: int, img_h: int) -> float:
        """Prior from geometry: plate-like aspect, not in an overlay band, not tiny, central and low."""
        lw, lh = line.size
        cx, cy = line.center
        aspect = lw / lh
        p = 1.0
        if aspect < 1.6 or aspect > 6.0:
            p *= 0.6
        if self._at_edge(line, img_h):
            p *= self.edge_plausibility
        if lh < 10:
            p *= 0.7
        # prefer larger and more central lines a little
        p *= 0.8 + 0.2 * (1 - min(1.0, abs(cx / img_w - 0.5) * 2))
        p *= self.top_plausibility + (1 - self.top_plausibility) * min(1.0, max(0.0, cy / img_h))
        return float(p * (0.5 + 0.5 * line.score))


def merge_pieces(lines: list[TextLine]) -> list[TextLine]:
    """Join neighbouring lines of similar height on one baseline (a plate split by an emblem or gap)."""
    merged = []
    n = len(lines)
    for i in range(n):
        wi, hi = lines[i].size
        ci = lines[i].center
        for j in range(n):
            if i == j:
                continue
            wj, hj = lines[j].size
            cj = lines[j].center
            if cj[0] <= ci[0]:
                continue
            if max(hi, hj) > 1.45 * min(hi, hj) or abs(ci[1] - cj[1]) > 0.35 * max(hi, hj):
                continue
            gap = (cj[0] - wj / 2) - (ci[0] + wi / 2)
            if gap > 1.6 * max(hi, hj) or gap < -0.5 * max(hi, hj):
                continue
            pts = np.vstack([lines[i].quad, lines[j].quad])
            rect = cv2.minAreaRect(pts.astype(np.float32))
            merged.append(TextLine(order_quad(cv2.boxPoints(rect)), min(lines[i].score, lines[j].score)))
    return merged


def crop_region(bgr: np.ndarray, quad: np.ndarray, widen: float = 1.05, pad_h: float = 0.05, min_height: float = 0) -> np.ndarray:
    """Cut a region for the recognizer: the quad widened a little, warped upright.

    `widen` scales the width and `pad_h` adds that fraction of the height on
    each side horizontally, matching how training crops were cut.
    A region lower than `min_height` pixels is drawn enlarged to that height
    (bicubic; it counts as 8 pixels high at least, so a sliver is not blown
    up) in the same warp. A small plate is then sampled once, finely,
    instead of being cut at its own few pixels and enlarged again by the
    recognizer, which blurs the strokes that tell a 4 from an A.
    """
    quad = np.asarray(quad, np.float32)
    w = float(np.linalg.norm(quad[1] - quad[0]))
    h = float(np.linalg.norm(quad[3] - quad[0]))
    ux = (quad[1] - quad[0]) / max(w, 1e-6)
    extra = (w * (widen - 1) / 2) + pad_h * h
    src = quad.copy()
    src[0] -= ux * extra
    src[3] -= ux * extra
    src[1] += ux * extra
    src[2] += ux * extra
    zoom = max(1.0, min_height / max(h, 8.0))  # a sliver of a region is not blown up into a huge picture
    out_w = max(8, int(round((w + 2 * extra) * zoom)))
    out_h = max(8, int(round(h * zoom)))
    dst = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    flags = cv2.INTER_CUBIC if zoom > 1 else cv2.INTER_LINEAR
    return cv2.warpPerspective(bgr, m, (out_w, out_h), flags=flags, borderMode=cv2.BORDER_REPLICATE)
