"""How long redaction takes per image, on scenes rendered like the tests' (no data needed).

    .venv/bin/python bench/redaction.py [repeats]
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from dearjohn.oversight.redaction import redact_for_release, text_lines  # noqa: E402
from tests.oversight.test_redaction import street_scene  # noqa: E402


def main(repeats=10):
    base, boxes = street_scene()
    for scale in (1.0, 2.0):
        img = base.resize((int(base.width * scale), int(base.height * scale)), Image.Resampling.BICUBIC)
        box = tuple(int(v * scale) for v in boxes["target"])
        redact_for_release(img, box)  # load the model
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            out = redact_for_release(img, box)
            times.append(time.perf_counter() - start)
        import numpy as np

        left = len(text_lines(np.asarray(out)))
        print(f"{img.width}x{img.height}: median {1000 * statistics.median(times):.0f} ms, "
              f"max {1000 * max(times):.0f} ms over {repeats} runs; text lines left in output: {left} (the target plate)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
