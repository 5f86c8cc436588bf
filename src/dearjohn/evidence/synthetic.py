"""Street footage the project renders itself, for the demo and the intake bench.

A simple street at night or by day with one car seen from behind and a
fictitious plate on it, drawn in a bold sans face like US plate lettering.
Deterministic: the same arguments give the same bytes, so the demo can be
loaded twice without adding anything.
"""

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"]
PLATE_FONTS = ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"]
SMALL_FONTS = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"]
# The colours a car can be painted, by the names a registry gives them.
CAR_COLOURS = {"Black": (30, 30, 34), "White": (220, 222, 225), "Silver": (150, 152, 158), "Gray": (90, 92, 98),
               "Blue": (28, 58, 128), "Red": (140, 24, 30), "Green": (34, 80, 44), "Beige": (196, 184, 150)}


def _font(names, size):
    for folder in FONT_DIRS:
        for name in names:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def plate_image(text, state="California", width=300):
    """A US-style plate: white board, state name in red, the registration in dark blue."""
    height = width // 2
    plate = Image.new("RGB", (width, height), (246, 246, 242))
    d = ImageDraw.Draw(plate)
    d.rounded_rectangle([1, 1, width - 2, height - 2], radius=width // 30, outline=(40, 40, 60), width=max(2, width // 100))
    d.text((width / 2, height * 0.16), state, font=_font(SMALL_FONTS, height // 6), fill=(170, 30, 36), anchor="mm")
    size = int(height * 0.5)
    big = _font(PLATE_FONTS, size)
    while d.textlength(text, font=big) > width * 0.88 and size > 8:
        size -= 1
        big = _font(PLATE_FONTS, size)
    d.text((width / 2, height * 0.58), text, font=big, fill=(24, 34, 96), anchor="mm")
    return plate


def street_scene(text, **options):
    """One frame: buildings, a road, a car from behind at horizontal position `car_x` (0-1), its plate readable."""
    return street_scene_with_box(text, **options)[0]


def street_scene_with_box(text, *, seed=0, size=(1280, 720), night=False, car_x=0.5, state="California", colour=None):
    """The frame and where its plate is, as (x, y, width, height).

    `colour` is one of CAR_COLOURS; without it the seed picks one, so the
    same plate on another seed may be on a car of another colour.
    """
    rng = random.Random(f"{seed}-{text}")
    w, h = size
    sky = (22, 26, 44) if night else (176, 196, 214)
    image = Image.new("RGB", size, sky)
    d = ImageDraw.Draw(image)
    x = 0
    while x < w:  # a row of buildings
        bw, bh = rng.randint(w // 10, w // 5), rng.randint(h // 4, h // 2)
        shade = rng.randint(70, 150) if not night else rng.randint(30, 60)
        d.rectangle([x, h * 0.55 - bh, x + bw, h * 0.55], fill=(shade, shade - 8, shade - 16))
        for wy in range(int(h * 0.55 - bh + 12), int(h * 0.55 - 20), 28):
            for wx in range(x + 10, x + bw - 16, 26):
                lit = (240, 210, 120) if night and rng.random() < 0.4 else (shade + 40, shade + 44, shade + 50)
                d.rectangle([wx, wy, wx + 12, wy + 14], fill=lit)
        x += bw + rng.randint(0, 8)
    d.rectangle([0, h * 0.55, w, h], fill=(58, 58, 62) if night else (96, 96, 100))
    d.rectangle([0, h * 0.55, w, h * 0.58], fill=(140, 140, 136) if not night else (70, 70, 70))  # kerb
    for lx in range(0, w, w // 8):
        d.rectangle([lx, h * 0.83, lx + w // 16, h * 0.845], fill=(220, 210, 140))
    cw, ch = int(w * 0.42), int(h * 0.42)
    cx, cy = int(w * car_x), int(h * 0.68)
    colour = CAR_COLOURS[colour] if colour else rng.choice(list(CAR_COLOURS.values()))
    left, top = cx - cw // 2, cy - ch // 2
    d.rounded_rectangle([left + cw * 0.12, top, left + cw * 0.88, top + ch * 0.45], radius=ch // 6, fill=colour)
    d.rounded_rectangle([left + cw * 0.2, top + ch * 0.06, left + cw * 0.8, top + ch * 0.36], radius=ch // 10, fill=(40, 52, 66))
    d.rounded_rectangle([left, top + ch * 0.35, left + cw, top + ch * 0.9], radius=ch // 8, fill=colour)
    for side in (0, 1):
        lx = left + cw * (0.04 if side == 0 else 0.8)
        d.rounded_rectangle([lx, top + ch * 0.45, lx + cw * 0.16, top + ch * 0.58], radius=6,
                            fill=(230, 40, 40) if night else (170, 30, 30))
        wx = left + cw * (0.06 if side == 0 else 0.8)
        d.rectangle([wx, top + ch * 0.86, wx + cw * 0.14, top + ch * 1.02], fill=(18, 18, 18))
    d.rectangle([left + cw * 0.02, top + ch * 0.78, left + cw * 0.98, top + ch * 0.86], fill=(36, 36, 38))  # bumper
    plate = plate_image(text, state=state, width=int(cw * 0.34))
    px, py = cx - plate.width // 2, int(top + ch * 0.56)
    image.paste(plate, (px, py))
    if night:
        image = Image.blend(image, Image.new("RGB", size, (0, 0, 0)), 0.12)
    return image.filter(ImageFilter.GaussianBlur(0.6)), (px, py, plate.width, plate.height)


def jpeg_bytes(image, quality=88):
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def street_video(path, text, *, seconds=4.0, fps=8, size=(960, 540), night=True, seed=0, colour=None):
    """A short clip of a car driving across the frame, written with OpenCV (MJPG in AVI, playable everywhere)."""
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    frames = int(seconds * fps)
    for i in range(frames):
        frame = street_scene(text, seed=seed, size=size, night=night, car_x=0.25 + 0.5 * i / max(1, frames - 1), colour=colour)
        writer.write(cv2.cvtColor(np.asarray(frame), cv2.COLOR_RGB2BGR))
    writer.release()
    return path
