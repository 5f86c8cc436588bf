"""Result types of the plate engine: small frozen dataclasses, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    """Axis-aligned box in pixels of the (EXIF-upright) original image."""

    x: int
    y: int
    w: int
    h: int

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]

    def iou(self, other: "Box") -> float:
        ix = max(0, min(self.x + self.w, other.x + other.w) - max(self.x, other.x))
        iy = max(0, min(self.y + self.h, other.y + other.h) - max(self.y, other.y))
        inter = ix * iy
        union = self.w * self.h + other.w * other.h - inter
        return inter / union if union > 0 else 0.0

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass(frozen=True)
class Candidate:
    """One possible reading of a plate and how likely it is (0-1)."""

    text: str
    confidence: float


@dataclass(frozen=True)
class PlateRead:
    """A plate found in one image.

    `confidence` estimates the probability that `text` is the plate's exact
    registration (compared with `plate_key`); `candidates` lists the best
    alternatives, the first being `text` itself.
    """

    text: str
    confidence: float
    box: Box
    corners: tuple[tuple[float, float], ...] | None = None
    state: str | None = None
    candidates: tuple[Candidate, ...] = ()
    detection_score: float = 0.0

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "confidence": round(self.confidence, 4),
            "box": self.box.as_list(),
            "state": self.state,
            "candidates": [{"text": c.text, "confidence": round(c.confidence, 4)} for c in self.candidates],
        }


@dataclass(frozen=True)
class VideoPlateRead:
    """One vehicle pass in a video: the voted reading and when the plate was seen."""

    text: str
    confidence: float
    box: Box
    first_s: float
    last_s: float
    best_frame: int
    best_s: float
    frames: int
    state: str | None = None
    candidates: tuple[Candidate, ...] = field(default=())

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "confidence": round(self.confidence, 4),
            "box": self.box.as_list(),
            "state": self.state,
            "candidates": [{"text": c.text, "confidence": round(c.confidence, 4)} for c in self.candidates],
            "first_s": round(self.first_s, 3),
            "last_s": round(self.last_s, 3),
        }
