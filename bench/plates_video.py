"""Video reading speed: is a 1080p video read at least in real time at 5 sampled fps?

    python bench/plates_video.py [VIDEO] [--fps 5] [--seconds 10]

Without VIDEO, renders a synthetic 1080p clip (a plate crossing the frame;
with --clock, under a camera's ticking date and time, as surveillance video
has) to a temporary file. Prints the video length, wall-clock and CPU time of
read_video on one thread, and the real-time factor (video seconds per
second of work; >= 1 keeps up).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dearjohn.plates import PlateReader  # noqa: E402


def synthetic_clip(path: Path, seconds: float, fps: float = 25.0, clock: bool = False) -> None:
    w, h = 1920, 1080
    rng = np.random.default_rng(0)
    road = Image.fromarray(rng.normal(100, 20, (h // 8, w // 8, 3)).clip(0, 255).astype(np.uint8)).resize((w, h))
    plate = Image.new("RGB", (240, 120), (240, 240, 235))
    d = ImageDraw.Draw(plate)
    d.rectangle([2, 2, 237, 117], outline=(30, 30, 60), width=3)
    d.text((80, 6), "Ohio", font=ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 16), fill=(30, 50, 140))
    d.text((22, 35), "KDX5821", font=ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 44), fill=(20, 20, 30))
    clock_font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 26)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    n = int(seconds * fps)
    for i in range(n):
        frame = road.copy()
        x = int(100 + (w - 500) * i / n)
        ImageDraw.Draw(frame).rectangle([x - 200, 500, x + 440, 800], fill=(120, 20, 20))
        frame.paste(plate, (x, 620))
        if clock:
            stamp = ImageDraw.Draw(frame)
            stamp.rectangle([0, 0, 420, 40], fill=(20, 20, 20))
            stamp.text((8, 6), f"2026-12-06 13:17:{int(i / fps):02d}", fill=(235, 235, 235), font=clock_font)
        writer.write(np.asarray(frame)[:, :, ::-1])
    writer.release()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("video", nargs="?")
    ap.add_argument("--fps", type=float, default=5.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--sides", default=None, help="detection passes per sampled frame, e.g. 640 (default: the reader's)")
    ap.add_argument("--detector", default=None, help='text detector: "float" or "int8" (default: the reader\'s)')
    ap.add_argument("--clock", action="store_true", help="the synthetic clip carries a ticking date and time in its corner")
    args = ap.parse_args(argv)
    tmp = None
    path = args.video
    if not path:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "clip.mp4"
        synthetic_clip(path, args.seconds, clock=args.clock)
    cap = cv2.VideoCapture(str(path))
    length = cap.get(cv2.CAP_PROP_FRAME_COUNT) / (cap.get(cv2.CAP_PROP_FPS) or 25.0)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    cap.release()
    options = {"video_detection_sides": tuple(int(v) for v in args.sides.split(","))} if args.sides else {}
    if args.detector:
        options["detector_model"] = args.detector
    reader = PlateReader(**options)
    reader.read(np.zeros((64, 64, 3), np.uint8))  # load models
    start, cpu = time.perf_counter(), time.process_time()
    passes = reader.read_video(path, fps=args.fps)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"video: {length:.1f} s, {size[0]}x{size[1]}, sampled at {args.fps:g} fps")
    for p in passes:
        print(f"  {p.text} {p.confidence:.2f} seen {p.first_s:.1f}-{p.last_s:.1f} s in {p.frames} frames")
    print(f"wall clock: {wall:.1f} s (real-time factor {length / wall:.2f}); load average {os.getloadavg()[0]:.1f}")
    print(f"CPU time:   {cpu:.1f} s (real-time factor on an idle core {length / cpu:.2f})")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
