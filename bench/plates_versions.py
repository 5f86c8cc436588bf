"""How far the dev figure may move on photos that look a little different.

    python bench/plates_versions.py /work/shared/datasets/openalpr-us-dev

The issue's unseen set of US photos must score within three points of the
dev set. Its photos will differ in size and compression, and the dev
figure alone cannot say how much such differences move the reading: about
ten dev photos are coin flips that a pixel's change decides. This bench
reads the dev photos as given and as four other versions made in memory
(shrunk to 0.8, enlarged 1.25 and 2 times, recompressed at JPEG quality
60; with --eleven six more, 1,221 reads in all), and prints top-1 and
truth-among-candidates for each, their mean and range, how many reads at
the review queue's threshold are right, and the photos missed in how
many versions. A change to the reader that raises the dev figure but not
the mean is fitted to the dev photos.

Takes the reader options of bench/plates.py (--detector, --passes, ...).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import plates as bench  # noqa: E402
from dearjohn.plates import PlateReadingError, plate_key  # noqa: E402

# name -> (scale, JPEG quality); "as given" reads the file itself
VERSIONS = {
    "as given": None,
    "0.8x": (0.8, 95),
    "1.25x": (1.25, 95),
    "2x": (2.0, 95),
    "JPEG q60": (1.0, 60),
}
# --eleven adds these: smaller, in-between and better-compressed photos, for
# changes whose effect is a few reads (the figures in docs/plates.md)
MORE_VERSIONS = {
    "0.7x": (0.7, 95),
    "0.9x": (0.9, 95),
    "1.1x": (1.1, 95),
    "1.5x": (1.5, 95),
    "JPEG q80": (1.0, 80),
    "0.9x q70": (0.9, 70),
}
ALL_VERSIONS = {**VERSIONS, **MORE_VERSIONS}


def version_bytes(path: str, version: str) -> bytes:
    """The photo as that version: resized (area when shrinking, cubic when enlarging) and JPEG-encoded."""
    data = Path(path).read_bytes()
    if ALL_VERSIONS[version] is None:
        return data
    scale, quality = ALL_VERSIONS[version]
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if scale != 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    ok, encoded = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError(f"could not encode {path}")
    return encoded.tobytes()


def _read_version(job: tuple[str, str]):
    """The best plate of one photo in one version (none when the photo cannot be read)."""
    path, version = job
    try:
        plates = bench._reader.read(version_bytes(path, version))
    except PlateReadingError:
        plates = []
    return path, version, [(p.text, [c.text for c in p.candidates], p.confidence) for p in plates[:1]]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    bench.add_reader_arguments(ap)
    ap.add_argument("--threshold", type=float, default=0.9, help="confidence at which a read counts as accepted (the review queue pre-selects at 0.9)")
    ap.add_argument("--eleven", action="store_true", help="read six more versions (MORE_VERSIONS): eleven in all")
    args = ap.parse_args(argv)
    versions = list(ALL_VERSIONS if args.eleven else VERSIONS)
    items = bench.load_openalpr(Path(args.folder))
    truth = {i["path"]: plate_key(i["truth"]) for i in items}
    jobs = [(i["path"], v) for v in versions for i in items]
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    results: list = []
    with ctx.Pool(args.processes, initializer=bench._init, initargs=(bench.reader_kwargs(args),)) as pool:
        for done, result in enumerate(pool.imap_unordered(_read_version, jobs, chunksize=2), 1):
            results.append(result)
            print(f"\r{done}/{len(jobs)} photos read", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    n = len(items)
    top1, in_cands, missed, accepted, accepted_right = Counter(), Counter(), Counter(), Counter(), Counter()
    wrong_accepted = []
    for path, version, best in results:
        read = plate_key(best[0][0]) if best else ""
        top1[version] += read == truth[path]
        if best and best[0][2] >= args.threshold:
            accepted[version] += 1
            accepted_right[version] += read == truth[path]
            if read != truth[path]:
                wrong_accepted.append(f"  {Path(path).name} ({version}): {best[0][0]} at {best[0][2]:.2f}, truth {truth[path]}")
        in_cands[version] += bool(best) and truth[path] in {plate_key(c) for c in best[0][1]}
        if read != truth[path]:
            missed[path] += 1
    print(f"dataset: {args.folder}   photos: {n}   versions: {len(versions)}")
    for version in versions:
        print(f"  {version:<9} top-1 {100 * top1[version] / n:5.1f}% ({top1[version]}/{n})   truth among candidates {100 * in_cands[version] / n:5.1f}%"
              f"   at {args.threshold:.2f}: {accepted_right[version]}/{accepted[version]} right")
    t = np.array([top1[v] for v in versions]) * 100 / n
    c = np.array([in_cands[v] for v in versions]) * 100 / n
    print(f"mean over versions: top-1 {t.mean():.1f}% (range {t.min():.1f}-{t.max():.1f}), truth among candidates {c.mean():.1f}%")
    a, r = sum(accepted.values()), sum(accepted_right.values())
    print(f"reads at {args.threshold:.2f} or more, all versions: {r}/{a} right ({100 * r / max(1, a):.1f}% precise), coverage {100 * a / (n * len(versions)):.1f}%")
    for line in wrong_accepted:
        print(line)
    print("photos missed (in how many of the versions):")
    for path, count in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count}/{len(versions)}  {Path(path).name}  {truth[path]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
