"""Synthetic plates and scenes for the plate engine tests (no external data needed)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SMALL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size)


def render_plate(text: str, width: int = 320, state: str = "Ohio") -> Image.Image:
    """A plain US-style plate: light board, dark characters, the state's name just above them (as on most plates)."""
    height = width // 2
    img = Image.new("RGB", (width, height), (242, 242, 236))
    d = ImageDraw.Draw(img)
    d.rectangle([2, 2, width - 3, height - 3], outline=(30, 30, 60), width=max(1, width // 100))
    size = int(height * 0.5)
    big = _font(FONT, size)
    while d.textlength(text, font=big) > width * 0.86 and size > 8:
        size -= 1
        big = _font(FONT, size)
    tw = d.textlength(text, font=big)
    origin = ((width - tw) / 2, height * 0.55 - size * 0.6)
    d.text(origin, text, font=big, fill=(20, 20, 30))
    glyphs_top, glyphs_bottom = d.textbbox(origin, text, font=big)[1::2]
    small = _font(SMALL_FONT, height // 7)
    tw = d.textlength(state, font=small)
    name_bottom = d.textbbox((0, 0), state, font=small)[3]
    gap = 0.15 * (glyphs_bottom - glyphs_top)
    d.text(((width - tw) / 2, max(2, glyphs_top - gap - name_bottom)), state, font=small, fill=(30, 50, 140))
    return img


def render_scene(plates, size=(1280, 720), blur: float = 0.0, seed: int = 0) -> Image.Image:
    """A street-ish scene with plates pasted on car-like blocks.

    `plates` is a list of (text, (x, y), plate_width[, angle_degrees[, state_name]]).
    """
    rng = np.random.default_rng(seed)
    w, h = size
    base = rng.normal(110, 25, (h // 8, w // 8, 3)).clip(0, 255).astype(np.uint8)
    scene = Image.fromarray(base).resize(size, Image.Resampling.BICUBIC)
    d = ImageDraw.Draw(scene)
    for text, (x, y), pw, *rest in plates:
        angle = rest[0] if rest else 0.0
        state = rest[1] if len(rest) > 1 else "Ohio"
        d.rectangle([x - pw, y - pw * 0.6, x + 2 * pw, y + pw], fill=tuple(int(v) for v in rng.integers(40, 200, 3)))
        plate = render_plate(text, width=pw, state=state).convert("RGBA")
        if angle:
            plate = plate.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
        scene.paste(plate, (x, y), plate)
    if blur:
        scene = scene.filter(ImageFilter.GaussianBlur(blur))
    return scene


@pytest.fixture(scope="session", params=["float", "int8"])
def reader(request):
    """The default reader with its models as shipped and trained ("float") and as quantized here ("int8")."""
    from dearjohn.plates import PlateReader

    p = request.param
    return PlateReader(detector_model=p, video_detector_model=p, recognizer_model=p)
