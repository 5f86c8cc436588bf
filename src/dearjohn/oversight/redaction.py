"""Redaction: the one gate every image passes before it leaves the system.

A letter, an export or a public page may show the vehicle whose plate was
read, and nothing else: not the people in or near it, not other vehicles'
plates, not the writing on signs, shop fronts or stickers. `redact_for_release`
does that in three steps:

1. Crop to the vehicle. A US plate is about 12 in wide and a car about six
   plate widths wide, its roof about three and a half plate widths above the
   plate; the crop is that box around the given plate, so bystanders,
   neighbouring cars and the street fall outside it.
2. Obscure the window band. People in a vehicle are seen through its glass,
   which lies above the trunk lid or bumper, more than about a plate width and
   a half above the plate. No model that ships in a registry package finds a
   seated occupant reliably (OpenCV's HOG pedestrian detector looks for whole
   standing bodies at least 128 px tall), so instead of detecting people the
   whole band is pixelated: make and colour stay visible in the body panels.
3. Obscure every other piece of text. The PP-OCR text detector that ships in
   the `rapidocr` wheel (run by the plate engine's `DBTextDetector`) finds text
   lines; all of them are pixelated except the target plate itself.

No face detection or recognition is involved anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image

from dearjohn.plates.images import upright_rgb

from .errors import OversightError

# Vehicle geometry in plate widths (a US plate is 12 in by 6 in).
HALF_WIDTH = 3.3  # a car is ~70 in wide; allow for the plate being off-centre
ABOVE = 3.6  # plate top to roof on sedans and most SUVs
BELOW = 1.4  # plate bottom to the road
WINDOW_CLEARANCE = 1.0  # glass starts at least this far above the plate top (hatchbacks, SUVs)
PLATE_MARGIN = 0.08  # the kept plate box grows by this fraction on each side


class RedactionError(OversightError):
    """The image cannot be released because it cannot be redacted."""


@dataclass(frozen=True)
class Region:
    """A box (left, top, right, bottom) in pixels; right and bottom exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self):
        return self.right - self.left

    @property
    def height(self):
        return self.bottom - self.top

    def shifted(self, dx, dy):
        return Region(self.left + dx, self.top + dy, self.right + dx, self.bottom + dy)

    def clipped(self, width, height):
        return Region(max(0, self.left), max(0, self.top), min(width, self.right), min(height, self.bottom))


def vehicle_region(image_size: tuple[int, int], plate_box: tuple[int, int, int, int]) -> Region:
    """The part of the image kept for release: the estimated vehicle around `plate_box`.

    `plate_box` is (x, y, width, height), as stored in `PlateRead.box`.
    """
    width, height = image_size
    x, y, w, h = _checked_box(image_size, plate_box)
    cx = x + w / 2
    region = Region(
        int(round(cx - HALF_WIDTH * w)),
        int(round(y - ABOVE * w)),
        int(round(cx + HALF_WIDTH * w)),
        int(round(y + h + BELOW * w)),
    )
    return region.clipped(width, height)


def window_band(region: Region, plate_box: tuple[int, int, int, int]) -> Region:
    """Where the vehicle's glass (and so its occupants) can appear, inside `region`."""
    x, y, w, h = plate_box
    bottom = int(round(y - WINDOW_CLEARANCE * w))
    return Region(region.left, region.top, region.right, max(region.top, min(bottom, region.bottom)))


def redact_for_release(image: Image.Image, plate_box: tuple[int, int, int, int]) -> Image.Image:
    """The image as it may leave the system: the vehicle only, people and other text obscured.

    Returns a new RGB image (no metadata carried over) cropped to
    `vehicle_region(image.size, plate_box)`. The box is measured on the
    picture turned upright by its EXIF orientation, as the plate reader
    sees it, so the picture is turned so here: a phone photo taken on its
    side was otherwise cropped and masked beside the vehicle.
    """
    image = upright_rgb(image)
    rgb = np.asarray(image)
    region = vehicle_region(image.size, plate_box)
    crop = rgb[region.top : region.bottom, region.left : region.right].copy()
    x, y, w, h = _checked_box(image.size, plate_box)
    local_plate = (x - region.left, y - region.top, w, h)

    mask = np.zeros(crop.shape[:2], np.uint8)
    band = window_band(region, plate_box).shifted(-region.left, -region.top)
    mask[band.top : band.bottom, band.left : band.right] = 1
    for quad in text_lines(crop):
        cv2.fillPoly(mask, [np.round(_lengthened(quad)).astype(np.int32)], 1)
    kept = _grown(local_plate, PLATE_MARGIN).clipped(crop.shape[1], crop.shape[0])
    mask[kept.top : kept.bottom, kept.left : kept.right] = 0

    block = max(6, int(round(h / 3)))  # coarser than a character stroke on the plate's scale
    out = np.where(mask[..., None].astype(bool), pixelate(crop, block), crop)
    return Image.fromarray(np.ascontiguousarray(out), "RGB")


def text_lines(rgb: np.ndarray) -> list[np.ndarray]:
    """Every text line the shipped PP-OCR detector finds, as 4x2 corner arrays."""
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    return [line.quad for line in _detector().detect(bgr)]


def pixelate(rgb: np.ndarray, block: int) -> np.ndarray:
    """Average over `block`-pixel squares, then smooth the block edges: detail cannot be recovered."""
    height, width = rgb.shape[:2]
    small = cv2.resize(rgb, (max(1, width // block), max(1, height // block)), interpolation=cv2.INTER_AREA)
    big = cv2.resize(small, (width, height), interpolation=cv2.INTER_NEAREST)
    k = block | 1
    return cv2.GaussianBlur(big, (k, k), 0)


@lru_cache(maxsize=1)
def _detector():
    from dearjohn.plates.textdet import DBTextDetector

    # A lower box threshold than plate reading: here a missed line is a leak,
    # a spurious one only a blurred patch of car.
    return DBTextDetector(max_side=960, threshold=0.2, box_threshold=0.25, unclip_ratio=2.0)


def _lengthened(quad):
    """The quad grown along the line by one text height at each end, and a little across it.

    The detector often stops a line short of its first or last letter; a
    letter left sharp at either end is a leak.
    """
    (cx, cy), (a, b), angle = cv2.minAreaRect(np.asarray(quad, np.float32))
    short = min(a, b)
    grow_a, grow_b = (2 * short, 0.5 * short) if a >= b else (0.5 * short, 2 * short)
    return cv2.boxPoints(((cx, cy), (a + grow_a, b + grow_b), angle))


def _checked_box(image_size, plate_box):
    try:
        x, y, w, h = (int(v) for v in plate_box)
    except (TypeError, ValueError):
        raise RedactionError(f"plate box {plate_box!r} is not (x, y, width, height)") from None
    width, height = image_size
    if w <= 0 or h <= 0 or x >= width or y >= height or x + w <= 0 or y + h <= 0:
        raise RedactionError(f"plate box {plate_box!r} does not lie in the {width}x{height} image")
    return x, y, w, h


def _grown(box, fraction):
    x, y, w, h = box
    dx, dy = int(round(w * fraction)), int(round(h * fraction))
    return Region(x - dx, y - dy, x + w + dx, y + h + dy)
