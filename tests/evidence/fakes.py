"""A small deterministic plate reader behind the engine's interface, for fast intake tests.

Photos: the plates are whatever the JPEG comment lists, as
"plates:7ABC123@x,y,w,h;8XYZ999@x,y,w,h[@confidence]" (tests write it when
they render the photo; confidence defaults to 0.93). Anything else (video frames, arrays, photos without that
comment): a bright picture (mean > 200) shows the plate 7WCH001. DEARJOHN_TEST_READ_DELAY (seconds) slows each read, so a test
can kill a worker in the middle of one.
"""

import os
import time

import cv2
import numpy as np
from PIL import Image

from dearjohn.plates import Box, Candidate, PlateRead, PlateReadingError, VideoPlateRead

BRIGHT_PLATE = "7WCH001"


def _read(text, box, confidence=0.93):
    return PlateRead(text=text, confidence=confidence, box=Box(*box), state="CA",
                     candidates=(Candidate(text, confidence), Candidate(text.replace("0", "O"), 0.04)))


class FakeReader:
    def __init__(self):
        self.delay = float(os.environ.get("DEARJOHN_TEST_READ_DELAY") or 0)

    def read(self, image):
        time.sleep(self.delay)
        if isinstance(image, np.ndarray):
            return [_read(BRIGHT_PLATE, (10, 10, 40, 20))] if image.mean() > 200 else []
        try:
            with Image.open(image) as im:
                comment = im.info.get("comment", b"")
                bright = np.asarray(im.convert("RGB")).mean() > 200
        except Exception as e:
            raise PlateReadingError(f"not an image: {e}") from None
        comment = comment.decode() if isinstance(comment, bytes) else str(comment)
        if not comment.startswith("plates:"):
            return [_read(BRIGHT_PLATE, (10, 10, 40, 20))] if bright else []
        reads = []
        for item in filter(None, comment[len("plates:"):].split(";")):
            text, box, *confidence = item.split("@")
            reads.append(_read(text, tuple(int(v) for v in box.split(",")), *(float(c) for c in confidence)))
        return reads

    def read_video(self, path):
        cap = cv2.VideoCapture(str(path))
        fps = cap.get(cv2.CAP_PROP_FPS) or 10.0
        bright, index = [], 0
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            if frame.mean() > 200:
                bright.append(index)
            index += 1
        cap.release()
        if not bright:
            return []
        best = bright[len(bright) // 2]
        return [VideoPlateRead(text=BRIGHT_PLATE, confidence=0.9, box=Box(10, 10, 40, 20), first_s=bright[0] / fps,
                               last_s=bright[-1] / fps, best_frame=best, best_s=best / fps, frames=len(bright),
                               state="CA", candidates=(Candidate(BRIGHT_PLATE, 0.9),))]


class BrokenReader:
    """An engine that cannot start reading at all, as when a model file is missing."""

    def read(self, image):
        raise RuntimeError("model file plate_rec.onnx is missing")

    read_video = read
