"""Quantize the plate recognizers and the PP-OCR text-line recognizer to 8-bit integers.

    python training/plates/quantize_recognizers.py --out-dir src/dearjohn/plates/models

Writes `plate_rec*_int8.onnx` next to each trained plate recognizer and
`text_rec_int8.onnx` from the PP-OCR recognizer shipped in rapidocr (which
reads the printed state names and tells phone numbers from plates). The
8-bit versions run two times faster on CPUs with integer dot-product
instructions; docs/plates.md has what they read.

Calibration inputs, made the way the reader makes them:
- plate recognizers: training crops of openalpr-us-plates (never a held-back
  one) and synthetic plates (synth.py), cut as a detector's box would cut them
  (common.cut_plate), in batches of eight;
- text-line recognizer: the bands above and below the characters of those
  plates, where the state name is printed (states.name_bands), and the
  character line itself. No dev photo is used.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
from dearjohn.plates.detect import crop_region  # noqa: E402
from dearjohn.plates.onnx import rapidocr_model  # noqa: E402
from dearjohn.plates.recognize import DEFAULT_MODELS, MODELS_DIR, CTCPlateRecognizer  # noqa: E402
from dearjohn.plates.states import name_bands  # noqa: E402
from dearjohn.plates.textrec import network_input  # noqa: E402
from common import cut_plate, load_crops  # noqa: E402
from int8 import quantize  # noqa: E402
from synth import render_plate, to_array  # noqa: E402


def plates(count: int, seed: int) -> list[np.ndarray]:
    """Whole-plate images: training crops and synthetic plates, half and half."""
    rng = random.Random(seed)
    train, _held = load_crops()
    crops = [img for _f, img, _t, _s in train]
    return [rng.choice(crops) if crops and rng.random() < 0.5 else to_array(render_plate(rng)[0]) for _ in range(count)]


def plate_batches(whole: list[np.ndarray], seed: int, batch: int = 8):
    rng = random.Random(seed)
    prepare = CTCPlateRecognizer().prepare
    for start in range(0, len(whole), batch):
        yield np.stack([prepare(cut_plate(p, rng)) for p in whole[start : start + batch]])[:, None]


def text_lines(whole: list[np.ndarray]):
    """The state-name bands and the character line of each plate, one line per input."""
    for plate in whole:
        h, w = plate.shape[:2]
        line = np.array([[0.04 * w, 0.28 * h], [0.96 * w, 0.28 * h], [0.96 * w, 0.78 * h], [0.04 * w, 0.78 * h]], np.float32)
        yield network_input(crop_region(plate, line, widen=1.1, pad_h=0.1))
        for band in name_bands(line):
            yield network_input(crop_region(plate, band, widen=1.0, pad_h=0.0))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=MODELS_DIR)
    parser.add_argument("--plates", type=int, default=320)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    whole = plates(args.plates, args.seed)
    for name in DEFAULT_MODELS:
        src = MODELS_DIR / name
        out = args.out_dir / f"{src.stem}_int8.onnx"
        # not the softmax: its output in 8 bits rounds every step's probability
        # to 1/255, and a plate's probability (a product over 32 steps) then
        # never passed 0.88, however clear the plate
        quantize(src, out, plate_batches(whole, args.seed), op_types=("Conv", "Relu", "MaxPool"))
        print(f"{src.name} -> {out} ({out.stat().st_size / 1e6:.1f} MB)")
    out = args.out_dir / "text_rec_int8.onnx"
    # its convolutions and matrix products only: with its additions and
    # normalisations in 8 bits too it names a sixth fewer states (docs/plates.md)
    quantize(rapidocr_model("rec"), out, text_lines(whole[: args.plates // 4]), op_types=("Conv", "MatMul"))
    print(f"{rapidocr_model('rec').name} -> {out} ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
