"""Shared pieces of the recognizer training: the held-back split and the crop augmentation."""

from __future__ import annotations

import csv
import hashlib
import random
import sys
from pathlib import Path

import cv2
import numpy as np

CROPS_DIR = Path("/work/shared/datasets/openalpr-us-plates")
INPUT_H, INPUT_W = 32, 128


def is_held_back(file_name: str) -> bool:
    """The fixed 20% split: a crop is held back when sha1(file name) mod 5 == 0."""
    return int(hashlib.sha1(file_name.encode()).hexdigest(), 16) % 5 == 0


def load_crops(crops_dir: Path = CROPS_DIR) -> tuple[list, list]:
    train, held = [], []
    with open(crops_dir / "labels.csv") as fh:
        for row in csv.DictReader(fh):
            img = cv2.imread(str(crops_dir / "images" / row["file"]))
            if img is None:
                continue
            text = row["plate"].upper().replace("O", "0")
            item = (row["file"], img, text, row["state"])
            (held if is_held_back(row["file"]) else train).append(item)
    return train, held


def cut_plate(plate: np.ndarray, rng: random.Random, strong: bool = True) -> np.ndarray:
    """Cut a recognizer input from a whole-plate image the way a text detector's box would.

    At photo scale the detector's box around a plate's characters ranges from
    a tight line (about 0.6 of the plate height) to the whole plate and a bit
    more; the horizontal extent (after the reader widens it a little) from 0.95 to 1.2 of the plate width.
    """
    ph, pw = plate.shape[:2]
    if strong:
        cx = pw * (0.5 + rng.gauss(0, 0.02))
        cy = ph * rng.uniform(0.42, 0.6)
        bw = pw * rng.uniform(0.95, 1.2)
        bh = ph * rng.uniform(0.6, 1.25)
        angle = rng.gauss(0, 3)
        target_w = rng.uniform(40, 220)  # plate width in the photo, pixels
    else:
        cx, cy, bw, bh, angle, target_w = pw * 0.5, ph * 0.5, pw * 1.0, ph * 1.0, 0.0, 128
    pad = int(0.4 * max(pw, ph))
    border = cv2.BORDER_REPLICATE if rng.random() < 0.5 else cv2.BORDER_REFLECT
    big = cv2.copyMakeBorder(plate, pad, pad, pad, pad, border)
    if strong and rng.random() < 0.5:
        noise = np.random.default_rng(rng.randint(0, 1 << 30)).integers(0, 255, big.shape, dtype=np.uint8)
        mask = np.ones(big.shape[:2], bool)
        mask[pad : pad + ph, pad : pad + pw] = False
        big[mask] = cv2.GaussianBlur(noise, (0, 0), 3)[mask]
    cx, cy = cx + pad, cy + pad
    scale = target_w / pw
    out_w, out_h = max(8, int(round(bw * scale))), max(6, int(round(bh * scale)))
    m = cv2.getRotationMatrix2D((cx, cy), angle, scale)
    m[0, 2] += out_w / 2 - cx
    m[1, 2] += out_h / 2 - cy
    if strong and rng.random() < 0.3:  # mild shear / perspective-like
        m[0, 1] += rng.gauss(0, 0.08) * scale
    small = cv2.warpAffine(big, m, (out_w, out_h), flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    return photometric(small, rng) if strong else small


def photometric(crop: np.ndarray, rng: random.Random) -> np.ndarray:
    """Blur, JPEG, brightness, contrast and noise as photos vary them."""
    if rng.random() < 0.3:
        crop = cv2.GaussianBlur(crop, (0, 0), rng.uniform(0.3, 1.0))
    if rng.random() < 0.5:
        ok, enc = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(25, 90)])
        crop = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    out = crop.astype(np.float32) * rng.uniform(0.6, 1.3) + rng.uniform(-40, 40)
    if rng.random() < 0.3:
        out += np.random.default_rng(rng.randint(0, 1 << 30)).normal(0, rng.uniform(2, 10), out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def to_input(crop_bgr: np.ndarray) -> np.ndarray:
    """Recognizer input from a BGR crop: grey, 32x128, contrast-normalised. Mirrors recognize.py."""
    grey = cv2.cvtColor(crop_bgr, cv2.COLOR_BGR2GRAY) if crop_bgr.ndim == 3 else crop_bgr
    grey = cv2.resize(grey, (INPUT_W, INPUT_H), interpolation=cv2.INTER_AREA if grey.shape[1] > INPUT_W else cv2.INTER_LINEAR)
    grey = grey.astype(np.float32)
    return (grey - grey.mean()) / max(float(grey.std()), 8.0)


def detector_cuts(train: list, seed: int = 0, scales: tuple[int, ...] = (60, 100, 160)) -> list[tuple[np.ndarray, str]]:
    """Crops of the training plates cut by the reader's own detector, as it cuts photos.

    Each plate is shrunk to a photo-like width, set in a wider frame of
    blurred surroundings, and run through `PlateDetector` (and its magnified
    `refine`); every region on the plate's character band becomes a crop
    labelled with the plate's text. These boxes (loose, tight, clipped by an
    emblem) are the ones the recognizer meets in photos, which the
    hand-made jitter of `cut_plate` only approximates.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from dearjohn.plates.detect import PlateDetector, crop_region
    from dearjohn.plates.textdet import DBTextDetector

    detector = PlateDetector(DBTextDetector("int8"))
    rng = random.Random(seed)
    cuts = []
    for _file, plate, text, _state in train:
        for width in scales:
            w = int(width * rng.uniform(0.85, 1.15))
            h = max(8, int(plate.shape[0] * w / plate.shape[1]))
            small = cv2.resize(plate, (w, h), interpolation=cv2.INTER_AREA)
            pad_x, pad_y = w * 2, h * 3
            frame = cv2.copyMakeBorder(small, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_REPLICATE)
            frame = cv2.GaussianBlur(frame, (0, 0), 2.0)
            frame[pad_y : pad_y + h, pad_x : pad_x + w] = small
            regions = detector.detect(frame, max(frame.shape[:2]))
            looks = list(regions[:2])
            for region in regions[:2]:
                looks += detector.refine(frame, region)
            for region in looks:
                cx, cy = region.quad.mean(axis=0)
                on_band = pad_x <= cx <= pad_x + w and pad_y + 0.3 * h <= cy <= pad_y + 0.8 * h
                if on_band and region.width >= 0.5 * w and region.height >= 0.25 * h:
                    cuts.append((crop_region(frame, region.quad), text))
    return cuts
