"""Benchmark the plate reader on a labelled folder.

    python bench/plates.py /work/shared/datasets/openalpr-us-dev
    python bench/plates.py --crops /work/shared/datasets/openalpr-us-plates

OpenALPR format: NAME.jpg with NAME.txt = "NAME.jpg<TAB>x<TAB>y<TAB>w<TAB>h<TAB>TEXT".
With --crops, a folder of plate crops (labels.csv: file,state,plate); only the
held-back 20% (sha1(file name) mod 5 == 0, the split the recognizer training
held back) is evaluated.

Matching is by `plate_key` (upper case, A-Z0-9 only, letter O -> digit 0) on
both the read and the truth. Prints top-1 exact %, % truth among the top
plate's candidates, single-core latency (median, p95), throughput with two
processes, the misses, and the confidence threshold at which >= 99% of
accepted reads are right with the coverage there; draws precision vs coverage.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dearjohn.plates import PlateReader, PlateReadingError, plate_key  # noqa: E402

_reader = None


def is_held_back(file_name: str) -> bool:
    return int(hashlib.sha1(file_name.encode()).hexdigest(), 16) % 5 == 0


def load_openalpr(folder: Path) -> list[dict]:
    items = []
    for txt in sorted(folder.glob("*.txt")):
        line = txt.read_text().strip().splitlines()[0]
        parts = line.split("\t")
        items.append({"path": str(folder / parts[0]), "truth": parts[5], "state": None})
    return items


def load_crops(folder: Path, every_crop: bool = False) -> list[dict]:
    """The held-back crops (or, with `every_crop`, all of them: the training split too)."""
    with open(folder / "labels.csv") as fh:
        rows = [r for r in csv.DictReader(fh) if every_crop or is_held_back(r["file"])]
    return [{"path": str(folder / "images" / r["file"]), "truth": r["plate"], "state": r["state"]} for r in rows]


def _init(kwargs):
    global _reader
    kwargs = dict(kwargs)
    model = kwargs.pop("model_path", None)
    if model:
        from dearjohn.plates.recognize import CTCPlateRecognizer

        kwargs["recognizer"] = CTCPlateRecognizer(model.split(","), intra_op_threads=kwargs.get("intra_op_threads", 1))
    _reader = PlateReader(**kwargs)


def _read_one(path: str):
    start, cpu = time.perf_counter(), time.process_time()
    try:
        plates, error = _reader.read(path), None
    except PlateReadingError as exc:
        plates, error = None, str(exc)
    return path, plates, error, (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def precision_coverage(confs: np.ndarray, correct: np.ndarray, n_total: int):
    order = np.argsort(-confs)
    c, k = confs[order], correct[order]
    accepted = np.arange(1, len(c) + 1)
    precision = np.cumsum(k) / accepted
    coverage = accepted / n_total
    return c, precision, coverage


def add_reader_arguments(ap: argparse.ArgumentParser) -> None:
    """The options that set up the reader (shared with the other plate benches)."""
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--passes", default=None, help='named detection passes: "standard" (the default), "quick" or "thorough"')
    ap.add_argument("--survey", type=int, default=None, help="survey resolution (0: none), e.g. 800")
    ap.add_argument("--survey-looks", type=int, default=None, help="magnified second looks in the survey")
    ap.add_argument("--sides", default=None, help="full detection passes, e.g. 960,1600")
    ap.add_argument("--early-stop", type=float, default=None)
    ap.add_argument("--model", default=None, help="recognizer ONNX file(s), comma-separated for an ensemble (default: the shipped ones)")
    ap.add_argument("--detector", default=None, help='text detector: "float", "int8" or an ONNX file (default: the reader\'s)')
    ap.add_argument("--recognizer", default=None, help='recognizers: "int8" or "float" (default: the reader\'s, int8)')
    ap.add_argument("--refine-detector", default=None, help='text detector for the magnified second looks (default: as --detector)')
    ap.add_argument("--no-printed-states", action="store_true", help="name states from the plate's shape only (skip reading the printed name)")
    ap.add_argument("--top", type=int, default=None, help="candidate readings per plate (default: the reader's, 5; `dearjohn read --top N`)")
    ap.add_argument("--crop-height", type=int, default=None, help="regions lower than this are cut enlarged to it for the recognizer (default: the reader's, 128; 0: at their own size)")
    ap.add_argument("--tight-look-below", type=float, default=None, help="a region still read below this after its second look is read again narrowed (default: the reader's, 0.3; 0: never)")
    ap.add_argument("--tight-look-height", type=float, default=None, help="the narrowed region's share of the region's height (default: the reader's, 0.7)")


def reader_kwargs(args) -> dict:
    """PlateReader arguments from the options of add_reader_arguments."""
    kwargs = {"intra_op_threads": 1}
    if args.passes:
        kwargs["passes"] = args.passes
    if args.sides:
        kwargs["detection_sides"] = tuple(int(s) for s in args.sides.split(","))
    if args.early_stop is not None:
        kwargs["early_stop"] = args.early_stop
    if args.survey is not None:
        kwargs["survey_side"] = args.survey
    if args.survey_looks is not None:
        kwargs["survey_looks"] = args.survey_looks
    if args.model:
        kwargs["model_path"] = args.model
    if args.detector:
        kwargs["detector_model"] = args.detector
    if args.recognizer:
        kwargs["recognizer_model"] = args.recognizer
    if args.refine_detector:
        kwargs["refine_detector_model"] = args.refine_detector
    if args.no_printed_states:
        kwargs["printed_states"] = None
    if args.top:
        kwargs["top_n"] = args.top
    if args.crop_height is not None:
        kwargs["crop_height"] = args.crop_height
    if args.tight_look_below is not None:
        kwargs["tight_look_below"] = args.tight_look_below
    if args.tight_look_height is not None:
        kwargs["tight_look_height"] = args.tight_look_height
    return kwargs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--crops", action="store_true", help="folder is the crops set; evaluate its held-back split")
    ap.add_argument("--every-crop", action="store_true", help="with --crops: every crop, the training split too (top-1 there is not a held-back figure)")
    add_reader_arguments(ap)
    ap.add_argument("--png", default=None, help="precision/coverage plot (default docs/plates-precision-coverage[-crops].png)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-throughput", action="store_true")
    ap.add_argument("--throughput-only", action="store_true", help="skip the accuracy pass")
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    items = load_crops(folder, args.every_crop) if args.crops else load_openalpr(folder)
    if args.limit:
        items = items[: args.limit]
    kwargs = reader_kwargs(args)

    if args.throughput_only:
        return throughput(items, kwargs, args.processes)

    # 1. accuracy and single-core latency, one process
    _init(kwargs)
    _read_one(items[0]["path"])  # load models before timing
    rows = []
    for item in items:
        _, plates, error, ms, cpu_ms = _read_one(item["path"])
        rows.append((item, plates or [], error, ms, cpu_ms))
    n = len(rows)
    truth_keys = [plate_key(r[0]["truth"]) for r in rows]
    top1 = [plate_key(r[1][0].text) if r[1] else "" for r in rows]
    conf = np.array([r[1][0].confidence if r[1] else 0.0 for r in rows])
    correct = np.array([a == b for a, b in zip(top1, truth_keys)])
    in_cands = [any(plate_key(c.text) == t for c in r[1][0].candidates) if r[1] else False for r, t in zip(rows, truth_keys)]
    in_any = [any(plate_key(c.text) == t for p in r[1] for c in p.candidates) for r, t in zip(rows, truth_keys)]
    ms = np.array([r[3] for r in rows])
    cpu_ms = np.array([r[4] for r in rows])
    print(f"dataset: {folder}{(' (every crop)' if args.every_crop else ' (held-back split)') if args.crops else ''}")
    print(f"images: {n}   matching by plate_key (A-Z0-9, letter O == digit 0)")
    print(f"top-1 exact: {100 * correct.mean():.1f}%  ({int(correct.sum())}/{n})")
    print(f"truth among top plate's candidates: {100 * np.mean(in_cands):.1f}%   among any returned plate's candidates: {100 * np.mean(in_any):.1f}%")
    print(f"no plate returned: {sum(1 for r in rows if not r[1])}   errors: {sum(1 for r in rows if r[2])}")
    print(f"latency, one core (wall clock): median {np.median(ms):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms, mean {ms.mean():.1f} ms")
    print(f"latency, one core (CPU time; equals wall clock on an idle core): median {np.median(cpu_ms):.1f} ms, p95 {np.percentile(cpu_ms, 95):.1f} ms, mean {cpu_ms.mean():.1f} ms")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine load average while measuring: {load:.1f} on {os.cpu_count()} cores (wall-clock figures are only meaningful near 0)")

    if args.crops:
        named = [(r[1][0].state, r[0]["state"]) for r in rows if r[1] and r[1][0].state]
        right = sum(a == b for a, b in named)
        print(f"state named: {100 * len(named) / n:.1f}% of crops, right when named: {100 * right / max(1, len(named)):.1f}% ({right}/{len(named)})")

    # 2. precision vs coverage as the confidence threshold rises
    c, precision, coverage = precision_coverage(conf, correct, n)
    ok = np.nonzero(precision >= 0.99)[0]
    if len(ok):
        i = ok.max()
        print(f"threshold for >=99% precision: {c[i]:.3f}  -> precision {100 * precision[i]:.1f}%, coverage {100 * coverage[i]:.1f}% ({i + 1}/{n} accepted)")
    else:
        print("no threshold reaches 99% precision")
    for t in (0.5, 0.7, 0.8, 0.9, 0.95):
        acc = conf >= t
        if acc.any():
            print(f"  at {t:.2f}: precision {100 * correct[acc].mean():.1f}%, coverage {100 * acc.mean():.1f}%")
    png = args.png or str(Path(__file__).resolve().parents[1] / "docs" / ("plates-precision-coverage-crops.png" if args.crops else "plates-precision-coverage.png"))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(100 * coverage, 100 * precision)
        ax.axhline(99, color="grey", ls="--", lw=0.8)
        ax.set_xlabel("coverage: % of images with an accepted read")
        ax.set_ylabel("precision: % of accepted reads right")
        ax.set_title(f"{folder.name}: precision vs coverage (threshold rises to the left)", fontsize=9)
        ax.set_ylim(min(80, 100 * precision.min() - 1), 100.5)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        Path(png).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(png, dpi=110)
        print(f"plot: {png}")
    except ImportError:
        print("matplotlib not installed: no plot")

    # 3. misses
    print("misses (file, truth, read, confidence, alternatives):")
    for r, t, ok_, k in zip(rows, truth_keys, correct, top1):
        if not ok_:
            alts = " ".join(c.text for c in r[1][0].candidates[1:4]) if r[1] else ""
            print(f"  {Path(r[0]['path']).name}  {r[0]['truth']:<9} {k or '-':<9} {r[1][0].confidence if r[1] else 0:.2f}  {alts}{'  error: ' + r[2] if r[2] else ''}")

    if not args.no_throughput and args.processes > 0:
        throughput(items, kwargs, args.processes)
    return 0


def throughput(items, kwargs, processes: int, cpu_ms=None) -> int:
    """Images per second with `processes` worker processes, one ONNX thread each.

    Also prints the bound implied by the workers' CPU time per image, which
    is what idle cores would reach when the machine is shared.
    """
    paths = [i["path"] for i in items]
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(processes, initializer=_init, initargs=(kwargs,)) as pool:
        pool.map(_read_one, paths[: processes * 2], chunksize=1)  # warm up: load the models
        start = time.perf_counter()
        results = pool.map(_read_one, paths, chunksize=2)
        wall = time.perf_counter() - start
    worker_cpu = np.array([r[4] for r in results])
    print(f"throughput: {len(paths) / wall:.1f} images/s with {processes} processes (wall clock, load average {os.getloadavg()[0]:.1f})")
    print(f"throughput bound from CPU time: {processes * 1000 / worker_cpu.mean():.1f} images/s with {processes} idle cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
