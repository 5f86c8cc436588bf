"""Quantize the shipped PP-OCR text detector to 8-bit integers.

    python training/plates/quantize_detector.py --out src/dearjohn/plates/models/text_det_int8.onnx

The detector is most of a photo's reading time. Its 8-bit version (static
quantization, per-channel weights, QDQ format) runs about four times faster
on CPUs with integer dot-product instructions and draws the same lines.

Activation ranges are calibrated on scenes this script draws: a noisy street
background with signs, a burned-in timestamp and one to three plates, each a
synthetic plate (synth.py) or a training crop of openalpr-us-plates (never a
held-back one), at the resolutions the reader uses. No dev photo is used.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
from dearjohn.plates.onnx import rapidocr_model  # noqa: E402
from common import load_crops  # noqa: E402
from int8 import quantize  # noqa: E402
from synth import render_plate, to_array  # noqa: E402

SIDES = (640, 960, 1600, 320)


def scene(rng: random.Random, plates: list[np.ndarray]) -> np.ndarray:
    """A 16:9 or 4:3 street-ish picture with plates and other writing."""
    w = 1600
    h = rng.choice([900, 1200])
    nprng = np.random.default_rng(rng.randint(0, 1 << 30))
    base = nprng.normal(rng.randint(60, 170), 30, (h // 16, w // 16, 3)).clip(0, 255).astype(np.uint8)
    img = cv2.resize(base, (w, h), interpolation=cv2.INTER_CUBIC)
    for _ in range(rng.randint(3, 8)):  # car bodies, walls, windows
        x, y = rng.randint(0, w - 100), rng.randint(0, h - 100)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        cv2.rectangle(img, (x, y), (x + rng.randint(100, 700), y + rng.randint(60, 400)), colour, -1)
    for _ in range(rng.randint(1, 4)):  # signs and lettering
        words = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ 0123456789") for _ in range(rng.randint(4, 14)))
        cv2.putText(img, words, (rng.randint(0, w - 300), rng.randint(40, h - 20)), rng.choice([0, 1, 2, 3, 4]),
                    rng.uniform(0.6, 2.5), tuple(rng.randint(0, 255) for _ in range(3)), rng.randint(1, 4))
    if rng.random() < 0.6:  # camera timestamp
        stamp = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        cv2.putText(img, stamp, (20, rng.choice([40, h - 20])), 0, 1.2, (255, 255, 255), 2)
    for plate in plates:
        pw = rng.randint(60, 420)
        ph = int(plate.shape[0] * pw / plate.shape[1])
        small = cv2.resize(plate, (pw, ph), interpolation=cv2.INTER_AREA)
        x, y = rng.randint(0, w - pw), rng.randint(0, h - ph)
        img[y : y + ph, x : x + pw] = small
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.5))
    ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(50, 92)])
    return cv2.imdecode(enc, cv2.IMREAD_COLOR)


def network_input(bgr: np.ndarray, side: int) -> np.ndarray:
    """As DBTextDetector.network_input, except that it always resizes with INTER_AREA.

    The committed model was calibrated this way; the detector itself enlarges
    with INTER_LINEAR. Kept so that this script still makes that file byte for byte.
    """
    h, w = bgr.shape[:2]
    r = side / max(h, w)
    img = cv2.resize(bgr, (max(32, round(w * r / 32) * 32), max(32, round(h * r / 32) * 32)), interpolation=cv2.INTER_AREA)
    return (img.astype(np.float32) * (2.0 / 255.0) - 1.0).transpose(2, 0, 1)[None]


def scenes(count: int, seed: int):
    """Calibration inputs: drawn scenes at the resolutions the reader uses, as the network takes them."""
    rng = random.Random(seed)
    train, _held = load_crops()
    crops = [img for _f, img, _t, _s in train]
    for i in range(count):
        plates = []
        for _ in range(rng.randint(1, 3)):
            plates.append(rng.choice(crops) if crops and rng.random() < 0.5 else to_array(render_plate(rng)[0]))
        yield network_input(scene(rng, plates), SIDES[i % len(SIDES)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--scenes", type=int, default=48)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    src = rapidocr_model("det")
    quantize(src, args.out, scenes(args.scenes, args.seed))
    print(f"{src.name} -> {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
