"""Synthetic US-style licence plates for recognizer training.

A plate is a light (sometimes coloured) board with a state-name line on top,
a slogan below and the registration in large characters, drawn with the fonts
installed on the machine. Returns the plate image and its text.
"""

from __future__ import annotations

import glob
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ALPHABET = "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789"  # no letter O: plates print it as 0
LETTERS = "ABCDEFGHIJKLMNPQRSTUVWXYZ"
DIGITS = "0123456789"

MAIN_FONTS = sorted(
    f
    for f in glob.glob("/usr/share/fonts/truetype/dejavu/*.ttf") + glob.glob("/usr/share/fonts/truetype/liberation/*.ttf")
    if ("Bold" in f or "Mono" in f or "Condensed" in f or "Narrow" in f) and "Math" not in f
)
SMALL_FONTS = sorted(glob.glob("/usr/share/fonts/truetype/dejavu/*.ttf") + glob.glob("/usr/share/fonts/truetype/liberation/*.ttf"))
STATE_WORDS = [
    "CALIFORNIA", "Virginia", "NEW JERSEY", "Illinois", "TEXAS", "Florida", "OREGON", "Nevada", "Maryland",
    "Idaho", "WISCONSIN", "New York", "Washington", "ALASKA", "Arizona", "Georgia", "Ohio", "Louisiana",
    "North Carolina", "Hawaii", "Minnesota", "Rhode Island", "Delaware", "Maine", "Vermont", "dmv.ca.gov",
]
SLOGANS = [
    "Land of Lincoln", "Sunshine State", "Garden State", "First in Flight", "Live Free or Die", "Aloha State",
    "Famous Potatoes", "Sportsman's Paradise", "The Natural State", "Great Lakes", "Ocean State", "Treasure State",
    "America's Dairyland", "Empire State", "Evergreen State", "Celebrating Statehood", "Taxation without Representation",
]
PATTERNS = ["LLLDDDD", "DLLLDDD", "LLLDDD", "DDDLLL", "LLDDDD", "DLLDDD", "LDDDDDD", "DDDDLL", "LLLDDDL", "DDLLLD",
            "LLDLLDD", "DDDDDD", "DDDDDDD", "LLLLDD", "DLDDDDL", "LLDDDLL", "DDDLDD", "LDDLLL"]


def random_text(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.7:
        pat = rng.choice(PATTERNS)
    elif r < 0.85:
        pat = "".join(rng.choice("LD") for _ in range(rng.randint(2, 8)))
    else:  # vanity: letters mostly
        pat = "".join(rng.choice("LLLLD") for _ in range(rng.randint(3, 8)))
    return "".join(rng.choice(LETTERS if c == "L" else DIGITS) for c in pat)


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def render_plate(rng: random.Random, text: str | None = None) -> tuple[Image.Image, str]:
    """Draw one plate, 2:1 board, ~320 px wide."""
    text = text or random_text(rng)
    W, H = 320, rng.randint(150, 170)
    light = rng.random() < 0.8
    if light:
        bg = tuple(rng.randint(200, 255) for _ in range(3))
        if rng.random() < 0.2:
            bg = (rng.randint(220, 255), rng.randint(200, 240), rng.randint(60, 160))  # yellow-ish
        fg = rng.choice([(20, 20, 30), (20, 30, 110), (150, 20, 20), (10, 60, 20), (rng.randint(0, 90),) * 3])
    else:
        bg = tuple(rng.randint(0, 90) for _ in range(3))
        fg = tuple(rng.randint(200, 255) for _ in range(3))
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    if rng.random() < 0.5:  # gradient / artwork band
        band = tuple(min(255, max(0, c + rng.randint(-60, 60))) for c in bg)
        y0 = rng.randint(0, H // 2)
        d.rectangle([0, y0, W, y0 + rng.randint(10, 60)], fill=band)
    if rng.random() < 0.6:
        d.rectangle([3, 3, W - 4, H - 4], outline=fg, width=rng.randint(1, 4))
    small = rng.choice(SMALL_FONTS)
    if rng.random() < 0.85:
        word = rng.choice(STATE_WORDS)
        f = _font(small, rng.randint(18, 32))
        tw = d.textlength(word, font=f)
        d.text(((W - tw) / 2, rng.randint(4, 12)), word, font=f, fill=rng.choice([fg, (150, 20, 20), (20, 40, 140)]))
    if rng.random() < 0.7:
        word = rng.choice(SLOGANS)
        f = _font(small, rng.randint(12, 20))
        tw = d.textlength(word, font=f)
        d.text(((W - tw) / 2, H - rng.randint(24, 32)), word, font=f, fill=rng.choice([fg, (150, 20, 20), (20, 40, 140)]))
    if rng.random() < 0.5:  # stickers in the corners
        for x in rng.sample([8, W - 50], rng.randint(1, 2)):
            col = tuple(rng.randint(0, 255) for _ in range(3))
            d.rectangle([x, 8, x + 40, 8 + rng.randint(16, 28)], fill=col)
            d.text((x + 4, 10), str(rng.randint(10, 99)), font=_font(small, 14), fill=(255 - col[0], 255 - col[1], 255 - col[2]))
    # main characters
    font_path = rng.choice(MAIN_FONTS)
    size = rng.randint(62, 92)
    f = _font(font_path, size)
    gap_at = rng.randint(1, len(text) - 1) if (len(text) > 3 and rng.random() < 0.35) else -1
    spacing = rng.randint(-2, 8)
    widths = [d.textlength(c, font=f) for c in text]
    total = sum(widths) + spacing * (len(text) - 1) + (rng.randint(14, 40) if gap_at > 0 else 0)
    if total > W - 16:
        sx = (W - 16) / total
    else:
        sx = 1.0
    layer = Image.new("L", (int(total) + 10, size + 30), 0)
    ld = ImageDraw.Draw(layer)
    x = 5
    for i, c in enumerate(text):
        if i == gap_at:
            x += rng.randint(14, 40) if gap_at > 0 else 0
        ld.text((x, 5), c, font=f, fill=255)
        x += widths[i] + spacing
    bbox = layer.getbbox() or (0, 0, layer.width, layer.height)
    layer = layer.crop(bbox)
    th = int(H * rng.uniform(0.42, 0.58))
    tw = int(min(W * 0.88, layer.width * sx * th / max(1, layer.height) * rng.uniform(0.8, 1.1)))
    layer = layer.resize((max(10, tw), th))
    cx = min(max(4, (W - layer.width) // 2 + rng.randint(-8, 8)), W - layer.width - 4)
    cy = int(H * rng.uniform(0.45, 0.58) - th / 2)
    if gap_at > 0 and rng.random() < 0.5:  # emblem between groups
        ex = cx + int(layer.width * gap_at / len(text))
        d.ellipse([ex - 12, cy + th // 4, ex + 12, cy + th // 4 + 24], fill=rng.choice([fg, (200, 120, 20), (30, 120, 30)]))
    img.paste(Image.new("RGB", layer.size, fg), (cx, cy), layer)
    if rng.random() < 0.3:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    return img, text


def to_array(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGB"))[:, :, ::-1].copy()


if __name__ == "__main__":
    rng = random.Random(1)
    sheet = Image.new("RGB", (640, 680), "white")
    for i in range(8):
        im, t = render_plate(rng)
        sheet.paste(im.resize((320, 160)), ((i % 2) * 320, (i // 2) * 170))
    sheet.save("/tmp/synth.png")
